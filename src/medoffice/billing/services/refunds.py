"""Refunds: asked for at the desk, paid out only once a manager approves.

Limits, checked when asked and again at approval (under the refund row's lock):
- never more than the patient's credit (what they paid beyond what they owe, less refunds
  already waiting for a manager);
- against a payment, never more than that payment less what was already refunded (or is
  waiting) from it; a card or HSA/FSA refund goes back to that payment's card tenders.

Where the money comes from at approval: cash comes out of the *requester's* open drawer (the
person at the desk hands it to the patient); if that drawer is no longer open, out of the
approving manager's own open drawer; otherwise the approval is refused. A check refund records
the practice's check number; a card refund is sent to the card terminal (in manual mode the desk
refunds on the standalone terminal and the manager records its approval code).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.choices import Bucket, EntryKind, RefundStatus, TenderMethod
from medoffice.billing.errors import CardTerminalError, RefundError
from medoffice.billing.models import CashDrawer, LedgerEntry, Payment, Refund, Tender
from medoffice.billing.rules.money import ZERO, cents, money, parse_amount
from medoffice.billing.services.days import business_today, lock_day_for_posting
from medoffice.billing.services.ledger import post_entries

APPROVE = "billing.approve_refund"
CARD_METHODS = (TenderMethod.CARD, TenderMethod.HSA)
ACTIVE = (RefundStatus.PENDING, RefundStatus.POSTED)


def request_refund(
    patient: Any,
    *,
    acting_user: Any,
    amount: Any,
    method: str,
    reason: str,
    payment: Payment | None = None,
) -> Refund:
    """Ask for a refund; it waits for a manager. Refused: nothing saved."""
    value = parse_amount(amount)
    reason = (reason or "").strip()
    if not reason:
        raise RefundError("Say why the money is given back.")
    if method not in TenderMethod.values:
        raise RefundError("Choose how the money goes back: cash, check, card or HSA/FSA.")
    with transaction.atomic():
        if payment is not None:
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            if payment.patient_id != patient.pk:
                raise RefundError("That payment belongs to another patient.")
        _check_limits(patient.pk, value, method, payment, excluding=None)
        refund = Refund.objects.create(
            patient=patient,
            payment=payment,
            amount=value,
            method=method,
            reason=reason[:300],
            requested_by=acting_user,
            requested_at=timezone.now(),
        )
        record(
            AuditAction.CREATE,
            actor=acting_user,
            target=refund,
            patient_id=patient.pk,
            detail={"refund": "requested", "amount": str(value), "method": method},
        )
    return refund


def _check_limits(
    patient_id: int, value: Decimal, method: str, payment: Payment | None, *, excluding: int | None
) -> None:
    waiting = Refund.objects.filter(patient_id=patient_id, status=RefundStatus.PENDING)
    if excluding is not None:
        waiting = waiting.exclude(pk=excluding)
    held = cents(waiting.aggregate(t=Sum("amount"))["t"] or ZERO)
    credit = cents(queries.balance_of(patient_id).credit) - held
    if value > credit:
        raise RefundError(
            f"The patient's credit available to refund is {money(max(credit, ZERO))}; "
            f"{money(value)} is more than that."
        )
    if method in CARD_METHODS and payment is None:
        raise RefundError("A card refund goes back to a card payment: choose the payment.")
    if payment is None:
        return
    earlier = Refund.objects.filter(payment=payment, status__in=ACTIVE)
    if excluding is not None:
        earlier = earlier.exclude(pk=excluding)
    left = payment.amount - cents(earlier.aggregate(t=Sum("amount"))["t"] or ZERO)
    if value > left:
        raise RefundError(
            f"Only {money(max(left, ZERO))} of receipt {payment.receipt_number} is left to refund."
        )
    if method in CARD_METHODS:
        on_card = cents(_card_tenders(payment).aggregate(t=Sum("amount"))["t"] or ZERO)
        card_back = earlier.filter(method__in=CARD_METHODS).aggregate(t=Sum("amount"))["t"]
        card_left = on_card - cents(card_back or ZERO)
        if card_left <= 0:
            raise RefundError(f"Receipt {payment.receipt_number} was not paid by card.")
        if value > card_left:
            raise RefundError(f"Only {money(card_left)} can go back to the card of that payment.")


def _card_tenders(payment: Payment) -> Any:
    return Tender.objects.filter(payment=payment, method__in=CARD_METHODS).order_by("-amount", "id")


def _locked(refund: Refund) -> Refund:
    return Refund.objects.select_for_update().select_related("patient").get(pk=refund.pk)


def approve_refund(
    refund: Refund,
    *,
    acting_user: Any,
    note: str = "",
    check_number: str = "",
    approval_code: str = "",
) -> Refund:
    """A manager approves: the money goes back and a REFUND entry raises the balance by it.

    Approving an already approved refund returns it unchanged (a double click pays once)."""
    if not acting_user.has_perm(APPROVE):
        raise RefundError("Only a manager may approve a refund.")
    with transaction.atomic():
        locked = _locked(refund)
        if locked.status == RefundStatus.POSTED:
            return locked
        if locked.status == RefundStatus.DECLINED:
            raise RefundError("This refund was declined; ask for a new one if needed.")
        payment = locked.payment
        _check_limits(locked.patient_id, locked.amount, locked.method, payment, excluding=locked.pk)
        day = business_today()
        lock_day_for_posting(day)  # a closed day refuses before any money moves
        _pay_out(locked, acting_user, check_number, approval_code)
        locked.status = RefundStatus.POSTED
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.decision_note = (note or "").strip()[:300]
        locked.refunded_on = day
        entry = LedgerEntry(
            patient_id=locked.patient_id,
            kind=EntryKind.REFUND,
            bucket=Bucket.PATIENT,
            amount=locked.amount,
            posted_on=day,
            posted_at=locked.decided_at,
            posted_by=acting_user,
            refund=locked,
            description=f"Refund ({locked.get_method_display()})",
            reason=locked.reason,
        )
        post_entries([entry])  # refuses a closed day: nothing is saved then
        locked.save()
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=locked,
            patient_id=locked.patient_id,
            detail={"refund": "approved", "amount": str(locked.amount), "entry": entry.pk},
        )
    return locked


def _pay_out(refund: Refund, acting_user: Any, check_number: str, approval_code: str) -> None:
    if refund.method == TenderMethod.CASH:
        refund.drawer = _cash_drawer(refund, acting_user)
    elif refund.method == TenderMethod.CHECK:
        number = (check_number or "").strip()
        if not number or len(number) > 20:
            raise RefundError("Enter the practice's refund check number (up to 20 characters).")
        refund.check_number = number
    else:
        _card_refund(refund, approval_code)


def _cash_drawer(refund: Refund, acting_user: Any) -> CashDrawer:
    day = business_today()
    for user_id in (refund.requested_by_id, acting_user.pk):
        drawer = queries.open_drawer_of(user_id, day)
        if drawer is not None:
            return drawer
    raise RefundError(
        "A cash refund comes out of an open cash drawer: the requester's, or yours. "
        "Open a drawer for today first."
    )


def _card_refund(refund: Refund, approval_code: str) -> None:
    from medoffice.integrations.card_terminals import connect

    assert refund.payment is not None  # checked by _check_limits
    tender = _card_tenders(refund.payment).first()
    assert tender is not None
    refund.card_last4 = tender.card_last4
    terminal = connect()
    if not terminal.drives_reader:
        code = (approval_code or "").strip().upper()
        if not code or len(code) > 12 or not code.isalnum():
            raise RefundError(
                "Refund the card on the standalone terminal, then enter its approval code."
            )
        refund.approval_code = code
        return
    try:
        result = terminal.refund(
            refund.amount, reference=f"refund-{refund.pk}", processor_ref=tender.processor_ref
        )
    except CardTerminalError as exc:
        raise RefundError(str(exc)) from exc
    if not result.approved:
        raise RefundError(result.message or "The card processor refused the refund.")
    refund.approval_code = result.approval_code[:12]
    refund.processor_ref = result.processor_ref[:64]


def decline_refund(refund: Refund, *, acting_user: Any, note: str) -> Refund:
    """A manager declines with a note; declining twice is harmless."""
    if not acting_user.has_perm(APPROVE):
        raise RefundError("Only a manager may decline a refund.")
    note = (note or "").strip()
    if not note:
        raise RefundError("Say why the refund is declined.")
    with transaction.atomic():
        locked = _locked(refund)
        if locked.status == RefundStatus.DECLINED:
            return locked
        if locked.status == RefundStatus.POSTED:
            raise RefundError("This refund was already approved and paid out.")
        locked.status = RefundStatus.DECLINED
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.decision_note = note[:300]
        locked.save()
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=locked,
            patient_id=locked.patient_id,
            detail={"refund": "declined", "amount": str(locked.amount)},
        )
    return locked


def pending_refunds() -> Any:
    return (
        Refund.objects.filter(status=RefundStatus.PENDING)
        .select_related("patient", "requested_by", "payment")
        .order_by("requested_at", "id")
    )


def recent_refunds(limit: int = 50) -> list[Refund]:
    return list(
        Refund.objects.exclude(status=RefundStatus.PENDING)
        .select_related("patient", "requested_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )
