"""Receipts: what a payment was, in words the patient reads, as a page, a PDF and an email.

``receipt_context`` is shared by the payment page and the PDF. ``email_receipt`` refuses clearly
without an address (or the patient's consent to email), and sends from a job after commit: the
subject names only the practice, the PDF's title and filename only the receipt number.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.choices import CardBrand, EntryKind, TenderMethod
from medoffice.billing.errors import BillingError
from medoffice.billing.models import LedgerEntry, Payment, Tender
from medoffice.billing.rules.money import ZERO, money
from medoffice.core.pdf import render_pdf
from medoffice.jobs.registry import job

RECEIPT_TEMPLATE = "billing/pdf/receipt.html"


@dataclass(frozen=True)
class AppliedLine:
    label: str  # "Visit 03/02/2026 with Dana Reyes, MD" or "On account"
    amount: Decimal
    appointment_id: int | None


def describe_tender(tender: Tender) -> str:
    """``Cash $10.00 — received $20.00, change $10.00``; ``Visa ending 4242, approval A1B2C3``."""
    if tender.method == TenderMethod.CASH:
        return (
            f"Cash {money(tender.amount)} — received {money(tender.cash_received or ZERO)}, "
            f"change {money(tender.change_given or ZERO)}"
        )
    if tender.method == TenderMethod.CHECK:
        return f"Check #{tender.check_number} {money(tender.amount)}"
    brand = CardBrand(tender.card_brand).label if tender.card_brand in CardBrand.values else "Card"
    prefix = "HSA/FSA " if tender.method == TenderMethod.HSA else ""
    return (
        f"{prefix}{brand} ending {tender.card_last4}, approval {tender.approval_code} "
        f"{money(tender.amount)}"
    )


def applied_lines(payment: Payment) -> list[AppliedLine]:
    entries = (
        LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PAYMENT)
        .select_related("appointment__provider", "appointment__location")
        .order_by("id")
    )
    lines = []
    for entry in entries:
        visit = entry.appointment
        if visit is None:
            label = "On account"
        else:
            day = visit.starts_at.astimezone(zoneinfo.ZoneInfo(visit.location.time_zone))
            label = f"Visit {day:%m/%d/%Y} with {visit.provider.display_name}"
        lines.append(AppliedLine(label, -entry.amount, entry.appointment_id))
    return lines


def receipt_context(payment: Payment) -> dict[str, Any]:
    """What the payment page and the receipt PDF show (the balance as it stands now)."""
    tenders = list(payment.tenders.all())
    return {
        "payment": payment,
        "patient": payment.patient,
        "received_local": timezone.localtime(payment.received_at),
        "received_by": str(payment.received_by),
        "tenders": [{"tender": t, "text": describe_tender(t)} for t in tenders],
        "change_given": sum((t.change_given or ZERO for t in tenders), ZERO),
        "applied": applied_lines(payment),
        "balance": queries.balance_of(payment.patient_id),
    }


def receipt_filename(payment: Payment) -> str:
    return f"receipt-{payment.receipt_number}.pdf"


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt as a PDF: letterhead, receipt number, tenders, what it paid, balance left."""
    return render_pdf(
        RECEIPT_TEMPLATE, receipt_context(payment), title=f"Receipt {payment.receipt_number}"
    )


def email_refusal(payment: Payment) -> str:
    """Why this receipt can't be emailed ("" when it can)."""
    patient = payment.patient
    if not patient.email:
        return "The patient has no email address on file: print the receipt instead."
    if not getattr(patient, "email_consent", True):
        return "The patient has not agreed to email: print the receipt instead."
    return ""


@transaction.atomic
def email_receipt(payment: Payment, *, acting_user: Any) -> None:
    """Queue the receipt PDF to the patient's email once this transaction commits."""
    refusal = email_refusal(payment)
    if refusal:
        raise BillingError(refusal)
    requested = timezone.now()
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=payment,
        patient_id=payment.patient_id,
        fields=["receipt_emailed_at"],
        detail={"receipt": payment.receipt_number, "emailed": "queued"},
    )
    payment_id, at = payment.pk, requested.isoformat()
    transaction.on_commit(lambda: send_receipt_email.enqueue(payment_id, at))


def _practice_name() -> str:
    from medoffice.practice import queries as practice

    found = practice.get_practice()
    return found.name if found is not None else "medoffice"


@job
def send_receipt_email(payment_id: int, requested_at: str) -> int:
    """Send the receipt once for the request made at ``requested_at``; returns how many sent."""
    payment = queries.get_payment(payment_id)
    if payment is None or email_refusal(payment):
        return 0
    asked = dt.datetime.fromisoformat(requested_at)
    if payment.receipt_emailed_at is not None and payment.receipt_emailed_at >= asked:
        return 0  # this request was already sent (a retried job)
    name = _practice_name()
    message = EmailMessage(
        subject=f"Your receipt from {name}",
        body=(
            f"Thank you for your payment to {name}.\n\n"
            "Your receipt is attached as a PDF. Call the office with any question about it.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[payment.patient.email],
    )
    message.attach(receipt_filename(payment), receipt_pdf(payment), "application/pdf")
    sent = message.send()
    # Payments are not under the ledger's trigger; only this column is ever updated.
    Payment.objects.filter(pk=payment.pk).update(receipt_emailed_at=timezone.now())
    record(
        AuditAction.UPDATE,
        target=payment,
        patient_id=payment.patient_id,
        fields=["receipt_emailed_at"],
        detail={"receipt": payment.receipt_number, "emailed": "sent"},
    )
    return sent
