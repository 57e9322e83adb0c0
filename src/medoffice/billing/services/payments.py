"""Taking a payment at the desk: tenders (split tender too), which visits it pays, posted once.

``post_payment`` is the one way money comes in: from the check-out page, the account page, the
API (one payment or a batch) and the demo. With a ``key`` it posts at most once: a retry or a
double click returns the payment already posted (PostgreSQL: a concurrent duplicate waits on the
unique key and then finds it; SQLite: writers are serialized).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.choices import (
    Bucket,
    CardEntryMode,
    DrawerStatus,
    EntryKind,
    PaymentPurpose,
    TenderMethod,
)
from medoffice.billing.errors import DrawerError, PaymentError
from medoffice.billing.models import CashDrawer, LedgerEntry, Payment, Tender
from medoffice.billing.rules.allocation import allocate, change_due
from medoffice.billing.rules.money import ZERO, parse_amount
from medoffice.billing.services.days import business_today, lock_day_for_posting

DRAWER_METHODS = (TenderMethod.CASH, TenderMethod.CHECK)
MAX_TENDERS = 6


@dataclass(frozen=True)
class TenderIn:
    """One tender as the desk (or an API client) gave it; ``amount`` is what it pays."""

    method: str
    amount: Any
    cash_received: Any = None
    check_number: str = ""
    card_brand: str = ""
    card_last4: str = ""
    approval_code: str = ""
    processor_ref: str = ""
    entry_mode: str = ""
    terminal_id: str = ""


@dataclass
class PostedPayment:
    payment: Payment
    created: bool  # False: the key had already posted it
    change_given: Decimal = ZERO
    applied: dict[int | None, Decimal] = field(default_factory=dict)


def post_payment(
    patient: Any,
    *,
    acting_user: Any,
    tenders: Sequence[TenderIn],
    purpose: str = PaymentPurpose.BALANCE,
    appointment: Any = None,
    applied: Mapping[int | None, Any] | None = None,
    plan: Any = None,
    key: str | None = None,
    note: str = "",
    received_on: dt.date | None = None,
) -> PostedPayment:
    """Post one payment with its tenders and ledger entries, all or nothing."""
    with transaction.atomic():
        if key:
            existing = _by_key(key)
            if existing is not None:
                return _replayed(existing, patient, tenders)
        built = prepare_payment(
            patient, acting_user, tenders, purpose, appointment, plan, note, received_on
        )
        wanted = _requested(applied)
        if not key:
            built.payment.save()
        else:
            try:
                with transaction.atomic():  # a savepoint, only where a duplicate may collide
                    built.payment.key = key
                    built.payment.save()
            except IntegrityError:
                existing = _by_key(key)  # a concurrent duplicate committed first
                if existing is None:
                    raise
                return _replayed(existing, patient, tenders)
        result = _post_parts(built, wanted)
        if plan is not None:
            from medoffice.billing.services.plans import complete_plan_if_paid

            complete_plan_if_paid(plan, acting_user=acting_user)
        record(
            AuditAction.CREATE,
            target=built.payment,
            patient_id=patient.pk,
            detail={"amount": str(built.payment.amount), "methods": sorted(built.methods)},
        )
        return result


@dataclass
class _Built:
    payment: Payment
    tenders: list[Tender]
    change: Decimal

    @property
    def methods(self) -> set[str]:
        return {tender.method for tender in self.tenders}


def prepare_payment(
    patient: Any,
    acting_user: Any,
    given: Sequence[TenderIn],
    purpose: str,
    appointment: Any,
    plan: Any,
    note: str,
    received_on: dt.date | None,
) -> _Built:
    """Every check ``post_payment`` makes before writing, with nothing written (the desk's
    card flow runs it before charging a card)."""
    if purpose not in PaymentPurpose.values:
        raise PaymentError("Say what the payment is for: copay, balance, prepayment or plan.")
    if not given:
        raise PaymentError("Add at least one way of paying (cash, check, card or HSA/FSA).")
    if len(given) > MAX_TENDERS:
        raise PaymentError(f"A payment can be split over at most {MAX_TENDERS} tenders.")
    if getattr(patient, "merged_into_id", None):
        raise PaymentError("This record was merged into another; take the payment on the kept one.")
    if appointment is not None and appointment.patient_id != patient.pk:
        raise PaymentError("That visit belongs to another patient.")
    if plan is not None and plan.patient_id != patient.pk:
        raise PaymentError("That payment plan belongs to another patient.")
    day = received_on or business_today()
    tenders = [_tender(item) for item in given]
    total = sum((t.amount for t in tenders), ZERO)
    parse_amount(total)  # the sum too stays within the limit
    drawer = (
        _drawer_for(acting_user, day) if any(t.method in DRAWER_METHODS for t in tenders) else None
    )
    payment = Payment(
        patient=patient,
        received_on=day,
        received_at=timezone.now(),
        received_by=acting_user,
        drawer=drawer,
        purpose=purpose,
        amount=total,
        appointment=appointment,
        plan=plan,
        note=note.strip()[:300],
    )
    change = sum((t.change_given or ZERO for t in tenders), ZERO)
    return _Built(payment=payment, tenders=tenders, change=change)


def _tender(item: TenderIn) -> Tender:
    if item.method not in TenderMethod.values:
        raise PaymentError("Choose cash, check, card or HSA/FSA for each tender.")
    amount = parse_amount(item.amount)
    tender = Tender(method=item.method, amount=amount)
    if item.method == TenderMethod.CASH:
        received = amount if item.cash_received in (None, "") else parse_amount(item.cash_received)
        tender.cash_received = received
        tender.change_given = change_due(received, amount)
    elif item.method == TenderMethod.CHECK:
        number = str(item.check_number).strip()
        if not number or len(number) > 20:
            raise PaymentError("Enter the check number (up to 20 characters).")
        tender.check_number = number
    else:
        _card(tender, item)
    return tender


def _card(tender: Tender, item: TenderIn) -> None:
    last4 = str(item.card_last4).strip()
    if len(last4) != 4 or not last4.isdigit():
        raise PaymentError("Enter the card's last four digits.")
    approval = str(item.approval_code).strip()
    if not approval or len(approval) > 12 or not approval.isalnum():
        raise PaymentError("Enter the terminal's approval code (letters and digits, up to 12).")
    mode = item.entry_mode or CardEntryMode.MANUAL
    if mode not in CardEntryMode.values:
        raise PaymentError("Card entry is either from the terminal or keyed in manually.")
    tender.card_last4 = last4
    tender.approval_code = approval.upper()
    tender.card_brand = item.card_brand or "other"
    tender.entry_mode = mode
    tender.processor_ref = str(item.processor_ref)[:64]
    tender.terminal_id = str(item.terminal_id)[:40]


def _drawer_for(user: Any, day: dt.date) -> CashDrawer:
    drawer = CashDrawer.objects.filter(
        user=user, business_date=day, status=DrawerStatus.OPEN
    ).first()
    if drawer is None:
        raise DrawerError("Open your cash drawer for today before taking cash or checks.")
    return drawer


def _requested(applied: Mapping[int | None, Any] | None) -> dict[int | None, Decimal] | None:
    if not applied:
        return None
    return {visit: parse_amount(amount) for visit, amount in applied.items()}


def _post_parts(built: _Built, wanted: dict[int | None, Decimal] | None) -> PostedPayment:
    payment = built.payment
    lock_day_for_posting(payment.received_on)
    for tender in built.tenders:
        tender.payment = payment
    Tender.objects.bulk_create(built.tenders)
    split = _allocation(payment, wanted)
    entries = LedgerEntry.objects.bulk_create(payment_entries(payment, split.items()))
    # what was just written, for the answer (saves reading it back)
    payment.posted_tenders = built.tenders  # type: ignore[attr-defined]
    payment.posted_entries = entries  # type: ignore[attr-defined]
    return PostedPayment(payment=payment, created=True, change_given=built.change, applied=split)


def payment_entries(
    payment: Payment, split: Iterable[tuple[int | None, Decimal]]
) -> list[LedgerEntry]:
    """The ledger entries of a payment applied as ``split`` ((visit id or None, amount) pairs):
    together they lower the patient's balance by the payment's amount."""
    return [
        LedgerEntry(
            patient_id=payment.patient_id,
            kind=EntryKind.PAYMENT,
            bucket=Bucket.PATIENT,
            amount=-amount,
            posted_on=payment.received_on,
            posted_at=payment.received_at,
            posted_by_id=payment.received_by_id,
            appointment_id=visit,
            payment=payment,
            description=payment.get_purpose_display(),
        )
        for visit, amount in split
    ]


def _allocation(
    payment: Payment, wanted: dict[int | None, Decimal] | None
) -> dict[int | None, Decimal]:
    if wanted is not None:
        visits = {visit for visit in wanted if visit is not None}
        known = queries.visit_ids_of(payment.patient_id, visits)
        if visits - known:
            raise PaymentError("A payment can only be applied to this patient's own visits.")
        return allocate(payment.amount, open_visits=(), requested=wanted)
    if payment.purpose == PaymentPurpose.COPAY and payment.appointment_id is not None:
        return {payment.appointment_id: payment.amount}
    if payment.purpose in (PaymentPurpose.PREPAYMENT,):
        return {payment.appointment_id: payment.amount}
    return allocate(payment.amount, open_visits=queries.open_visits(payment.patient_id))


def _by_key(key: str) -> Payment | None:
    return Payment.objects.filter(key=key).first()


def _replayed(existing: Payment, patient: Any, tenders: Sequence[TenderIn]) -> PostedPayment:
    total = sum((parse_amount(t.amount) for t in tenders), ZERO)
    if existing.patient_id != patient.pk or existing.amount != total:
        raise PaymentError("This payment key was already used for a different payment.")
    change = sum(
        (t.change_given or ZERO for t in existing.tenders.all() if t.method == TenderMethod.CASH),
        ZERO,
    )
    applied = {
        e.appointment_id: -e.amount for e in existing.entries.all() if e.kind == EntryKind.PAYMENT
    }
    return PostedPayment(payment=existing, created=False, change_given=change, applied=applied)
