"""Placeholder until its owner fills it in this session."""

urlpatterns: list = []
