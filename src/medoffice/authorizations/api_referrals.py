"""Referrals in the API: list, record, read, change, cancel, count and uncount a visit."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from medoffice.api.security import require
from medoffice.authorizations import api_schemas as s
from medoffice.authorizations import queries, services, usage
from medoffice.authorizations.api_support import invalid_from, not_found, refused, resolve
from medoffice.authorizations.errors import AuthorizationRefused

router = Router(tags=["authorizations"])
VIEW, ADD, CHANGE = (
    "authorizations.view_referral",
    "authorizations.add_referral",
    "authorizations.change_referral",
)
ANSWERS: dict[int, Any] = {404: s.Problem, 409: s.Problem, 422: s.InvalidProblem}
LIMIT = 200


class ReferralFilter(Schema):
    patient: int | None = None
    direction: str | None = None
    status: str | None = None


def _referral(referral_id: int) -> Any:
    found = queries.get_referral(referral_id)
    if found is None:
        raise not_found("referral", referral_id)
    return found


def _references(payload: Any) -> dict[str, Any]:
    sent = payload.model_dump(exclude_unset=True)
    wanted = {
        "coverage": ("coverage", sent.get("coverage_id")),
        "referring_provider": ("referring provider", sent.get("referring_provider_id")),
        "to_provider": ("provider", sent.get("to_provider_id")),
        "to_specialist": ("referring provider", sent.get("to_specialist_id")),
        "from_provider": ("provider", sent.get("from_provider_id")),
    }
    found = resolve({k: v for k, v in wanted.items() if f"{k}_id" in sent})
    plain = {k: v for k, v in sent.items() if not k.endswith("_id")}
    return {**plain, **found}


@router.get("/referrals", response=list[s.ReferralOut], url_name="authorizations-referrals")
def list_referrals(request: HttpRequest, filters: Query[ReferralFilter]) -> Any:
    """Referrals, newest first (at most 200); filter by patient, direction, status."""
    require(request, VIEW)
    rows = usage.referrals()
    for name in ("direction", "status"):
        value = getattr(filters, name)
        if value:
            rows = rows.filter(**{name: value})
    if filters.patient is not None:
        rows = rows.filter(patient_id=filters.patient)
    found = list(rows.order_by("-start_date", "-pk")[:LIMIT])
    services.audit_shown([r.patient_id for r in found], acting_user=request.user,
                         what="referrals (API)")  # fmt: skip
    return found


@router.post(
    "/referrals", response={201: s.ReferralOut, **ANSWERS}, url_name="authorizations-referral-new"
)
def record_referral(request: HttpRequest, payload: s.ReferralIn, response: HttpResponse) -> Any:
    """Record an incoming referral (from a PCP) or an outgoing one (to a specialist)."""
    require(request, ADD)
    patient = resolve({"patient": ("patient", payload.patient_id)})["patient"]
    fields = _references(payload)
    for name in (
        "patient_id",
        "patient",
        "direction",
        "start_date",
        "end_date",
        "visits_authorized",
    ):
        fields.pop(name, None)
    try:
        referral = services.record_referral(
            acting_user=request.user, patient=patient, direction=payload.direction,
            start_date=payload.start_date, end_date=payload.end_date,
            visits_authorized=payload.visits_authorized, **fields,
        )  # fmt: skip
    except ValidationError as exc:
        raise invalid_from(exc) from None
    return Status(201, _referral(referral.pk))


@router.get("/referrals/{int:referral_id}", response={200: s.ReferralOut, 404: s.Problem},
            url_name="authorizations-referral")  # fmt: skip
def get_referral(request: HttpRequest, referral_id: int) -> Any:
    require(request, VIEW)
    referral = _referral(referral_id)
    services.audit_read(referral.patient_id, acting_user=request.user, what="referral (API)",
                        target=referral)  # fmt: skip
    return referral


@router.patch("/referrals/{int:referral_id}", response={200: s.ReferralOut, **ANSWERS})
def change_referral(request: HttpRequest, referral_id: int, payload: s.ReferralPatch) -> Any:
    """Change the fields sent (more visits, a later end, the number once known)."""
    require(request, CHANGE)
    referral = _referral(referral_id)
    try:
        services.change_referral(referral, acting_user=request.user, **_references(payload))
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return _referral(referral_id)


@router.post("/referrals/{int:referral_id}/cancel", response={200: s.ReferralOut, **ANSWERS})
def cancel_referral(request: HttpRequest, referral_id: int, payload: s.CancelIn) -> Any:
    require(request, CHANGE)
    referral = _referral(referral_id)
    try:
        services.cancel_referral(referral, acting_user=request.user, reason=payload.reason)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return _referral(referral_id)


@router.post("/referrals/{int:referral_id}/visits", response={201: s.VisitOut, **ANSWERS})
def link_visit(request: HttpRequest, referral_id: int, payload: s.VisitIn) -> Any:
    """Count an appointment against the referral; 409 with the reason when it can't count."""
    require(request, CHANGE)
    referral = _referral(referral_id)
    appointment = resolve({"appointment": ("appointment", payload.appointment_id)})["appointment"]
    try:
        visit = services.link_visit(referral, appointment, acting_user=request.user)
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    left = _referral(referral_id).visits_left
    return Status(201, {"referral_id": referral.pk, "appointment_id": appointment.pk,
                        "linked_at": visit.linked_at, "visits_left": left})  # fmt: skip


@router.delete("/referrals/{int:referral_id}/visits/{int:appointment_id}",
               response={204: None, **ANSWERS})  # fmt: skip
def unlink_visit(request: HttpRequest, referral_id: int, appointment_id: int) -> Any:
    require(request, CHANGE)
    referral = _referral(referral_id)
    appointment = resolve({"appointment": ("appointment", appointment_id)})["appointment"]
    try:
        services.unlink_visit(referral, appointment, acting_user=request.user)
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return Status(204, None)
