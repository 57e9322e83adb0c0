"""Shapes of statements, payment plans and reports in the API; money as strings ("12.50")."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

Amount = str | int | float  # parsed by billing.rules.money.parse_amount (floats are refused)


class AgingOut(Schema):
    current: str
    days_31_60: str
    days_61_90: str
    days_91_120: str
    days_over_120: str


# ---- statements -----------------------------------------------------------------------------


class StatementRunIn(Schema):
    statement_date: dt.date
    message: str = Field("", max_length=500)
    minimum_balance: Amount = Field("5.00", description="Patients owing less get none.")


class StatementIn(Schema):
    patient_id: int
    message: str = Field("", max_length=500)


class StatementOut(Schema):
    id: int
    run_id: int | None
    patient_id: int
    statement_date: dt.date
    due_on: dt.date
    balance_due: str
    pending_insurance: str
    aging: AgingOut
    collections_flag: str
    message: str
    addressee: dict
    lines: list[dict]
    sent_at: dt.datetime | None
    sent_via: str
    pdf: str


class StatementRunOut(Schema):
    id: int
    statement_date: dt.date
    created_at: dt.datetime
    created_by: str
    message: str
    minimum_balance: str
    count: int
    sent: int
    flagged: int
    pdf: str


class StatementRowOut(Schema):
    id: int
    patient_id: int
    mrn: str
    balance_due: str
    pending_insurance: str
    collections_flag: str
    sent_via: str
    sent_at: dt.datetime | None


class StatementRunDetailOut(StatementRunOut):
    statements: list[StatementRowOut]


class MarkSentIn(Schema):
    via: Literal["mail", "email", "printed"]
    statement_ids: list[int] | None = Field(
        None, description="Which statements of the run; none: every one not yet sent."
    )


class MarkedOut(Schema):
    marked: int


# ---- payment plans --------------------------------------------------------------------------


class PlanIn(Schema):
    patient_id: int
    total: Amount
    instalments: int = Field(..., ge=2, le=36)
    frequency: Literal["weekly", "biweekly", "monthly"]
    first_due: dt.date
    note: str = Field("", max_length=300)


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class InstalmentOut(Schema):
    number: int
    due_on: dt.date
    amount: str
    paid: str
    left: str
    state: Literal["paid", "partly paid", "due", "overdue"]
    reminded_at: dt.datetime | None


class PlanOut(Schema):
    id: int
    patient_id: int
    status: str
    total: str
    frequency: str
    first_due: dt.date
    note: str
    paid: str
    remaining: str
    amount_due_now: str
    next_due_on: dt.date | None
    instalments: list[InstalmentOut]


class DueOut(Schema):
    plan_id: int
    patient_id: int
    number: int
    due_on: dt.date
    left: str
    overdue: bool
    reminded: bool


# ---- reports --------------------------------------------------------------------------------


class TenderLineOut(Schema):
    method: str
    amount: str


class JournalRowOut(Schema):
    payment_id: int
    receipt_number: str
    received_at: dt.datetime
    received_on: dt.date
    patient_id: int
    patient_name: str
    mrn: str
    purpose: str
    amount: str
    tenders: list[TenderLineOut]
    received_by: str
    applied_to: list[str]


class JournalOut(Schema):
    start: dt.date
    end: dt.date
    count: int
    total: str
    by_method: dict[str, str]
    items: list[JournalRowOut]


class AgingRowOut(Schema):
    patient_id: int
    name: str
    mrn: str
    aging: AgingOut
    credit: str
    total: str
    pending_insurance: str
    collections_flag: str
    last_payment_on: dt.date | None


class AgingReportOut(Schema):
    as_of: dt.date
    totals: AgingOut
    total: str
    pending_insurance: str
    flagged: int
    items: list[AgingRowOut]
