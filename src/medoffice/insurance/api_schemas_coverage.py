"""Request and answer bodies of the payer, plan and coverage API.

Input schemas refuse unknown keys (a misspelt field is a 422, not silently dropped). Member IDs
appear only in the coverage answers, whose reads are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from medoffice.insurance.choices import (
    CoverageOrder,
    CoverageStatus,
    PlanType,
    SubscriberRelationship,
)


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class FieldErrorOut(Schema):
    field: str
    message: str


class InvalidProblemOut(ProblemOut):
    errors: list[FieldErrorOut] = []


# ---- payers and plans ---------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    payer_id: int
    payer_name: str
    name: str
    plan_type: PlanType
    plan_type_label: str
    requires_referral: bool
    requires_prior_authorization: bool
    active: bool

    @staticmethod
    def resolve_payer_name(obj: Any) -> str:
        return str(obj.payer.name)

    @staticmethod
    def resolve_plan_type_label(obj: Any) -> str:
        return str(obj.get_plan_type_display())


class PlanBriefOut(Schema):
    id: int
    name: str
    plan_type: PlanType
    requires_referral: bool
    requires_prior_authorization: bool
    active: bool


class PayerOut(Schema):
    id: int
    name: str
    payer_id: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str
    phone: str
    fax: str
    clearinghouse_id: int | None
    member_id_pattern: str
    checks_eligibility: bool
    accepts_278: bool
    authorization_phone: str
    authorization_fax: str
    portal_url: str
    active: bool


class PayerDetailOut(PayerOut):
    plans: list[PlanBriefOut]

    @staticmethod
    def resolve_plans(obj: Any) -> list[Any]:
        return list(obj.plans.all())


class PayerIn(StrictInput):
    name: str = Field(..., min_length=1, max_length=120)
    payer_id: str = Field("", max_length=20)
    address_line1: str = Field("", max_length=120)
    address_line2: str = Field("", max_length=120)
    city: str = Field("", max_length=80)
    state: str = Field("", max_length=2)
    zip_code: str = Field("", max_length=10)
    phone: str = Field("", max_length=30)
    fax: str = Field("", max_length=30)
    clearinghouse_id: int | None = None
    member_id_pattern: str = Field("", max_length=120)
    checks_eligibility: bool = True
    accepts_278: bool = False
    authorization_phone: str = Field("", max_length=30)
    authorization_fax: str = Field("", max_length=30)
    portal_url: str = Field("", max_length=200)
    active: bool = True


class PayerPatch(StrictInput):
    name: str | None = Field(None, min_length=1, max_length=120)
    payer_id: str | None = Field(None, max_length=20)
    address_line1: str | None = Field(None, max_length=120)
    address_line2: str | None = Field(None, max_length=120)
    city: str | None = Field(None, max_length=80)
    state: str | None = Field(None, max_length=2)
    zip_code: str | None = Field(None, max_length=10)
    phone: str | None = Field(None, max_length=30)
    fax: str | None = Field(None, max_length=30)
    clearinghouse_id: int | None = None
    member_id_pattern: str | None = Field(None, max_length=120)
    checks_eligibility: bool | None = None
    accepts_278: bool | None = None
    authorization_phone: str | None = Field(None, max_length=30)
    authorization_fax: str | None = Field(None, max_length=30)
    portal_url: str | None = Field(None, max_length=200)
    active: bool | None = None


class PlanIn(StrictInput):
    payer_id: int
    name: str = Field(..., min_length=1, max_length=120)
    plan_type: PlanType
    requires_referral: bool = False
    requires_prior_authorization: bool = False
    active: bool = True


# ---- coverages ----------------------------------------------------------------------------


class SubscriberOut(Schema):
    """Who holds the plan: the patient (self), another patient here, or a person named here."""

    relationship: SubscriberRelationship
    relationship_label: str
    patient_id: int | None
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None
    sex: str


class CardOut(Schema):
    side: str
    width: int
    height: int
    captured_at: dt.datetime


class CoverageOut(Schema):
    id: int
    patient_id: int
    plan_id: int
    plan_name: str
    plan_type: PlanType
    payer_id: int
    payer_name: str
    order: CoverageOrder
    order_label: str
    member_id: str
    group_number: str
    subscriber: SubscriberOut
    effective_date: dt.date
    end_date: dt.date | None
    status: CoverageStatus
    notes: str
    cards: list[CardOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class CoverageFields(StrictInput):
    """What both a new coverage and a change may carry."""

    group_number: str | None = Field(None, max_length=40)
    relationship: SubscriberRelationship | None = None
    subscriber_patient_id: int | None = None
    subscriber_last_name: str | None = Field(None, max_length=100)
    subscriber_first_name: str | None = Field(None, max_length=100)
    subscriber_middle_name: str | None = Field(None, max_length=100)
    subscriber_birth_date: dt.date | None = None
    subscriber_sex: str | None = Field(None, max_length=1)
    end_date: dt.date | None = None
    notes: str | None = Field(None, max_length=300)


class CoverageIn(CoverageFields):
    patient_id: int
    plan_id: int
    order: CoverageOrder = CoverageOrder.PRIMARY
    member_id: str = Field(..., min_length=1, max_length=60)
    effective_date: dt.date


class CoveragePatch(CoverageFields):
    plan_id: int | None = None
    order: CoverageOrder | None = None
    member_id: str | None = Field(None, min_length=1, max_length=60)
    effective_date: dt.date | None = None


class CoverageEndIn(StrictInput):
    end_date: dt.date
