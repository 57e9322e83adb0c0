"""Shapes of payments in the API. Amounts go in and out as strings of dollars and cents."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

Amount = str | int | float  # parsed by billing.rules.money.parse_amount (floats are refused)


class TenderIn(Schema):
    method: Literal["cash", "check", "card", "hsa"]
    amount: Amount = Field(..., description='What this tender pays, e.g. "25.00".')
    cash_received: Amount | None = Field(
        None, description="Cash handed over (change = this - amount)."
    )
    check_number: str = ""
    card_brand: Literal["visa", "mastercard", "amex", "discover", "other", ""] = ""
    card_last4: str = ""
    approval_code: str = Field("", description="The terminal's approval code (manual entry).")
    entry_mode: Literal["manual", "terminal", ""] = ""
    processor_ref: str = ""
    terminal_id: str = ""


class AppliedIn(Schema):
    appointment_id: int | None = Field(None, description="The visit it pays; null = on account.")
    amount: Amount


class PaymentIn(Schema):
    patient_id: int
    purpose: Literal["copay", "balance", "prepayment", "plan"] = "balance"
    appointment_id: int | None = Field(None, description="The visit it was collected at.")
    plan_id: int | None = None
    tenders: list[TenderIn] = Field(..., min_length=1, max_length=6)
    applied: list[AppliedIn] | None = Field(
        None, description="Which visits it pays; default: copay -> this visit, balance -> oldest."
    )
    note: str = Field("", max_length=300)


class BatchItemIn(PaymentIn):
    key: str = Field(..., min_length=1, max_length=255, description="This payment's own key.")


class BatchIn(Schema):
    items: list[BatchItemIn] = Field(..., min_length=1, max_length=500)


class TenderOut(Schema):
    method: str
    amount: str
    cash_received: str | None
    change_given: str | None
    check_number: str
    card_brand: str
    card_last4: str
    approval_code: str
    entry_mode: str


class AppliedOut(Schema):
    appointment_id: int | None
    amount: str


class BalanceOut(Schema):
    patient_owes: str = Field(..., description="What the patient owes now (negative: a credit).")
    pending_insurance: str = Field(..., description="Still waiting on insurance.")


class PaymentOut(Schema):
    id: int
    receipt_number: str
    patient_id: int
    purpose: str
    amount: str
    change_given: str
    received_on: dt.date
    received_at: dt.datetime
    received_by: str
    appointment_id: int | None
    tenders: list[TenderOut]
    applied: list[AppliedOut]
    balance: BalanceOut


class BatchResultOut(Schema):
    key: str
    status: Literal["posted", "replayed", "refused"]
    payment_id: int | None = None
    receipt_number: str | None = None
    detail: str | None = None


class BatchOut(Schema):
    posted: int
    replayed: int
    refused: int
    results: list[BatchResultOut]
