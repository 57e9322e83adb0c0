"""The booking panel's referral and prior-authorization warnings, refreshed as the desk picks
the patient and the type (ids only in the query string, never names)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from medoffice.authorizations import queries, services
from medoffice.authorizations.views.common import VIEW_REFERRAL
from medoffice.core.permissions import staff_view


def _id(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _instant(raw: str | None) -> dt.datetime | None:
    try:
        found = dt.datetime.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def warnings_for(
    patient_id: int | None, type_id: int | None, provider_id: int | None, start: dt.datetime | None
) -> list[str]:
    if not (patient_id and type_id and provider_id and start):
        return []
    return queries.booking_warnings(patient_id, type_id, provider_id, start)


@staff_view(VIEW_REFERRAL)
@require_GET
def booking_warnings(request: HttpRequest) -> HttpResponse:
    patient_id = _id(request.GET.get("patient"))
    found = warnings_for(
        patient_id,
        _id(request.GET.get("appointment_type")),
        _id(request.GET.get("provider")),
        _instant(request.GET.get("start")),
    )
    if found and patient_id:
        services.audit_read(patient_id, acting_user=request.user, what="booking warnings")
    return render(request, "authorizations/_booking_warnings.html", {"warnings": found})


urlpatterns = [path("booking-warnings/", booking_warnings, name="booking_warnings")]
