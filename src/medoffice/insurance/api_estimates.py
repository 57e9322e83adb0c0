"""Insurance API: the patient estimate for an appointment, and Good Faith Estimates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status

from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core.pdf import pdf_response
from medoffice.insurance import api_schemas_eligibility as s
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import GoodFaithEstimate
from medoffice.insurance.services import estimates
from medoffice.patients import queries as patients
from medoffice.scheduling import queries as scheduling

router = Router(tags=["insurance"])


def _appointment(appointment_id: int) -> Any:
    found = scheduling.get_appointment(appointment_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No appointment with id {appointment_id}.")
    return found


@router.get(
    "/appointments/{int:appointment_id}/estimate",
    response={200: s.EstimateOut, 404: s.Problem},
    url_name="insurance-estimate",
)
def visit_estimate(request: HttpRequest, appointment_id: int) -> Any:
    """What the patient is likely to owe: planned services, allowed amounts, the 271 benefits."""
    require(request, "insurance.view_coverage")
    appointment = _appointment(appointment_id)
    day = timezone.localdate(appointment.starts_at)
    found = estimates.estimate_visit(appointment.patient_id, appointment.appointment_type_id, day)
    record(
        AuditAction.READ, actor=request.user, target=appointment,
        patient_id=appointment.patient_id, detail={"what": "patient estimate (API)"},
    )  # fmt: skip
    e = found.estimate
    return {
        "appointment_id": appointment.pk,
        "self_pay": found.self_pay,
        "available": e is not None,
        "allowed_total": e.allowed_total if e else None,
        "patient_owes": e.patient_owes if e else None,
        "plan_pays": e.plan_pays if e else None,
        "copay": e.copay if e else None,
        "deductible": e.deductible if e else None,
        "coinsurance": e.coinsurance if e else None,
        "capped_by_out_of_pocket": bool(e and e.capped_by_out_of_pocket),
        "steps": list(e.steps) if e else [],
        "unknowns": list(e.unknowns) if e else [],
        "notes": found.notes,
        "lines": [
            {
                "code": ln.code,
                "description": ln.description,
                "units": ln.units,
                "unit_amount": ln.unit_amount,
                "amount": ln.amount,
            }
            for ln in found.lines
        ],
        "eligibility_check_id": found.check.pk if found.check else None,
    }


def _gfe_out(gfe: GoodFaithEstimate) -> dict[str, Any]:
    return {
        "id": gfe.pk, "number": gfe.number, "patient_id": gfe.patient_id,
        "service_date": gfe.service_date, "total": gfe.total, "issued_at": gfe.issued_at,
        "lines": gfe.lines,
        "pdf_url": reverse("api:insurance-gfe-pdf", kwargs={"gfe_id": gfe.pk}),
    }  # fmt: skip


@router.post(
    "/good-faith-estimates",
    response={201: s.GfeOut, 404: s.Problem, 409: s.Problem, 422: s.Problem},
    url_name="insurance-gfe",
)
def issue_gfe(request: HttpRequest, payload: s.GfeIn) -> Any:
    """Issue a Good Faith Estimate (No Surprises Act) as a PDF kept with the patient."""
    require(request, "insurance.add_goodfaithestimate")
    patient = patients.get_patient(payload.patient_id)
    if patient is None:
        raise ProblemError(404, "Not found", f"No patient with id {payload.patient_id}.")
    appointment = _appointment(payload.appointment_id) if payload.appointment_id else None
    if appointment is not None and appointment.patient_id != patient.pk:
        raise ProblemError(422, "Invalid", "The appointment is not this patient's.")
    if payload.lines is not None:
        lines = [line.dict() for line in payload.lines]
    else:
        lines = estimates.lines_for_gfe(appointment.appointment_type_id) if appointment else []
    try:
        gfe = estimates.issue_good_faith_estimate(
            acting_user=request.user, patient=patient, service_date=payload.service_date,
            lines=lines, appointment=appointment,
            provider=appointment.provider if appointment else None,
        )  # fmt: skip
    except ValidationError as exc:
        raise ProblemError(422, "Invalid", " ".join(exc.messages)) from None
    except InsuranceRefused as exc:
        raise ProblemError(409, "Refused", exc.message) from None
    return Status(201, _gfe_out(gfe))


@router.get(
    "/good-faith-estimates/{int:gfe_id}/pdf",
    response={200: None, 404: s.Problem},
    url_name="insurance-gfe-pdf",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def gfe_pdf(request: HttpRequest, gfe_id: int) -> HttpResponse:
    require(request, "insurance.view_goodfaithestimate")
    gfe = GoodFaithEstimate.objects.filter(pk=gfe_id).first()
    if gfe is None:
        raise ProblemError(404, "Not found", f"No estimate with id {gfe_id}.")
    data = estimates.good_faith_estimate_pdf(gfe, acting_user=request.user)
    return pdf_response(data, f"good-faith-estimate-{gfe.pk}.pdf")
