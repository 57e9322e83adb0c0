"""Insurance API: a patient's coverages (member IDs are PHI: every answer showing them is audited).

Handlers parse, authorize, call ``services.coverages`` and render. Unknown coverages and patients
in the path answer 404; unknown records named in a body, and field problems, 422; refusals (a
second active primary, a removed coverage) 409 — all as problem details.

No ``from __future__ import annotations`` here: ninja evaluates the annotations of a handler
wrapped by ``@paginate`` in the pagination module's namespace.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import paginate

from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.insurance import api_schemas_coverage as s
from medoffice.insurance.api_payers import invalid, invalid_from, refused
from medoffice.insurance.choices import CoverageStatus
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import Coverage, CoverageCard, InsurancePlan
from medoffice.insurance.services import coverages as services
from medoffice.patients import queries as patients

router = Router(tags=["insurance"])

VIEW = "insurance.view_coverage"
ADD = "insurance.add_coverage"
CHANGE = "insurance.change_coverage"
NOT_FOUND: dict[int, Any] = {404: s.ProblemOut}
INVALID: dict[int, Any] = {422: s.InvalidProblemOut}
REFUSED: dict[int, Any] = {409: s.ProblemOut}
NULLABLE = {"end_date", "subscriber_patient", "subscriber_birth_date"}


def _rows() -> Any:
    cards = CoverageCard.objects.only("id", "coverage_id", "side", "width", "height", "captured_at")
    return Coverage.objects.select_related("plan__payer").prefetch_related(
        Prefetch("cards", queryset=cards.order_by("side"))
    )


def _coverage_or_404(coverage_id: int) -> Coverage:
    found = _rows().filter(pk=coverage_id).first()
    if found is None:
        raise ProblemError(404, "Not found", f"No coverage with id {coverage_id}.")
    return found


def _out(c: Coverage) -> dict[str, Any]:
    return {
        "id": c.pk,
        "patient_id": c.patient_id,
        "plan_id": c.plan_id,
        "plan_name": c.plan.name,
        "plan_type": c.plan.plan_type,
        "payer_id": c.plan.payer_id,
        "payer_name": c.plan.payer.name,
        "order": c.order,
        "order_label": c.get_order_display(),
        "member_id": c.member_id,
        "group_number": c.group_number,
        "subscriber": {
            "relationship": c.relationship,
            "relationship_label": c.get_relationship_display(),
            "patient_id": c.subscriber_patient_id,
            "last_name": c.subscriber_last_name,
            "first_name": c.subscriber_first_name,
            "middle_name": c.subscriber_middle_name,
            "birth_date": c.subscriber_birth_date,
            "sex": c.subscriber_sex,
        },
        "effective_date": c.effective_date,
        "end_date": c.end_date,
        "status": c.status,
        "notes": c.notes,
        "cards": [
            {"side": k.side, "width": k.width, "height": k.height, "captured_at": k.captured_at}
            for k in c.cards.all()
        ],
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _shown(request: HttpRequest, coverage: Coverage) -> dict[str, Any]:
    """One coverage as answered, audited as a read of the patient's coverage."""
    services.audit_read(
        coverage.patient_id, acting_user=request.user, what="coverage (API)", target=coverage
    )
    return _out(coverage)


def _references(data: dict[str, Any]) -> dict[str, Any]:
    """``plan_id`` and ``subscriber_patient_id`` become records; unknown ids answer 422."""
    missing: list[tuple[str, str]] = []
    if "plan_id" in data:
        ref = data.pop("plan_id")
        data["plan"] = InsurancePlan.objects.select_related("payer").filter(pk=ref).first()
        if data["plan"] is None:
            missing.append(("plan", f"No plan with id {ref}."))
    if "subscriber_patient_id" in data:
        ref = data.pop("subscriber_patient_id")
        data["subscriber_patient"] = None if ref is None else patients.get_patient(ref)
        if ref is not None and data["subscriber_patient"] is None:
            missing.append(("subscriber_patient", f"No patient with id {ref}."))
    if missing:
        raise invalid(missing)
    return data


@router.get(
    "/patients/{int:patient_id}/coverages",
    response={200: list[s.CoverageOut], **NOT_FOUND},
    url_name="insurance-patient-coverages",
)
@paginate(MedofficePagination)
def list_coverages(
    request: HttpRequest, patient_id: int, include_ended: bool = False
) -> list[dict[str, Any]]:
    """The patient's active coverages in order (with ``include_ended``, ended and removed ones
    after them); audited as a read of the patient's coverages."""
    require(request, VIEW)
    if patients.get_patient(patient_id) is None:
        raise ProblemError(404, "Not found", f"No patient with id {patient_id}.")
    rows = _rows().filter(patient_id=patient_id)
    if not include_ended:
        rows = rows.filter(status=CoverageStatus.ACTIVE)
    found = list(rows.order_by("status", "order", "-effective_date", "pk"))
    services.audit_read(patient_id, acting_user=request.user, what="coverages (API)")
    return [_out(c) for c in found]


@router.post(
    "/coverages",
    response={201: s.CoverageOut, **REFUSED, **INVALID},
    url_name="insurance-coverage-add",
)
def add_coverage(request: HttpRequest, payload: s.CoverageIn, response: HttpResponse) -> Any:
    """Put a plan on a patient's file; 409 when that order already has an active coverage."""
    require(request, ADD)
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    patient = patients.get_patient(data.pop("patient_id"))
    if patient is None:
        raise invalid([("patient_id", f"No patient with id {payload.patient_id}.")])
    data = _references(data)
    try:
        coverage = services.add_coverage(
            patient,
            acting_user=request.user,
            plan=data.pop("plan"),
            member_id=data.pop("member_id"),
            effective_date=data.pop("effective_date"),
            **data,
        )
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except InsuranceRefused as exc:
        raise refused(exc) from None
    response["Location"] = reverse("api:insurance-coverage", kwargs={"coverage_id": coverage.pk})
    return Status(201, _out(_coverage_or_404(coverage.pk)))


@router.get(
    "/coverages/{int:coverage_id}",
    response={200: s.CoverageOut, **NOT_FOUND},
    url_name="insurance-coverage",
)
def get_coverage(request: HttpRequest, coverage_id: int) -> Any:
    require(request, VIEW)
    return _shown(request, _coverage_or_404(coverage_id))


@router.patch(
    "/coverages/{int:coverage_id}",
    response={200: s.CoverageOut, **NOT_FOUND, **REFUSED, **INVALID},
    url_name="insurance-coverage-change",
)
def change_coverage(request: HttpRequest, coverage_id: int, payload: s.CoveragePatch) -> Any:
    """Change the fields sent (null clears end_date, subscriber_patient_id or birth date)."""
    require(request, CHANGE)
    coverage = _coverage_or_404(coverage_id)
    data = _references(payload.model_dump(exclude_unset=True))
    nulls = [k for k, v in data.items() if v is None and k not in NULLABLE]
    if nulls:
        raise invalid([(k, "Send a value, or leave the field out.") for k in nulls])
    try:
        services.change_coverage(coverage, acting_user=request.user, **data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except InsuranceRefused as exc:
        raise refused(exc) from None
    return _shown(request, _coverage_or_404(coverage_id))


@router.post(
    "/coverages/{int:coverage_id}/end",
    response={200: s.CoverageOut, **NOT_FOUND, **REFUSED, **INVALID},
    url_name="insurance-coverage-end",
)
def end_coverage(request: HttpRequest, coverage_id: int, payload: s.CoverageEndIn) -> Any:
    """The coverage is over as of ``end_date`` (today or earlier); its order is free again."""
    require(request, CHANGE)
    coverage = _coverage_or_404(coverage_id)
    try:
        services.end_coverage(coverage, acting_user=request.user, end_date=payload.end_date)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except InsuranceRefused as exc:
        raise refused(exc) from None
    return _shown(request, _coverage_or_404(coverage_id))


@router.delete(
    "/coverages/{int:coverage_id}",
    response={204: None, **NOT_FOUND, **REFUSED},
    url_name="insurance-coverage-remove",
)
def remove_coverage(request: HttpRequest, coverage_id: int) -> Any:
    """Entered in error: the coverage is marked removed (the row stays for the audit trail)."""
    require(request, CHANGE)
    coverage = _coverage_or_404(coverage_id)
    try:
        services.remove_coverage(coverage, acting_user=request.user)
    except InsuranceRefused as exc:
        raise refused(exc) from None
    return Status(204, None)
