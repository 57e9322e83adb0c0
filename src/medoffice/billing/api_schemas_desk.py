"""Schemas of the desk's account API: money in and out as strings of dollars and cents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from medoffice.billing.api_problems import FieldError, InvalidProblem, Problem

__all__ = ["FieldError", "InvalidProblem", "Problem"]


class BalanceOut(Schema):
    patient_owes: Decimal = Field(description="What the patient owes now (below zero: credit)")
    pending_insurance: Decimal = Field(description="Still pending with insurance")
    credit: Decimal = Field(description="Credit on account")


class VisitBalanceOut(BalanceOut):
    appointment_id: int | None = Field(description="null: on account, not tied to a visit")


class AccountOut(Schema):
    patient_id: int
    balance: BalanceOut
    visits: list[VisitBalanceOut]


class EntryOut(Schema):
    id: int
    kind: str
    bucket: str
    amount: Decimal
    posted_on: dt.date
    posted_at: dt.datetime
    appointment_id: int | None
    payment_id: int | None
    reverses_id: int | None
    code: str
    description: str
    reason: str


class ChargeIn(Schema):
    patient_amount: str = Field("0", description='Dollars and cents as text, e.g. "25.00"')
    insurance_amount: str = Field("0", description='Dollars and cents as text, e.g. "125.00"')
    appointment_id: int | None = None
    code: str = Field("", max_length=10)
    description: str = Field("", max_length=200)


class AdjustmentIn(Schema):
    amount: str = Field(description='Dollars and cents as text, e.g. "10.00"')
    lowers: bool = Field(True, description="true: a write-off; false: a debit adjustment")
    bucket: str = Field("patient", pattern="^(patient|insurance)$")
    reason: str = Field(min_length=1, max_length=300)
    appointment_id: int | None = None


class ReversalIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class EntriesOut(Schema):
    entries: list[EntryOut]


class EmailedOut(Schema):
    payment_id: int
    queued: bool
