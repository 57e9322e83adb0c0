"""Posting to the patient ledger: charges, adjustments, transfers and reversals.

Every function checks the day is open, writes entries (never changes one) and audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.choices import Bucket, EntryKind
from medoffice.billing.errors import BillingError
from medoffice.billing.models import LedgerEntry
from medoffice.billing.rules.money import ZERO, parse_amount
from medoffice.billing.services.days import business_today, lock_day_for_posting


def post_entries(entries: Sequence[LedgerEntry]) -> list[LedgerEntry]:
    """Insert entries after locking each of their days open (the building block of every post)."""
    for day in sorted({entry.posted_on for entry in entries}):
        lock_day_for_posting(day)
    return LedgerEntry.objects.bulk_create(entries)


def _entry(patient: Any, acting_user: Any, **fields: Any) -> LedgerEntry:
    fields.setdefault("posted_on", business_today())
    return LedgerEntry(patient=patient, posted_by=acting_user, posted_at=timezone.now(), **fields)


@transaction.atomic
def post_charge(
    patient: Any,
    *,
    acting_user: Any,
    patient_amount: Any = ZERO,
    insurance_amount: Any = ZERO,
    appointment: Any = None,
    provider: Any = None,
    code: str = "",
    description: str = "",
    posted_on: dt.date | None = None,
) -> list[LedgerEntry]:
    """A charge split into what the patient owes now and what is pending with insurance."""
    mine = parse_amount(patient_amount, allow_zero=True)
    theirs = parse_amount(insurance_amount, allow_zero=True)
    if mine + theirs == ZERO:
        raise BillingError("A charge needs an amount for the patient or for insurance.")
    provider = provider or (appointment.provider if appointment is not None else None)
    common = {
        "kind": EntryKind.CHARGE,
        "appointment": appointment,
        "provider": provider,
        "code": code,
        "description": description or "Visit",
        "posted_on": posted_on or business_today(),
    }
    entries = [
        _entry(patient, acting_user, bucket=bucket, amount=amount, **common)
        for bucket, amount in ((Bucket.PATIENT, mine), (Bucket.INSURANCE, theirs))
        if amount
    ]
    post_entries(entries)
    _audit(patient, entries, "charge")
    return entries


@transaction.atomic
def post_adjustment(
    patient: Any,
    *,
    acting_user: Any,
    amount: Any,
    lowers: bool,
    reason: str,
    bucket: str = Bucket.PATIENT,
    appointment: Any = None,
) -> LedgerEntry:
    """A write-off (``lowers``) or a debit adjustment, always with a reason."""
    value = parse_amount(amount)
    if not reason.strip():
        raise BillingError("Say why the account is adjusted.")
    entry = _entry(
        patient,
        acting_user,
        kind=EntryKind.ADJUSTMENT,
        bucket=bucket,
        amount=-value if lowers else value,
        appointment=appointment,
        provider=appointment.provider if appointment is not None else None,
        reason=reason.strip()[:300],
        description="Adjustment",
    )
    post_entries([entry])
    _audit(patient, [entry], "adjustment")
    return entry


@transaction.atomic
def transfer_to_patient(
    patient: Any, *, acting_user: Any, amount: Any, reason: str, appointment: Any = None
) -> list[LedgerEntry]:
    """Move an amount from pending-with-insurance to what the patient owes (insurance decided)."""
    value = parse_amount(amount)
    common = {
        "kind": EntryKind.TRANSFER,
        "appointment": appointment,
        "provider": appointment.provider if appointment is not None else None,
        "reason": reason.strip()[:300],
        "description": "Insurance decided: patient responsibility",
    }
    entries = [
        _entry(patient, acting_user, bucket=Bucket.INSURANCE, amount=-value, **common),
        _entry(patient, acting_user, bucket=Bucket.PATIENT, amount=value, **common),
    ]
    post_entries(entries)
    _audit(patient, entries, "transfer")
    return entries


@transaction.atomic
def reverse_entry(entry: LedgerEntry, *, acting_user: Any, reason: str) -> LedgerEntry:
    """The correction of a posted entry: the same amount with the opposite sign, naming it."""
    if not reason.strip():
        raise BillingError("Say why the entry is reversed.")
    if entry.kind == EntryKind.REVERSAL:
        raise BillingError("A reversal can't be reversed; post the entry again instead.")
    if entry.kind in (EntryKind.PAYMENT, EntryKind.REFUND):
        raise BillingError("Payments and refunds are corrected with a refund, not a reversal.")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise BillingError("This entry has already been reversed.")
    reversal = _entry(
        entry.patient,
        acting_user,
        kind=EntryKind.REVERSAL,
        bucket=entry.bucket,
        amount=-entry.amount,
        appointment_id=entry.appointment_id,
        provider_id=entry.provider_id,
        reverses=entry,
        code=entry.code,
        description=f"Reversal of {entry.get_kind_display().lower()}",
        reason=reason.strip()[:300],
    )
    post_entries([reversal])
    _audit(entry.patient, [reversal], "reversal")
    return reversal


def _audit(patient: Any, entries: Sequence[LedgerEntry], what: str) -> None:
    total = sum((entry.amount for entry in entries), Decimal("0"))
    record(
        AuditAction.CREATE,
        target=entries[0],
        patient_id=patient.pk,
        detail={"posted": what, "entries": [e.pk for e in entries], "net": str(total)},
    )
