"""Test-only urlconf: the project's URLs plus one record view guarded by record_view."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from medoffice.accounts.access import record_view
from medoffice.config.urls import urlpatterns as project_urls


@record_view("accounts.view_audit_report", target_type="test.record", id_kwarg="pk")
def sample_record(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"record {pk}")


urlpatterns = [
    path("test-record/<int:pk>/", sample_record, name="test_record"),
    path("", include(project_urls)),
]
