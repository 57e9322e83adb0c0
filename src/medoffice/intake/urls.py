"""intake pages, under the "intake" namespace."""

from django.urls import URLPattern

app_name = "intake"
urlpatterns: list[URLPattern] = []
