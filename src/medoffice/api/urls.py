"""Placeholder until the API work lands."""

urlpatterns: list = []
