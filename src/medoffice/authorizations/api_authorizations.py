"""Prior authorizations in the API: list, draft, read, change, submit, decision, links, alerts."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from medoffice.api.security import require
from medoffice.authorizations import api_schemas as s
from medoffice.authorizations import queries, services, usage
from medoffice.authorizations.api_support import invalid, invalid_from, not_found, refused, resolve
from medoffice.authorizations.errors import AuthorizationRefused

router = Router(tags=["authorizations"])
VIEW, ADD, CHANGE = (
    "authorizations.view_priorauthorization",
    "authorizations.add_priorauthorization",
    "authorizations.change_priorauthorization",
)
ANSWERS: dict[int, Any] = {404: s.Problem, 409: s.Problem, 422: s.InvalidProblem}
LIMIT = 200
PATH = "/prior-authorizations"


class AuthorizationFilter(Schema):
    patient: int | None = None
    status: str | None = None


def _rows() -> Any:
    return usage.authorizations().prefetch_related("services", "diagnoses", "appointments")


def _authorization(authorization_id: int) -> Any:
    found = _rows().filter(pk=authorization_id).first()
    if found is None:
        raise not_found("prior authorization", authorization_id)
    return found


def _references(sent: dict[str, Any]) -> dict[str, Any]:
    kinds = {
        "coverage": "coverage",
        "requesting_provider": "provider",
        "servicing_provider": "provider",
        "appointment_type": "appointment type",
    }
    found = resolve({k: (kind, sent[f"{k}_id"]) for k, kind in kinds.items() if f"{k}_id" in sent})
    plain = {k: v for k, v in sent.items() if not k.endswith("_id")}
    return {**plain, **found}


@router.get(PATH, response=list[s.AuthorizationOut], url_name="authorizations-list")
def list_authorizations(request: HttpRequest, filters: Query[AuthorizationFilter]) -> Any:
    """Prior authorizations, newest first (at most 200); filter by patient and status."""
    require(request, VIEW)
    rows = _rows()
    if filters.patient is not None:
        rows = rows.filter(patient_id=filters.patient)
    if filters.status:
        rows = rows.filter(status=filters.status)
    found = list(rows.order_by("-created_at", "-pk")[:LIMIT])
    services.audit_shown([a.patient_id for a in found], acting_user=request.user,
                         what="prior authorizations (API)")  # fmt: skip
    return found


@router.post(PATH, response={201: s.AuthorizationOut, **ANSWERS}, url_name="authorizations-new")
def draft_authorization(request: HttpRequest, payload: s.AuthorizationIn) -> Any:
    """Draft a request: services (CPT/HCPCS, units, dates) and diagnoses (ICD-10-CM)."""
    require(request, ADD)
    sent = payload.model_dump(exclude_unset=True)
    patient = resolve({"patient": ("patient", payload.patient_id)})["patient"]
    sent.pop("patient_id")
    fields = _references(sent)
    lines = [services.ServiceInput(**line) for line in fields.pop("services")]
    diagnoses = fields.pop("diagnoses")
    try:
        authorization = services.draft_authorization(
            acting_user=request.user, patient=patient, services=lines, diagnoses=diagnoses,
            **fields,
        )  # fmt: skip
    except ValidationError as exc:
        raise invalid_from(exc) from None
    return Status(201, _authorization(authorization.pk))


@router.get(PATH + "/{int:authorization_id}", response={200: s.AuthorizationOut, 404: s.Problem},
            url_name="authorizations-detail")  # fmt: skip
def get_authorization(request: HttpRequest, authorization_id: int) -> Any:
    require(request, VIEW)
    authorization = _authorization(authorization_id)
    services.audit_read(authorization.patient_id, acting_user=request.user,
                        what="prior authorization (API)", target=authorization)  # fmt: skip
    return authorization


@router.patch(PATH + "/{int:authorization_id}", response={200: s.AuthorizationOut, **ANSWERS})
def change_authorization(
    request: HttpRequest, authorization_id: int, payload: s.AuthorizationPatch
) -> Any:
    """Edit a draft; once sent, only ``notes``."""
    require(request, CHANGE)
    authorization = _authorization(authorization_id)
    fields = _references(payload.model_dump(exclude_unset=True))
    if "services" in fields:
        fields["services"] = [services.ServiceInput(**line) for line in fields["services"]]
    try:
        services.change_authorization(authorization, acting_user=request.user, **fields)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return _authorization(authorization_id)


@router.post(
    PATH + "/{int:authorization_id}/submit",
    response={200: s.AuthorizationOut, 502: s.SubmissionProblem, **ANSWERS},
)
def submit(request: HttpRequest, authorization_id: int, payload: s.SubmitIn) -> Any:
    """Send the request: X12 278 (the payer's answer comes back at once), or record it as
    faxed, entered on the portal or phoned in. 502 when the 278 could not be exchanged (the
    request stays a draft, nothing recorded as sent; ``retry_may_help`` says if trying later
    may work)."""
    require(request, CHANGE)
    authorization = _authorization(authorization_id)
    try:
        services.submit_authorization(
            authorization, acting_user=request.user, via=payload.via, reference=payload.reference
        )
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return _authorization(authorization_id)


@router.post(
    PATH + "/{int:authorization_id}/decision", response={200: s.AuthorizationOut, **ANSWERS}
)
def decision(request: HttpRequest, authorization_id: int, payload: s.DecisionIn) -> Any:
    """The payer's decision taken by phone or portal: approved (number and dates), denied
    (reason) or pending."""
    require(request, CHANGE)
    authorization = _authorization(authorization_id)
    try:
        services.record_decision(authorization, acting_user=request.user, **payload.model_dump())
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return _authorization(authorization_id)


@router.post(PATH + "/{int:authorization_id}/appointments", response={201: s.LinkOut, **ANSWERS})
def link_appointment(request: HttpRequest, authorization_id: int, payload: s.LinkIn) -> Any:
    """The appointment is covered by (and uses units of) this authorization."""
    require(request, CHANGE)
    authorization = _authorization(authorization_id)
    appointment = resolve({"appointment": ("appointment", payload.appointment_id)})["appointment"]
    try:
        link = services.link_appointment(
            authorization, appointment, acting_user=request.user, units=payload.units
        )
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return Status(201, link)


@router.delete(PATH + "/{int:authorization_id}/appointments/{int:appointment_id}",
               response={204: None, **ANSWERS})  # fmt: skip
def unlink_appointment(request: HttpRequest, authorization_id: int, appointment_id: int) -> Any:
    require(request, CHANGE)
    authorization = _authorization(authorization_id)
    appointment = resolve({"appointment": ("appointment", appointment_id)})["appointment"]
    try:
        services.unlink_appointment(authorization, appointment, acting_user=request.user)
    except AuthorizationRefused as exc:
        raise refused(exc) from None
    return Status(204, None)


@router.get("/alerts", response={200: list[s.AlertOut], 422: s.InvalidProblem},
            url_name="authorizations-alerts")  # fmt: skip
def alerts(request: HttpRequest, within_days: int = 14, today: dt.date | None = None) -> Any:
    """Authorizations ending within ``within_days`` or nearly out of units, and incoming
    referrals with at most one visit left or ending soon."""
    require(request, VIEW)
    if not 0 <= within_days <= 365:
        raise invalid([("within_days", "Give 0 to 365 days.")])
    found = queries.alerts(today or timezone.localdate(), within_days=within_days)
    if not request.user.has_perm("authorizations.view_referral"):
        found = [a for a in found if a.referral is None]
    services.audit_shown([a.patient_id for a in found], acting_user=request.user,
                         what="authorization alerts (API)")  # fmt: skip
    return [
        {
            "kind": a.kind, "message": a.message, "patient_id": a.patient_id,
            "referral_id": a.referral.pk if a.referral else None,
            "authorization_id": a.authorization.pk if a.authorization else None,
            "ends": a.ends, "left": a.left,
        }
        for a in found
    ]  # fmt: skip
