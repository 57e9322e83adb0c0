"""Writes of referrals: record, change, cancel, and count visits against an incoming one.

A visit is counted by linking its appointment (``ReferralVisit``); the referral's row is locked
while a link is made, so two desks booking at once cannot both take its last visit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.authorizations import matching
from medoffice.authorizations.choices import Direction, ReferralStatus
from medoffice.authorizations.errors import AuthorizationRefused, VisitNotCounted
from medoffice.authorizations.models import Referral, ReferralVisit
from medoffice.authorizations.models.referrals import MAX_VISITS
from medoffice.authorizations.rules import codes
from medoffice.authorizations.services.common import (
    AuditAction,
    audit,
    check_npi,
    fail,
    refuse_uncountable,
    user_or_none,
    visit_day,
)

EDITABLE = (
    "coverage", "number", "referring_provider", "referring_name", "referring_npi",
    "to_provider", "to_specialist", "from_provider", "specialty", "reason", "diagnosis_codes",
    "visits_authorized", "start_date", "end_date", "notes",
)  # fmt: skip
DUPLICATE_NUMBER = "This patient already has an active referral with this number."


def _check(referral: Referral) -> None:
    """Field rules; raises ValidationError naming each field (no value echoed back)."""
    errors: dict[str, str] = {}
    if referral.direction not in Direction.values:
        errors["direction"] = "Choose incoming or outgoing."
    if referral.referring_provider is not None:
        outside = referral.referring_provider
        referral.referring_name = referral.referring_name.strip() or outside.display_name
        referral.referring_npi = referral.referring_npi.strip() or outside.npi
    referral.referring_npi = check_npi(referral.referring_npi, errors, "referring_npi")
    referral.number = referral.number.strip()
    if referral.direction == Direction.INCOMING:
        if not referral.referring_name.strip():
            errors["referring_name"] = "Name the provider who refers the patient."
        if referral.to_provider is not None and not referral.specialty.strip():
            referral.specialty = referral.to_provider.specialty
        referral.to_specialist = None
    elif referral.direction == Direction.OUTGOING:
        if referral.to_specialist is None:
            errors["to_specialist"] = "Choose the specialist the patient is referred to."
        elif not referral.specialty.strip():
            referral.specialty = referral.to_specialist.specialty
        if referral.from_provider is None:
            errors["from_provider"] = "Choose our provider who refers (signs the letter)."
        referral.to_provider = None
    if not 1 <= int(referral.visits_authorized or 0) <= MAX_VISITS:
        errors["visits_authorized"] = f"Give 1 to {MAX_VISITS} visits."
    if referral.end_date is not None and referral.end_date < referral.start_date:
        errors["end_date"] = "The referral ends before it starts."
    found, bad = codes.diagnoses(referral.diagnosis_codes or [])
    if bad:
        errors["diagnosis_codes"] = "Not ICD-10-CM codes: " + ", ".join(bad)
    referral.diagnosis_codes = found
    coverage = referral.coverage
    if coverage is not None and coverage.patient_id != referral.patient_id:
        errors["coverage"] = "That coverage belongs to another patient."
    fail(errors)


def _save(referral: Referral) -> None:
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:
        if "referral_number_once_per_patient" in str(exc) or "UNIQUE" in str(exc).upper():
            fail({"number": DUPLICATE_NUMBER})
        raise


@transaction.atomic
def record_referral(
    *,
    acting_user: Any,
    patient: Any,
    direction: str,
    start_date: dt.date,
    visits_authorized: int = 1,
    end_date: dt.date | None = None,
    **fields: Any,
) -> Referral:
    """A referral received from a PCP (incoming) or sent to a specialist (outgoing)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown referral fields: {sorted(unknown)}")
    referral = Referral(
        patient=patient,
        direction=direction,
        start_date=start_date,
        end_date=end_date,
        visits_authorized=visits_authorized,
        created_by=user_or_none(acting_user),
        updated_by=user_or_none(acting_user),
        **fields,
    )
    _check(referral)
    _save(referral)
    audit(
        AuditAction.CREATE, referral, acting_user=acting_user, patient_id=patient.pk,
        fields=["direction", "start_date", "visits_authorized", *fields],
    )  # fmt: skip
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("to_provider")
        .get(pk=referral.pk)
    )


@transaction.atomic
def change_referral(referral: Referral, *, acting_user: Any, **changes: Any) -> Referral:
    """Correct or extend a referral (more visits, a later end date, the number once known)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown referral fields: {sorted(unknown)}")
    current = _locked(referral)
    if current.status != ReferralStatus.ACTIVE:
        raise AuthorizationRefused(f"{current.label} is cancelled: record a new one.")
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, changes[name])
    _check(current)
    used = current.visits_used
    if current.visits_authorized < used:
        fail({"visits_authorized": f"{used} visits already count against it."})
    if not changed:
        return current
    current.updated_by = user_or_none(acting_user)
    _save(current)
    audit(
        AuditAction.UPDATE, current, acting_user=acting_user, patient_id=current.patient_id,
        fields=changed,
    )  # fmt: skip
    return current


@transaction.atomic
def cancel_referral(referral: Referral, *, acting_user: Any, reason: str) -> Referral:
    """Entered in error or withdrawn by the PCP; the visits counted stay in its history."""
    if not reason.strip():
        fail({"reason": "Say why the referral is cancelled."})
    current = _locked(referral)
    if current.status == ReferralStatus.CANCELLED:
        raise AuthorizationRefused(f"{current.label} is already cancelled.")
    current.status = ReferralStatus.CANCELLED
    current.cancel_reason = reason.strip()[:200]
    current.updated_by = user_or_none(acting_user)
    current.save(update_fields=["status", "cancel_reason", "updated_by", "updated_at"])
    audit(
        AuditAction.UPDATE, current, acting_user=acting_user, patient_id=current.patient_id,
        fields=["status", "cancel_reason"], detail={"status": current.status},
    )  # fmt: skip
    return current


def why_not(referral: Referral, appointment: Any) -> str | None:
    """Why this appointment cannot count against this referral, in the desk's words."""
    if appointment.patient_id != referral.patient_id:
        return "This appointment is for another patient."
    problem = matching.referral_problem(
        referral,
        day=visit_day(appointment),
        provider=appointment.provider,
        visits_used=referral.visits_used,
    )
    return problem[0] if problem else None


@transaction.atomic
def link_visit(referral: Referral, appointment: Any, *, acting_user: Any) -> ReferralVisit:
    """Count ``appointment`` against ``referral``; refused (with the reason) when it can't."""
    current = _locked(referral)
    refuse_uncountable(appointment, current.label)
    taken = ReferralVisit.objects.filter(appointment_id=appointment.pk).select_related("referral")
    existing = taken.first()
    if existing is not None:
        raise VisitNotCounted(f"This appointment already counts against {existing.referral.label}.")
    reason = why_not(current, appointment)
    if reason is not None:
        raise VisitNotCounted(reason)
    visit = ReferralVisit.objects.create(
        referral=current,
        appointment=appointment,
        linked_at=timezone.now(),
        linked_by=user_or_none(acting_user),
    )
    audit(
        AuditAction.CREATE, visit, acting_user=acting_user, patient_id=current.patient_id,
        fields=["referral", "appointment"],
        detail={"referral_id": current.pk, "appointment_id": appointment.pk},
    )  # fmt: skip
    return visit


@transaction.atomic
def unlink_visit(referral: Referral, appointment: Any, *, acting_user: Any) -> None:
    """The visit no longer counts against the referral (linked by mistake)."""
    current = _locked(referral)
    visit = ReferralVisit.objects.filter(referral=current, appointment_id=appointment.pk).first()
    if visit is None:
        raise AuthorizationRefused(f"This appointment does not count against {current.label}.")
    audit(
        AuditAction.DELETE, visit, acting_user=acting_user, patient_id=current.patient_id,
        detail={"referral_id": current.pk, "appointment_id": appointment.pk},
    )  # fmt: skip
    visit.delete()


def candidates_for(patient_id: int) -> list[Referral]:
    """The patient's active incoming referrals, the one ending first first."""
    from medoffice.authorizations import usage

    rows = usage.referrals().filter(
        patient_id=patient_id, direction=Direction.INCOMING, status=ReferralStatus.ACTIVE
    )
    return sorted(rows, key=lambda r: (r.end_date or dt.date.max, r.start_date, r.pk))


def matching_referral(appointment: Any, referrals: Iterable[Referral]) -> Referral | None:
    for referral in referrals:
        if why_not(referral, appointment) is None:
            return referral
    return None
