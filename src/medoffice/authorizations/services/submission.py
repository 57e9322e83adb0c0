"""Prior authorization by X12 278 (005010X217) through the clearinghouse, and reading a 278
response into the authorization's status.

Like eligibility checks, the network call is made with no transaction open (a slow payer must
not hold a database lock): the request is built and its envelope numbers taken first, then the
exchange, then the answer is read in full and stored in one transaction. A timeout or a payer
error leaves the request a draft, not submitted, with the reason on it (``SubmissionFailed``):
nothing half-done. An answer that cannot be read is kept (encrypted) and the request is marked
submitted with words saying to call the payer, since it did reach them.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.authorizations.choices import AuthorizationStatus, SubmittedVia
from medoffice.authorizations.errors import AuthorizationRefused, SubmissionFailed
from medoffice.authorizations.models import AuthorizationService, PriorAuthorization
from medoffice.authorizations.services.authorizations import ready_to_send
from medoffice.authorizations.services.common import AuditAction, audit, user_or_none
from medoffice.authorizations.services.x12_request import build_request

S = AuthorizationStatus
PAYLOAD_278 = "X12_278_Request_005010X217E1_2"
UNREADABLE = "Sent, but the payer's answer could not be read: call the payer for the decision."
NOT_SENT = "Not submitted: {} Nothing was recorded as sent; try again, or fax the request form."
NO_NUMBER = "The payer approved it without an authorization number: call the payer for it."
# The 278 answer's status -> ours (and words for the desk when it is not a plain decision).
STATUSES: dict[str, tuple[str, str]] = {
    "approved": (S.APPROVED, ""),
    "partial": (S.APPROVED, "Approved in part: check the units granted per line."),
    "modified": (S.APPROVED, "Approved with changes: check the units and dates granted."),
    "denied": (S.DENIED, ""),
    "pending": (S.PENDING, "The payer is reviewing the request."),
    "contact_payer": (S.PENDING, "The payer asks you to call them about this request."),
    "cancelled": (S.CANCELLED, "The payer cancelled the request."),
    "not_required": (S.SUBMITTED, "The payer says no authorization is needed for these services."),
}


def new_trace_number() -> str:
    return "PA" + timezone.now().strftime("%y%m%d") + secrets.token_hex(5).upper()


def _clearinghouse(payer: Any) -> Any:
    from medoffice.insurance.errors import InsuranceRefused
    from medoffice.insurance.services.envelopes import clearinghouse_for

    try:
        return clearinghouse_for(payer)
    except InsuranceRefused as exc:
        raise AuthorizationRefused(exc.message) from None


def _prepare(authorization: PriorAuthorization) -> tuple[PriorAuthorization, Any, str, str]:
    """(the draft re-read, its clearinghouse, the trace number, the 278 text)."""
    from medoffice.insurance.services.envelopes import next_envelope_ids
    from medoffice.interchange.x12 import X12Error, build_278_request

    current = (
        PriorAuthorization.objects.select_related(
            "payer", "coverage__subscriber_patient", "patient", "requesting_provider",
            "servicing_provider",
        )
        .prefetch_related("services", "diagnoses")
        .get(pk=authorization.pk)
    )  # fmt: skip
    ready_to_send(current)
    payer = current.payer
    if payer is None or not payer.accepts_278:
        name = payer.name if payer is not None else "This payer"
        raise AuthorizationRefused(f"{name} does not take 278 requests: fax or use the portal.")
    clearinghouse = _clearinghouse(payer)
    trace = new_trace_number()
    request = build_request(current, trace_number=trace, today=timezone.localdate())
    with transaction.atomic():
        ids = next_envelope_ids(clearinghouse)
    try:
        text = build_278_request(request, ids)
    except X12Error as exc:
        raise AuthorizationRefused(
            f"The request cannot be written as a 278: {exc.message}"
        ) from None
    return current, clearinghouse, trace, text


def _failed(authorization: PriorAuthorization, message: str, retry: bool, acting_user: Any) -> None:
    """Keep why it failed on the draft (its own transaction); the status does not move."""
    with transaction.atomic():
        PriorAuthorization.objects.filter(pk=authorization.pk, status=S.DRAFT).update(
            payer_message=message[:300], retry_may_help=retry, updated_at=timezone.now()
        )
        audit(
            AuditAction.UPDATE, authorization, acting_user=acting_user,
            patient_id=authorization.patient_id, fields=["payer_message"],
            detail={"status": S.DRAFT, "via": SubmittedVia.X12, "sent": False},
            outcome="failure",
        )  # fmt: skip


def submit_278(authorization: PriorAuthorization, *, acting_user: Any) -> PriorAuthorization:
    """Send the draft as a 278 and store the payer's answer (approved, denied, pending ...)."""
    from medoffice.insurance.services.envelopes import clearinghouse_settings
    from medoffice.integrations.clearinghouses import ClearinghouseError, connect

    current, clearinghouse, trace, request_text = _prepare(authorization)
    try:
        link = connect(clearinghouse_settings(clearinghouse))
        answer = link.exchange_realtime(request_text, payload_type=PAYLOAD_278)
    except ClearinghouseError as exc:
        if exc.status == "bad_response":  # it reached the payer; their answer is unusable
            return _store_answer(current, trace, request_text, "", acting_user, exc.message)
        message = NOT_SENT.format(exc.message.rstrip(".") + ".")
        _failed(current, message, exc.retry_may_help, acting_user)
        raise SubmissionFailed(message, retry_may_help=exc.retry_may_help) from None
    return _store_answer(current, trace, request_text, answer.payload, acting_user)


def _pick(responses: list[Any], trace: str) -> Any:
    from medoffice.interchange.x12 import X12Error

    for response in responses:
        if trace and trace in response.trace_numbers:
            return response
    if len(responses) == 1:
        return responses[0]
    raise X12Error("the answer is for another request")


def _store_answer(
    current: PriorAuthorization,
    trace: str,
    request_text: str,
    payload: str,
    acting_user: Any,
    unusable: str = "",
) -> PriorAuthorization:
    from medoffice.interchange.x12 import X12Error, read_278_response

    response = None
    if not unusable:
        try:
            response = _pick(read_278_response(payload), trace)
        except X12Error:
            response = None
    with transaction.atomic():
        locked = PriorAuthorization.objects.select_for_update().get(pk=current.pk)
        ready_to_send(locked)
        if response is not None and response.status == "rejected":
            return _rejected(locked, response, request_text, payload, acting_user)
        locked.trace_number = trace
        locked.raw_278_request = request_text
        locked.submitted_via = SubmittedVia.X12
        locked.submitted_at = timezone.now()
        locked.submitted_by = user_or_none(acting_user)
        locked.status = S.SUBMITTED
        if response is None:
            locked.raw_278_response = payload
            locked.payer_message = UNREADABLE
            locked.retry_may_help = False
            fields = ["status", "submitted_at", "payer_message"]
        else:
            fields = ["status", "submitted_at", *_apply(locked, response, payload)]
        locked.updated_by = user_or_none(acting_user)
        locked.save()
        audit(
            AuditAction.UPDATE, locked, acting_user=acting_user, patient_id=locked.patient_id,
            fields=fields, detail={"status": locked.status, "via": SubmittedVia.X12},
        )  # fmt: skip
    return locked


def _rejected(
    locked: PriorAuthorization, response: Any, request_text: str, payload: str, acting_user: Any
) -> PriorAuthorization:
    """The payer refused the request itself (AAA): it stays a draft to correct and resend."""
    first = response.rejections[0] if response.rejections else None
    words = first.explanation if first else response.explanation
    locked.payer_message = f"The payer rejected the request: {words}"[:300]
    locked.retry_may_help = bool(first and first.retry_may_help)
    locked.raw_278_request, locked.raw_278_response = request_text, payload
    locked.save()
    audit(
        AuditAction.UPDATE, locked, acting_user=acting_user, patient_id=locked.patient_id,
        fields=["payer_message"], detail={"status": locked.status, "via": SubmittedVia.X12,
                                          "rejected": True},
        outcome="failure",
    )  # fmt: skip
    return locked


def _apply(authorization: PriorAuthorization, response: Any, payload: str) -> list[str]:
    """Fill the authorization from a read 278 response (nothing saved here)."""
    status, words = STATUSES.get(response.status, (S.PENDING, response.explanation))
    number = (response.certification_number or "").strip()[:50]
    if status == S.APPROVED and not number:
        status, words = S.PENDING, NO_NUMBER
    authorization.status = status
    authorization.raw_278_response = payload
    authorization.retry_may_help = False
    authorization.payer_message = (words or "")[:300]
    fields = ["raw_278_response", "payer_message"]
    if status in (S.APPROVED, S.DENIED, S.CANCELLED):
        authorization.decided_at = timezone.now()
        fields.append("decided_at")
    if status == S.APPROVED:
        authorization.certification_number = number
        authorization.effective_from = response.effective_from or authorization.effective_from
        authorization.effective_to = response.effective_to or authorization.effective_to
        _grant_units(authorization, response)
        fields += ["certification_number", "effective_from", "effective_to", "units_approved"]
    elif status == S.DENIED:
        authorization.denial_reason = (response.explanation or "Denied by the payer.")[:300]
        fields.append("denial_reason")
    if number and status != S.APPROVED:
        authorization.payer_reference = number
        fields.append("payer_reference")
    return fields


def _grant_units(authorization: PriorAuthorization, response: Any) -> None:
    decisions = {d.code.upper(): d for d in response.decisions}
    lines = list(authorization.services.all())
    for line in lines:
        decision = decisions.get(line.code)
        if decision is None:
            line.units_approved = line.units_requested
            continue
        line.decision = decision.status[:3]
        if decision.status == "A3":
            line.units_approved = 0
        elif decision.units is not None:
            line.units_approved = int(decision.units)
        else:
            line.units_approved = line.units_requested
    AuthorizationService.objects.bulk_update(lines, ["units_approved", "decision"])


@transaction.atomic
def apply_278_response(
    authorization: PriorAuthorization, payload: str, *, acting_user: Any
) -> PriorAuthorization:
    """A later 278 answer (a pended request decided, a response file from the clearinghouse)."""
    from medoffice.interchange.x12 import X12Error, read_278_response

    locked = PriorAuthorization.objects.select_for_update().get(pk=authorization.pk)
    if locked.status not in (S.SUBMITTED, S.PENDING):
        raise AuthorizationRefused(
            f"A {locked.get_status_display().lower()} authorization takes no payer answer."
        )
    try:
        response = _pick(read_278_response(payload), locked.trace_number)
    except X12Error as exc:
        raise AuthorizationRefused(f"This 278 answer cannot be read: {exc.message}") from None
    if locked.trace_number and locked.trace_number not in response.trace_numbers:
        raise AuthorizationRefused("This 278 answer is for another request.")
    if response.status == "rejected":
        raise AuthorizationRefused(f"The payer rejected the request: {response.explanation}")
    fields = _apply(locked, response, payload)
    locked.updated_by = user_or_none(acting_user)
    locked.save()
    audit(
        AuditAction.UPDATE, locked, acting_user=acting_user, patient_id=locked.patient_id,
        fields=["status", *fields], detail={"status": locked.status, "source": "278 response"},
    )  # fmt: skip
    return locked
