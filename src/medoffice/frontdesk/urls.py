"""frontdesk pages, under the "frontdesk" namespace."""

from django.urls import URLPattern

app_name = "frontdesk"
urlpatterns: list[URLPattern] = []
