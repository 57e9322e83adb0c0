"""Request and answer bodies of the eligibility and estimate API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class CheckIn(Schema):
    service_date: dt.date | None = Field(None, description="Date of service (default today).")
    service_types: list[str] | None = Field(
        None, description="X12 service type codes (default: the generic 30)."
    )


class CheckOut(Schema):
    id: int
    coverage_id: int
    patient_id: int
    appointment_id: int | None
    service_date: dt.date
    service_types: list[str]
    source: str
    status: str
    status_text: str
    message: str
    retry_may_help: bool
    stale: bool
    requested_at: dt.datetime
    responded_at: dt.datetime | None
    active: bool | None
    copay: Decimal | None
    coinsurance_percent: Decimal | None
    deductible_remaining: Decimal | None
    out_of_pocket_remaining: Decimal | None
    other_payer_named: bool
    summary: dict[str, Any] = Field(description="The readable 271: plan, PCP, benefits by type.")


class BatchIn(Schema):
    date: dt.date | None = Field(None, description="Day of service (default next business day).")


class BatchOut(Schema):
    date: dt.date
    checked: int
    active: int
    problem: int
    queued: int
    skipped: int
    no_coverage: int
    summary: str


class EstimateLineOut(Schema):
    code: str
    description: str
    units: int
    unit_amount: Decimal
    amount: Decimal


class EstimateOut(Schema):
    appointment_id: int
    self_pay: bool
    available: bool
    allowed_total: Decimal | None
    patient_owes: Decimal | None
    plan_pays: Decimal | None
    copay: Decimal | None
    deductible: Decimal | None
    coinsurance: Decimal | None
    capped_by_out_of_pocket: bool
    steps: list[str]
    unknowns: list[str]
    notes: list[str]
    lines: list[EstimateLineOut]
    eligibility_check_id: int | None


class GfeLineIn(Schema):
    code: str = Field(pattern=r"^[A-Z0-9]{5}$")
    description: str = ""
    units: int = Field(1, ge=1, le=99)
    amount: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


class GfeIn(Schema):
    patient_id: int
    service_date: dt.date
    appointment_id: int | None = None
    lines: list[GfeLineIn] | None = Field(
        None, description="Services and prices; default: the appointment type's planned services."
    )


class GfeOut(Schema):
    id: int
    number: str
    patient_id: int
    service_date: dt.date
    total: Decimal
    issued_at: dt.datetime
    lines: list[dict[str, Any]]
    pdf_url: str
