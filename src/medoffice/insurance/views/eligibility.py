"""eligibility pages (under the insurance namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
