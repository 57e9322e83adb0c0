"""Eligibility at the desk: check a coverage (from the patient, the appointment or check-in), the
readable benefits card, a patient's check history, and the next business day's batch.

A check always ends on a page that says what happened: active with the figures, not active, the
payer's rejection in plain words, or why it could not be made and whether to try again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core.permissions import staff_view
from medoffice.insurance import queries
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.services import batch, eligibility
from medoffice.patients import queries as patients
from medoffice.scheduling import queries as scheduling

VIEW = "insurance.view_eligibilitycheck"
CHECK = "insurance.check_eligibility"


def _audit_card(request: HttpRequest, check: Any) -> None:
    record(
        AuditAction.READ, actor=request.user, target=check, patient_id=check.patient_id,
        detail={"what": "eligibility result"},
    )  # fmt: skip


def _date(raw: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _answer(request: HttpRequest, check: Any, *, on: dt.date | None = None) -> HttpResponse:
    _audit_card(request, check)
    if request.headers.get("HX-Request"):
        return render(request, "insurance/_benefits_card.html", queries.card_context(check, on=on))
    return redirect("insurance:check_detail", check.pk)


def _refused(request: HttpRequest, exc: InsuranceRefused, back: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, "insurance/_check_refused.html", {"message": exc.message})
    messages.error(request, exc.message)
    return redirect(back)


@require_POST
@staff_view(CHECK)
def check_coverage(request: HttpRequest, coverage_id: int) -> HttpResponse:
    coverage = queries.get_coverage(coverage_id)
    if coverage is None:
        raise Http404("No such coverage.")
    day = _date(request.POST.get("service_date", ""), timezone.localdate())
    back = reverse("insurance:patient_eligibility", args=[coverage.patient_id])
    try:
        check = eligibility.check_eligibility(coverage, service_date=day, acting_user=request.user)
    except InsuranceRefused as exc:
        return _refused(request, exc, back)
    return _answer(request, check, on=day)


@require_POST
@staff_view(CHECK)
def check_appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = scheduling.get_appointment(appointment_id)
    if appointment is None:
        raise Http404("No such appointment.")
    day = timezone.localdate(appointment.starts_at)
    coverage = queries.primary_coverage(appointment.patient_id, on=day)
    back = reverse("insurance:patient_eligibility", args=[appointment.patient_id])
    if coverage is None:
        return _refused(
            request,
            InsuranceRefused(
                "No coverage on file for this visit's date: "
                "add one, or treat the visit as self-pay."
            ),
            back,
        )
    try:
        check = eligibility.check_eligibility(
            coverage, service_date=day, acting_user=request.user, appointment=appointment
        )
    except InsuranceRefused as exc:
        return _refused(request, exc, back)
    if request.headers.get("HX-Request"):
        _audit_card(request, check)
        return render(
            request, "insurance/_desk_eligibility.html", queries.desk_context(appointment)
        )
    return _answer(request, check, on=day)


@staff_view("insurance.view_coverage")
def appointment_insurance(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The visit's coverage, last check and estimate: a fragment for the appointment panel and
    the booking confirmation (loaded by HTMX after the panel)."""
    appointment = scheduling.get_appointment(appointment_id)
    if appointment is None:
        raise Http404("No such appointment.")
    record(
        AuditAction.READ, actor=request.user, target=appointment,
        patient_id=appointment.patient_id, detail={"what": "visit insurance and estimate"},
    )  # fmt: skip
    return render(request, "insurance/_desk_eligibility.html", queries.desk_context(appointment))


@staff_view(VIEW)
def check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    check = queries.get_check(check_id)
    if check is None:
        raise Http404("No such eligibility check.")
    _audit_card(request, check)
    context = {
        **queries.card_context(check),
        "patient": check.patient,
        "show_raw": "raw" in request.GET,
    }
    return render(request, "insurance/eligibility_check.html", context)


@staff_view(VIEW)
def patient_eligibility(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patients.get_patient(patient_id)
    if patient is None:
        raise Http404("No such patient.")
    today = timezone.localdate()
    coverages = list(queries.coverages_of(patient_id))
    checks = list(queries.checks_of(patient_id))
    latest = {c.coverage_id: c for c in reversed(checks)}
    record(
        AuditAction.READ, actor=request.user, target=patient, patient_id=patient_id,
        detail={"what": "eligibility history"},
    )  # fmt: skip
    rows = [{"coverage": c, "latest": latest.get(c.pk)} for c in coverages]
    return render(
        request,
        "insurance/eligibility_patient.html",
        {"patient": patient, "rows": rows, "checks": checks, "today": today},
    )


@staff_view(VIEW)
def batch_page(request: HttpRequest) -> HttpResponse:
    day = _date(request.GET.get("date", ""), batch.next_business_day())
    rows = batch.day_rows(day)
    if rows:
        record(
            AuditAction.READ, actor=request.user, target_type="patients.patient",
            detail={"what": "eligibility batch", "shown": sorted({r.patient_id for r in rows})},
        )  # fmt: skip
    return render(request, "insurance/eligibility_batch.html", {"day": day, "rows": rows})


@require_POST
@staff_view(CHECK)
def batch_run(request: HttpRequest) -> HttpResponse:
    day = _date(request.POST.get("date", ""), batch.next_business_day())
    result = batch.run_day(day, acting_user=request.user)
    messages.success(request, result.sentence())
    return redirect(f"{reverse('insurance:batch')}?date={day.isoformat()}")


urlpatterns = [
    path("coverages/<int:coverage_id>/check/", check_coverage, name="check_coverage"),
    path("appointments/<int:appointment_id>/check/", check_appointment, name="check_appointment"),
    path("checks/<int:check_id>/", check_detail, name="check_detail"),
    path(
        "appointments/<int:appointment_id>/insurance/",
        appointment_insurance,
        name="appointment_insurance",
    ),
    path("patients/<int:patient_id>/eligibility/", patient_eligibility, name="patient_eligibility"),
    path("eligibility/batch/", batch_page, name="batch"),
    path("eligibility/batch/run/", batch_run, name="batch_run"),
]
