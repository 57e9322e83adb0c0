"""Shapes of drawers, day close, settlements and refunds in the API (money as strings)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

Amount = str | int  # parsed by billing.rules.money.parse_amount


class DrawerOpenIn(Schema):
    opening_float: Amount = Field(..., description='The float counted into the drawer, "100.00".')


class DrawerCountIn(Schema):
    denominations: dict[str, int] = Field(
        ...,
        description='How many of each, keyed as in billing.choices.DENOMINATIONS ("20", "0.25").',
    )
    checks_total: Amount = "0"
    check_count: int = Field(0, ge=0)
    reason: str = Field("", max_length=300, description="Required when over or short.")


class DrawerOut(Schema):
    id: int
    user_id: int
    business_date: dt.date
    status: str
    opening_float: str
    expected_cash: str
    cash_taken: str
    cash_refunded: str
    checks_total: str
    check_count: int
    card_total: str
    counted_cash: str | None
    counted_checks: str | None
    cash_over_short: str | None
    checks_over_short: str | None
    discrepancy_reason: str


class SettlementIn(Schema):
    terminal_id: str = Field(..., max_length=40)
    batch_total: Amount
    batch_count: int = Field(..., ge=0)
    batch_ref: str = Field("", max_length=64)


class SettlementOut(Schema):
    id: int
    business_date: dt.date
    terminal_id: str
    batch_total: str
    batch_count: int
    batch_ref: str
    source: str


class CloseIn(Schema):
    card_difference_reason: str = Field("", max_length=300)


class ReopenIn(Schema):
    reason: str = Field(..., max_length=300)


class RefundIn(Schema):
    patient_id: int
    amount: Amount
    method: Literal["cash", "check", "card", "hsa"]
    reason: str = Field(..., max_length=300)
    payment_id: int | None = None


class ApproveIn(Schema):
    note: str = Field("", max_length=300)
    check_number: str = Field("", max_length=20)
    approval_code: str = Field("", max_length=12, description="Manual terminal mode only.")


class DeclineIn(Schema):
    note: str = Field(..., max_length=300)


class RefundOut(Schema):
    id: int
    patient_id: int
    payment_id: int | None
    amount: str
    method: str
    reason: str
    status: str
    requested_by_id: int
    requested_at: dt.datetime
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_note: str
    refunded_on: dt.date | None
    drawer_id: int | None
    check_number: str
    card_last4: str
    approval_code: str
