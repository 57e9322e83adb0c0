"""Insurance API: eligibility checks (real-time, per appointment, the day's batch)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.insurance import api_schemas_eligibility as s
from medoffice.insurance import queries
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.services import batch, eligibility
from medoffice.scheduling import queries as scheduling

router = Router(tags=["insurance"])
VIEW = "insurance.view_eligibilitycheck"
CHECK = "insurance.check_eligibility"
REFUSED: dict[int, Any] = {404: s.Problem, 409: s.Problem}


def refused(exc: InsuranceRefused) -> ProblemError:
    return ProblemError(
        409, "Cannot check", exc.message,
        type_="https://medoffice.example/problems/eligibility-unavailable",
    )  # fmt: skip


def check_out(check: Any) -> dict[str, Any]:
    return {
        "id": check.pk,
        "coverage_id": check.coverage_id,
        "patient_id": check.patient_id,
        "appointment_id": check.appointment_id,
        "service_date": check.service_date,
        "service_types": check.service_types.split(","),
        "source": check.source,
        "status": check.status,
        "status_text": check.get_status_display(),
        "message": check.message,
        "retry_may_help": check.retry_may_help,
        "stale": queries.is_stale(check),
        "requested_at": check.requested_at,
        "responded_at": check.responded_at,
        "active": check.active,
        "copay": check.copay,
        "coinsurance_percent": check.coinsurance_percent,
        "deductible_remaining": check.deductible_remaining,
        "out_of_pocket_remaining": check.out_of_pocket_remaining,
        "other_payer_named": check.other_payer_named,
        "summary": queries.summary_of(check),
    }


def _audit(request: HttpRequest, check: Any) -> None:
    record(
        AuditAction.READ, actor=request.user, target=check, patient_id=check.patient_id,
        detail={"what": "eligibility result (API)"},
    )  # fmt: skip


@router.post(
    "/coverages/{int:coverage_id}/eligibility-checks",
    response={201: s.CheckOut, **REFUSED},
    url_name="insurance-check-coverage",
)
def check_coverage(request: HttpRequest, coverage_id: int, payload: s.CheckIn) -> Any:
    """Check a coverage now (real time). 201 whatever the payer said: read ``status``."""
    require(request, CHECK)
    coverage = queries.get_coverage(coverage_id)
    if coverage is None:
        raise ProblemError(404, "Not found", f"No coverage with id {coverage_id}.")
    types = tuple(t.strip().upper() for t in payload.service_types or () if t.strip())
    try:
        found = eligibility.check_eligibility(
            coverage, service_date=payload.service_date or timezone.localdate(),
            acting_user=request.user, service_types=types or None,
        )  # fmt: skip
    except InsuranceRefused as exc:
        raise refused(exc) from None
    _audit(request, found)
    return Status(201, check_out(found))


@router.post(
    "/appointments/{int:appointment_id}/eligibility-checks",
    response={201: s.CheckOut, **REFUSED},
    url_name="insurance-check-appointment",
)
def check_appointment(request: HttpRequest, appointment_id: int) -> Any:
    """Check the primary coverage for an appointment, asking the visit type's service types."""
    require(request, CHECK)
    appointment = scheduling.get_appointment(appointment_id)
    if appointment is None:
        raise ProblemError(404, "Not found", f"No appointment with id {appointment_id}.")
    day = timezone.localdate(appointment.starts_at)
    coverage = queries.primary_coverage(appointment.patient_id, on=day)
    if coverage is None:
        raise refused(InsuranceRefused("No coverage on file for this visit's date."))
    try:
        found = eligibility.check_eligibility(
            coverage, service_date=day, acting_user=request.user, appointment=appointment
        )
    except InsuranceRefused as exc:
        raise refused(exc) from None
    _audit(request, found)
    return Status(201, check_out(found))


@router.get(
    "/eligibility-checks/{int:check_id}",
    response={200: s.CheckOut, 404: s.Problem},
    url_name="insurance-check",
)
def get_check(request: HttpRequest, check_id: int) -> Any:
    require(request, VIEW)
    found = queries.get_check(check_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No eligibility check with id {check_id}.")
    _audit(request, found)
    return check_out(found)


@router.get(
    "/patients/{int:patient_id}/eligibility-checks",
    response={200: list[s.CheckOut]},
    url_name="insurance-patient-checks",
)
def patient_checks(request: HttpRequest, patient_id: int) -> Any:
    """The patient's checks, newest first (at most 50)."""
    require(request, VIEW)
    rows = list(queries.checks_of(patient_id))
    record(
        AuditAction.READ, actor=request.user, target_type="patients.patient",
        target_id=patient_id, patient_id=patient_id, detail={"what": "eligibility history (API)"},
    )  # fmt: skip
    return [check_out(c) for c in rows]


@router.post("/eligibility-batches", response={200: s.BatchOut}, url_name="insurance-batch")
def run_batch(request: HttpRequest, payload: s.BatchIn) -> Any:
    """Check every booked visit of a day (default: the next business day); idempotent."""
    require(request, CHECK)
    day: dt.date = payload.date or batch.next_business_day()
    result = batch.run_day(day, acting_user=request.user)
    keys = ("checked", "active", "problem", "queued", "skipped", "no_coverage")
    return {"date": day, **{k: result.counts[k] for k in keys}, "summary": result.sentence()}
