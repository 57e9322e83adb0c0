"""Billing pages, under the "billing" namespace (mounted at /billing/)."""

from medoffice.billing import urls_days, urls_desk, urls_office

app_name = "billing"
urlpatterns = [*urls_desk.urlpatterns, *urls_days.urlpatterns, *urls_office.urlpatterns]
