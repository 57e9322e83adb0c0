"""Writes of prior authorizations: draft and change the request, send it by fax, portal or phone
(the X12 278 path is ``submission``), record the payer's decision, expire, and link the
appointments it covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.authorizations.choices import (
    AUTHORIZATION_FLOW,
    EDITABLE_STATUSES,
    AuthorizationStatus,
    Decision,
    SubmittedVia,
)
from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.authorizations.models import (
    AuthorizationAppointment,
    AuthorizationDiagnosis,
    AuthorizationService,
    PriorAuthorization,
)
from medoffice.authorizations.models.authorizations import MAX_UNITS
from medoffice.authorizations.rules import codes
from medoffice.authorizations.services.common import (
    AuditAction,
    audit,
    fail,
    refuse_uncountable,
    user_or_none,
    visit_day,
)
from medoffice.insurance import queries as insurance

S = AuthorizationStatus
EDITABLE = (
    "coverage", "appointment_type", "requesting_provider", "servicing_provider",
    "effective_from", "effective_to", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class ServiceInput:
    """One requested line as entered (a form row or an API item)."""

    code: str
    units: int = 1
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    description: str = ""


def _lines(
    services: Iterable[ServiceInput | Mapping[str, Any]], errors: dict[str, str]
) -> list[ServiceInput]:
    found: list[ServiceInput] = []
    for index, raw in enumerate(services, start=1):
        line = raw if isinstance(raw, ServiceInput) else ServiceInput(**dict(raw))
        code = codes.normalize_procedure(line.code)
        if not code:
            continue
        if not codes.procedure_is_valid(code):
            errors[f"services.{index}.code"] = (
                f"Line {index}: not a CPT or HCPCS code (five characters, e.g. 93015 or G0283)."
            )
        if not 1 <= int(line.units or 0) <= MAX_UNITS:
            errors[f"services.{index}.units"] = f"Line {index}: give 1 to {MAX_UNITS} units."
        if line.from_date and line.to_date and line.to_date < line.from_date:
            errors[f"services.{index}.to_date"] = f"Line {index}: the last day is before the first."
        found.append(
            ServiceInput(code, int(line.units or 0), line.from_date, line.to_date,
                         line.description.strip()[:120])
        )  # fmt: skip
    if not found:
        errors["services"] = "Add at least one service (CPT or HCPCS code)."
    return found


def _diagnoses(raw: Iterable[str], errors: dict[str, str]) -> list[str]:
    found, bad = codes.diagnoses(raw)
    if bad:
        errors["diagnoses"] = "Not ICD-10-CM codes: " + ", ".join(bad)
    elif not found:
        errors["diagnoses"] = "Add at least one diagnosis (ICD-10-CM code)."
    return found


def _check(authorization: PriorAuthorization, errors: dict[str, str]) -> None:
    coverage = authorization.coverage
    if coverage is not None:
        if coverage.patient_id != authorization.patient_id:
            errors["coverage"] = "That coverage belongs to another patient."
        else:
            authorization.payer = coverage.plan.payer
    starts, ends = authorization.effective_from, authorization.effective_to
    if starts and ends and ends < starts:
        errors["effective_to"] = "The authorization ends before it starts."


def _write_lines(
    authorization: PriorAuthorization, lines: list[ServiceInput], diagnoses: list[str]
) -> None:
    authorization.services.all().delete()
    authorization.diagnoses.all().delete()
    AuthorizationService.objects.bulk_create(
        AuthorizationService(
            authorization=authorization, position=n, code=line.code, description=line.description,
            units_requested=line.units, from_date=line.from_date, to_date=line.to_date,
        )
        for n, line in enumerate(lines, start=1)
    )  # fmt: skip
    AuthorizationDiagnosis.objects.bulk_create(
        AuthorizationDiagnosis(authorization=authorization, position=n, code=code)
        for n, code in enumerate(diagnoses, start=1)
    )


@transaction.atomic
def draft_authorization(
    *,
    acting_user: Any,
    patient: Any,
    requesting_provider: Any,
    services: Iterable[ServiceInput | Mapping[str, Any]],
    diagnoses: Iterable[str],
    coverage: Any = None,
    **fields: Any,
) -> PriorAuthorization:
    """A request being prepared; the patient's primary coverage is used unless one is named."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown authorization fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    lines = _lines(services, errors)
    codes_ = _diagnoses(diagnoses, errors)
    authorization = PriorAuthorization(
        patient=patient,
        requesting_provider=requesting_provider,
        coverage=coverage or insurance.primary_coverage(patient.pk, on=timezone.localdate()),
        created_by=user_or_none(acting_user),
        updated_by=user_or_none(acting_user),
        **fields,
    )
    _check(authorization, errors)
    fail(errors)
    authorization.save()
    _write_lines(authorization, lines, codes_)
    audit(
        AuditAction.CREATE, authorization, acting_user=acting_user, patient_id=patient.pk,
        fields=["services", "diagnoses", "requesting_provider", *fields],
        detail={"status": authorization.status, "services": len(lines)},
    )  # fmt: skip
    return authorization


def _locked(authorization: PriorAuthorization) -> PriorAuthorization:
    return (
        PriorAuthorization.objects.select_for_update(of=("self",))
        .select_related("payer", "coverage__plan__payer")
        .get(pk=authorization.pk)
    )


@transaction.atomic
def change_authorization(
    authorization: PriorAuthorization,
    *,
    acting_user: Any,
    services: Iterable[ServiceInput | Mapping[str, Any]] | None = None,
    diagnoses: Iterable[str] | None = None,
    **changes: Any,
) -> PriorAuthorization:
    """Edit a draft (notes may be changed at any time)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown authorization fields: {sorted(unknown)}")
    current = _locked(authorization)
    only_notes = set(changes) <= {"notes"} and services is None and diagnoses is None
    if current.status not in EDITABLE_STATUSES and not only_notes:
        raise AuthorizationRefused(
            f"A {current.get_status_display().lower()} request cannot be edited; only its notes."
        )
    errors: dict[str, str] = {}
    lines = _lines(services, errors) if services is not None else None
    codes_ = _diagnoses(diagnoses, errors) if diagnoses is not None else None
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, changes[name])
    _check(current, errors)
    fail(errors)
    current.updated_by = user_or_none(acting_user)
    current.save()
    if lines is not None or codes_ is not None:
        _write_lines(
            current,
            lines if lines is not None else _existing_lines(current),
            codes_ if codes_ is not None else [d.code for d in current.diagnoses.all()],
        )
        changed += [n for n, v in (("services", lines), ("diagnoses", codes_)) if v is not None]
    audit(
        AuditAction.UPDATE, current, acting_user=acting_user, patient_id=current.patient_id,
        fields=changed,
    )  # fmt: skip
    return current


def _existing_lines(authorization: PriorAuthorization) -> list[ServiceInput]:
    return [
        ServiceInput(s.code, s.units_requested, s.from_date, s.to_date, s.description)
        for s in authorization.services.all()
    ]


def refuse_move(authorization: PriorAuthorization, to: str) -> None:
    if to not in AUTHORIZATION_FLOW.get(authorization.status, ()):
        now = authorization.get_status_display().lower()
        raise AuthorizationRefused(f"A {now} authorization cannot become {S(to).label.lower()}.")


def ready_to_send(authorization: PriorAuthorization) -> None:
    """Refused unless the request can go to a payer (draft, with a coverage and its payer)."""
    if authorization.status != S.DRAFT:
        raise AuthorizationRefused(
            f"This request is {authorization.get_status_display().lower()}: it was sent already."
        )
    if authorization.coverage_id is None or authorization.payer_id is None:
        raise AuthorizationRefused("Choose the patient's coverage before sending the request.")


@transaction.atomic
def submit_by_hand(
    authorization: PriorAuthorization, *, acting_user: Any, via: str, reference: str = ""
) -> PriorAuthorization:
    """Faxed (the printable request form), entered on the payer's portal, or phoned in."""
    if via not in (SubmittedVia.FAX, SubmittedVia.PORTAL, SubmittedVia.PHONE):
        raise AuthorizationRefused("Choose fax, portal or phone.")
    current = _locked(authorization)
    ready_to_send(current)
    current.status = S.SUBMITTED
    current.submitted_via = via
    current.submitted_at = timezone.now()
    current.submitted_by = user_or_none(acting_user)
    current.payer_reference = reference.strip()[:50] or current.payer_reference
    current.payer_message = ""
    current.retry_may_help = False
    current.updated_by = user_or_none(acting_user)
    current.save()
    audit(
        AuditAction.UPDATE, current, acting_user=acting_user, patient_id=current.patient_id,
        fields=["status", "submitted_via", "submitted_at", "payer_reference"],
        detail={"status": current.status, "via": via},
    )  # fmt: skip
    return current


def submit_authorization(
    authorization: PriorAuthorization,
    *,
    acting_user: Any,
    via: str | None = None,
    reference: str = "",
) -> PriorAuthorization:
    """Send the request: by X12 278 when the payer takes it (through the clearinghouse), else
    recorded as faxed, entered on the portal, or phoned in. ``via`` chooses; by default X12 when
    the payer accepts 278s, else fax when it has an authorization fax, else portal, else phone.
    A failed 278 raises ``SubmissionFailed`` and leaves the request a draft, its message saved.
    """
    payer = authorization.payer
    if via is None:
        via = default_via(payer)
    if via == SubmittedVia.X12:
        from medoffice.authorizations.services import submission

        return submission.submit_278(authorization, acting_user=acting_user)
    return submit_by_hand(authorization, acting_user=acting_user, via=via, reference=reference)


def default_via(payer: Any) -> str:
    if payer is None:
        return SubmittedVia.FAX
    if payer.accepts_278:
        return SubmittedVia.X12
    if payer.authorization_fax or payer.fax:
        return SubmittedVia.FAX
    if payer.portal_url:
        return SubmittedVia.PORTAL
    return SubmittedVia.PHONE


def _approve(
    current: PriorAuthorization,
    errors: dict[str, str],
    *,
    number: str,
    effective_from: dt.date | None,
    effective_to: dt.date | None,
    units_approved: Mapping[int, int] | None,
) -> list[str]:
    if not number:
        errors["certification_number"] = "Give the authorization number the payer gave."
    starts = effective_from or current.effective_from
    ends = effective_to or current.effective_to
    if starts is None or ends is None:
        errors["effective_to"] = "Give the first and last day the approval covers."
    elif ends < starts:
        errors["effective_to"] = "The approval ends before it starts."
    lines = list(current.services.all())
    granted = dict(units_approved or {})
    for line in lines:
        units = granted.get(line.position, line.units_requested)
        if not 0 <= int(units) <= MAX_UNITS:
            errors[f"services.{line.position}.units_approved"] = "Give 0 to 9999 units."
        line.units_approved = int(units)
    fail(errors)
    AuthorizationService.objects.bulk_update(lines, ["units_approved"])
    current.certification_number = number
    current.effective_from, current.effective_to = starts, ends
    current.denial_reason = ""
    return ["certification_number", "effective_from", "effective_to", "units_approved"]


@transaction.atomic
def record_decision(
    authorization: PriorAuthorization,
    *,
    acting_user: Any,
    decision: str,
    certification_number: str = "",
    effective_from: dt.date | None = None,
    effective_to: dt.date | None = None,
    units_approved: Mapping[int, int] | None = None,
    denial_reason: str = "",
    payer_reference: str = "",
) -> PriorAuthorization:
    """The payer's answer taken by hand (a phone call, the portal, a faxed letter).

    Approved needs the authorization number and the dates; ``units_approved`` maps a line's
    position to what was granted (default: what was asked). Denied needs the reason.
    """
    current = _locked(authorization)
    if decision not in Decision.values:
        fail({"decision": "Choose approved, denied or pending."})
    if not (decision == Decision.PENDING and current.status == S.PENDING):
        refuse_move(current, decision)
    errors: dict[str, str] = {}
    fields = ["status", "decided_at"]
    if decision == Decision.APPROVED:
        fields += _approve(
            current, errors, number=certification_number.strip()[:50],
            effective_from=effective_from, effective_to=effective_to,
            units_approved=units_approved,
        )  # fmt: skip
    elif decision == Decision.DENIED:
        if not denial_reason.strip():
            fail({"denial_reason": "Say why the payer denied it (from the letter or the call)."})
        current.denial_reason = denial_reason.strip()[:300]
        fields.append("denial_reason")
    current.status = decision
    if decision != Decision.PENDING:
        current.decided_at = timezone.now()
        current.decided_by = user_or_none(acting_user)
    if payer_reference.strip():
        current.payer_reference = payer_reference.strip()[:50]
        fields.append("payer_reference")
    current.payer_message = ""
    current.updated_by = user_or_none(acting_user)
    current.save()
    audit(
        AuditAction.UPDATE, current, acting_user=acting_user, patient_id=current.patient_id,
        fields=fields, detail={"status": current.status, "source": "by hand"},
    )  # fmt: skip
    return current


@transaction.atomic
def cancel_authorization(
    authorization: PriorAuthorization, *, acting_user: Any
) -> PriorAuthorization:
    current = _locked(authorization)
    refuse_move(current, S.CANCELLED)
    current.status = S.CANCELLED
    current.updated_by = user_or_none(acting_user)
    current.save(update_fields=["status", "updated_by", "updated_at"])
    audit(
        AuditAction.UPDATE, current, acting_user=acting_user, patient_id=current.patient_id,
        fields=["status"], detail={"status": current.status},
    )  # fmt: skip
    return current


@transaction.atomic
def expire_authorizations(today: dt.date, *, acting_user: Any = None) -> int:
    """Approved authorizations whose last day is before ``today`` become expired (idempotent)."""
    rows = list(
        PriorAuthorization.objects.select_for_update()
        .filter(status=S.APPROVED, effective_to__lt=today)
        .only("pk", "patient_id", "status")
    )
    for row in rows:
        PriorAuthorization.objects.filter(pk=row.pk).update(
            status=S.EXPIRED, updated_at=timezone.now()
        )
        audit(
            AuditAction.UPDATE, row, acting_user=acting_user, patient_id=row.patient_id,
            fields=["status"], detail={"status": S.EXPIRED, "source": "daily expiry"},
        )  # fmt: skip
    return len(rows)


def why_not(authorization: PriorAuthorization, appointment: Any, units: int = 1) -> str | None:
    """Why this appointment cannot use this authorization."""
    if appointment.patient_id != authorization.patient_id:
        return "This appointment is for another patient."
    if authorization.status in (S.DENIED, S.CANCELLED, S.EXPIRED):
        return f"A {authorization.get_status_display().lower()} authorization covers no visit."
    if authorization.status != S.APPROVED:
        return None  # linked while pending: counted once approved
    day = visit_day(appointment)
    starts, ends = authorization.effective_from, authorization.effective_to
    if (starts and day < starts) or (ends and day > ends):
        return f"The visit on {day:%m/%d/%Y} is outside {authorization.label}'s dates."
    if authorization.units_used + units > authorization.units_approved_total:
        return f"{authorization.label} has {authorization.units_left} units left."
    return None


@transaction.atomic
def link_appointment(
    authorization: PriorAuthorization, appointment: Any, *, acting_user: Any, units: int = 1
) -> AuthorizationAppointment:
    """The appointment is (or will be) covered by this authorization."""
    current = _locked(authorization)
    refuse_uncountable(appointment, current.label)
    if not 1 <= units <= MAX_UNITS:
        fail({"units": f"Give 1 to {MAX_UNITS} units."})
    if AuthorizationAppointment.objects.filter(
        authorization=current, appointment=appointment
    ).exists():
        raise AuthorizationRefused(f"This appointment is already linked to {current.label}.")
    reason = why_not(current, appointment, units)
    if reason is not None:
        raise AuthorizationRefused(reason)
    link = AuthorizationAppointment.objects.create(
        authorization=current, appointment=appointment, units=units,
        linked_at=timezone.now(), linked_by=user_or_none(acting_user),
    )  # fmt: skip
    audit(
        AuditAction.CREATE, link, acting_user=acting_user, patient_id=current.patient_id,
        fields=["authorization", "appointment", "units"],
        detail={"authorization_id": current.pk, "appointment_id": appointment.pk},
    )  # fmt: skip
    return link


@transaction.atomic
def unlink_appointment(
    authorization: PriorAuthorization, appointment: Any, *, acting_user: Any
) -> None:
    current = _locked(authorization)
    link = AuthorizationAppointment.objects.filter(
        authorization=current, appointment_id=appointment.pk
    ).first()
    if link is None:
        raise AuthorizationRefused(f"This appointment is not linked to {current.label}.")
    audit(
        AuditAction.DELETE, link, acting_user=acting_user, patient_id=current.patient_id,
        detail={"authorization_id": current.pk, "appointment_id": appointment.pk},
    )  # fmt: skip
    link.delete()
