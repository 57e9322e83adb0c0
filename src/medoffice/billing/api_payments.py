"""Payments in the API: post one (``Idempotency-Key``), post a batch (a key per item), read.

A batch posts each item in its own transaction: if the server dies half-way, each payment is
either fully posted or absent, and sending the same batch again posts the rest and replays the
ones already posted (their keys find them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from medoffice.api.idempotency import idempotent
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import api_schemas_payments as s
from medoffice.billing import queries
from medoffice.billing.api_problems import ANSWERS as PROBLEM_ANSWERS
from medoffice.billing.api_problems import InvalidProblem, Problem
from medoffice.billing.errors import AmountError, BillingError
from medoffice.billing.models import Payment
from medoffice.billing.rules.money import ZERO
from medoffice.billing.services import payments
from medoffice.patients import queries as patients
from medoffice.scheduling import queries as scheduling

router = Router(tags=["billing"])
ADD, VIEW = "billing.add_payment", "billing.view_payment"
PROBLEMS = "https://medoffice.example/problems/"
LIMIT = 200


def _invalid(errors: list[tuple[str, str]]) -> ProblemError:
    found = [{"field": field, "message": message} for field, message in errors]
    detail = found[0]["message"] if len(found) == 1 else "Some fields are not valid."
    return ProblemError(422, "Invalid input", detail, extra={"errors": found})


def _refused(exc: BillingError) -> ProblemError:
    if isinstance(exc, AmountError):
        return _invalid([("amount", str(exc))])
    return ProblemError(409, "Payment refused", str(exc), type_=PROBLEMS + "payment-refused")


def _tenders(payload: s.PaymentIn) -> list[payments.TenderIn]:
    return [payments.TenderIn(**t.model_dump()) for t in payload.tenders]


def _check_amounts(payload: s.PaymentIn) -> None:
    """Every amount parsed up front so a malformed one names its field."""
    from medoffice.billing.rules.money import parse_amount

    errors = []
    for n, tender in enumerate(payload.tenders):
        for name in ("amount", "cash_received"):
            value = getattr(tender, name)
            if value is None or (name == "cash_received" and value == ""):
                continue
            try:
                parse_amount(value)
            except AmountError as exc:
                errors.append((f"tenders[{n}].{name}", str(exc)))
    for n, item in enumerate(payload.applied or []):
        try:
            parse_amount(item.amount)
        except AmountError as exc:
            errors.append((f"applied[{n}].amount", str(exc)))
    if errors:
        raise _invalid(errors)


def _resolve(payload: s.PaymentIn) -> dict[str, Any]:
    patient = patients.get_patient_row(payload.patient_id)
    if patient is None:
        raise _invalid([("patient_id", f"No patient with id {payload.patient_id}.")])
    appointment = None
    if payload.appointment_id is not None:
        appointment = scheduling.get_appointment_row(payload.appointment_id)
        if appointment is None:
            raise _invalid([("appointment_id", f"No visit with id {payload.appointment_id}.")])
    plan = None
    if payload.plan_id is not None:
        from medoffice.billing.models import PaymentPlan

        plan = PaymentPlan.objects.filter(pk=payload.plan_id).first()
        if plan is None:
            raise _invalid([("plan_id", f"No payment plan with id {payload.plan_id}.")])
    applied = (
        {item.appointment_id: item.amount for item in payload.applied} if payload.applied else None
    )
    return {"patient": patient, "appointment": appointment, "plan": plan, "applied": applied}


def _post(request: HttpRequest, payload: s.PaymentIn, key: str | None) -> payments.PostedPayment:
    _check_amounts(payload)
    found = _resolve(payload)
    return payments.post_payment(
        found["patient"],
        acting_user=request.user,
        tenders=_tenders(payload),
        purpose=payload.purpose,
        appointment=found["appointment"],
        applied=found["applied"],
        plan=found["plan"],
        key=key,
        note=payload.note,
    )


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def payment_out(
    payment: Payment, *, change: Decimal | None = None, balance: queries.Balance | None = None
) -> dict[str, Any]:
    """The API shape of a payment; lists pass the balances they read in bulk."""
    tenders = getattr(payment, "posted_tenders", None) or list(payment.tenders.all())
    entries = getattr(payment, "posted_entries", None) or list(payment.entries.all())
    balance = balance or queries.balance_of(payment.patient_id)
    given = sum((t.change_given or ZERO for t in tenders), ZERO) if change is None else change
    return {
        "id": payment.pk,
        "receipt_number": payment.receipt_number,
        "patient_id": payment.patient_id,
        "purpose": payment.purpose,
        "amount": format(payment.amount, "f"),
        "change_given": format(given, "f"),
        "received_on": payment.received_on,
        "received_at": payment.received_at,
        "received_by": payment.received_by.get_username(),
        "appointment_id": payment.appointment_id,
        "tenders": [
            {
                "method": t.method,
                "amount": format(t.amount, "f"),
                "cash_received": _money(t.cash_received),
                "change_given": _money(t.change_given),
                "check_number": t.check_number,
                "card_brand": t.card_brand,
                "card_last4": t.card_last4,
                "approval_code": t.approval_code,
                "entry_mode": t.entry_mode,
            }
            for t in tenders
        ],
        "applied": [
            {"appointment_id": e.appointment_id, "amount": format(-e.amount, "f")} for e in entries
        ],
        "balance": {
            "patient_owes": format(balance.patient_owes, "f"),
            "pending_insurance": format(balance.pending_insurance, "f"),
        },
    }


ANSWERS = PROBLEM_ANSWERS


@router.post("/payments", response={201: s.PaymentOut, **ANSWERS}, url_name="billing-payments")
@idempotent
def post_payment(request: HttpRequest, payload: s.PaymentIn) -> Any:
    """Post a payment (split tender: several tenders). Send an ``Idempotency-Key``: a retried or
    double-clicked payment posts once. 409 when refused (no open drawer for cash, closed day,
    declined), 422 for malformed amounts (negative, more than two decimals, letters, too large)."""
    require(request, ADD)
    try:
        posted = _post(request, payload, key=None)
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, payment_out(posted.payment, change=posted.change_given))


@router.post(
    "/payment-batches", response={200: s.BatchOut, 422: InvalidProblem}, url_name="billing-batch"
)
def post_batch(request: HttpRequest, payload: s.BatchIn) -> Any:
    """Post many payments (a lockbox file, an offline desk catching up), each with its own key
    and in its own transaction. Sending the batch again is safe: posted keys are replayed."""
    require(request, ADD)
    if len({item.key for item in payload.items}) != len(payload.items):
        raise _invalid([("items", "Each item needs its own key.")])
    results = [_post_item(request, item) for item in payload.items]
    counts = {status: sum(1 for r in results if r["status"] == status) for status in
              ("posted", "replayed", "refused")}  # fmt: skip
    return {**counts, "results": results}


def _post_item(request: HttpRequest, item: s.BatchItemIn) -> dict[str, Any]:
    try:
        posted = _post(request, item, key=item.key)
    except ProblemError as exc:
        return {"key": item.key, "status": "refused", "detail": exc.detail}
    except BillingError as exc:
        return {"key": item.key, "status": "refused", "detail": str(exc)}
    return {
        "key": item.key,
        "status": "posted" if posted.created else "replayed",
        "payment_id": posted.payment.pk,
        "receipt_number": posted.payment.receipt_number,
    }


class PaymentFilter(Schema):
    patient: int | None = None
    day: dt.date | None = None


@router.get("/payments", response=list[s.PaymentOut], url_name="billing-payment-list")
def list_payments(request: HttpRequest, filters: Query[PaymentFilter]) -> Any:
    """Payments, newest first (at most 200); filter by patient and business day."""
    require(request, VIEW)
    rows = Payment.objects.select_related("received_by").prefetch_related("tenders", "entries")
    if filters.patient is not None:
        rows = rows.filter(patient_id=filters.patient)
    if filters.day is not None:
        rows = rows.filter(received_on=filters.day)
    found = list(rows.order_by("-received_at", "-pk")[:LIMIT])
    balances = queries.balances_of({p.patient_id for p in found})
    out = [payment_out(p, balance=balances[p.patient_id]) for p in found]
    for patient_id in sorted({p.patient_id for p in found}):
        record(AuditAction.READ, target_type="billing.payment", patient_id=patient_id,
               detail={"what": "payments (API)"})  # fmt: skip
    return out


@router.get("/payments/{int:payment_id}", response={200: s.PaymentOut, 404: Problem},
            url_name="billing-payment")  # fmt: skip
def get_payment(request: HttpRequest, payment_id: int) -> Any:
    require(request, VIEW)
    payment = queries.get_payment(payment_id)
    if payment is None:
        raise ProblemError(404, "Not found", f"No payment with id {payment_id}.")
    record(AuditAction.READ, target=payment, patient_id=payment.patient_id,
           detail={"what": "payment (API)"})  # fmt: skip
    return payment_out(payment)
