"""URL map: one include per bounded context, the API under /api/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("medoffice.core.urls")),
    path("accounts/", include("medoffice.accounts.urls")),
    path("audit/", include("medoffice.audit.urls")),
    path("practice/", include("medoffice.practice.urls")),
    path("patients/", include("medoffice.patients.urls")),
    path("schedule/", include("medoffice.scheduling.urls")),
    path("intake/", include("medoffice.intake.urls")),
    path("insurance/", include("medoffice.insurance.urls")),
    path("authorizations/", include("medoffice.authorizations.urls")),
    path("billing/", include("medoffice.billing.urls")),
    path("desk/", include("medoffice.frontdesk.urls")),
    path("jobs/", include("medoffice.jobs.urls")),
    path("api/", include("medoffice.api.urls")),
    path("admin/", admin.site.urls),
]
