"""Request and answer bodies of the referrals and prior-authorization API."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class FieldError(Schema):
    field: str
    message: str


class InvalidProblem(Problem):
    errors: list[FieldError]


class SubmissionProblem(Problem):
    retry_may_help: bool


# ---- referrals ------------------------------------------------------------------------------


class ReferralFields(Schema):
    coverage_id: int | None = None
    number: str = Field("", max_length=40)
    referring_provider_id: int | None = None
    referring_name: str = Field("", max_length=200)
    referring_npi: str = Field("", max_length=10)
    to_provider_id: int | None = None
    to_specialist_id: int | None = None
    from_provider_id: int | None = None
    specialty: str = Field("", max_length=100)
    reason: str = Field("", max_length=300)
    diagnosis_codes: list[str] = Field(default_factory=list, max_length=12)
    notes: str = Field("", max_length=4000)


class ReferralIn(ReferralFields):
    patient_id: int
    direction: Literal["incoming", "outgoing"]
    visits_authorized: int = Field(1, ge=1, le=999)
    start_date: dt.date
    end_date: dt.date | None = None


class ReferralPatch(Schema):
    """Only the fields sent are changed."""

    coverage_id: int | None = None
    number: str | None = Field(None, max_length=40)
    referring_provider_id: int | None = None
    referring_name: str | None = Field(None, max_length=200)
    referring_npi: str | None = Field(None, max_length=10)
    to_provider_id: int | None = None
    to_specialist_id: int | None = None
    from_provider_id: int | None = None
    specialty: str | None = Field(None, max_length=100)
    reason: str | None = Field(None, max_length=300)
    diagnosis_codes: list[str] | None = Field(None, max_length=12)
    visits_authorized: int | None = Field(None, ge=1, le=999)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str | None = Field(None, max_length=4000)


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class ReferralOut(Schema):
    id: int
    direction: str
    status: str
    patient_id: int
    coverage_id: int | None
    number: str
    referring_provider_id: int | None
    referring_name: str
    referring_npi: str
    to_provider_id: int | None
    to_specialist_id: int | None
    from_provider_id: int | None
    specialty: str
    reason: str
    diagnosis_codes: list[str]
    visits_authorized: int
    visits_used: int
    visits_left: int
    start_date: dt.date
    end_date: dt.date | None
    cancel_reason: str
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime


class VisitIn(Schema):
    appointment_id: int


class VisitOut(Schema):
    referral_id: int
    appointment_id: int
    linked_at: dt.datetime
    visits_left: int


# ---- prior authorizations ------------------------------------------------------------------


class ServiceIn(Schema):
    code: str = Field(..., min_length=5, max_length=5, description="CPT or HCPCS")
    units: int = Field(1, ge=1, le=9999)
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    description: str = Field("", max_length=120)


class AuthorizationIn(Schema):
    patient_id: int
    requesting_provider_id: int
    services: list[ServiceIn] = Field(..., min_length=1, max_length=30)
    diagnoses: list[str] = Field(..., min_length=1, max_length=12, description="ICD-10-CM")
    coverage_id: int | None = Field(None, description="Default: the patient's primary coverage")
    servicing_provider_id: int | None = None
    appointment_type_id: int | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    notes: str = Field("", max_length=4000)


class AuthorizationPatch(Schema):
    """Only the fields sent are changed; a request already sent takes only ``notes``."""

    requesting_provider_id: int | None = None
    services: list[ServiceIn] | None = Field(None, min_length=1, max_length=30)
    diagnoses: list[str] | None = Field(None, min_length=1, max_length=12)
    coverage_id: int | None = None
    servicing_provider_id: int | None = None
    appointment_type_id: int | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    notes: str | None = Field(None, max_length=4000)


class ServiceOut(Schema):
    position: int
    code: str
    description: str
    units_requested: int
    units_approved: int | None
    from_date: dt.date | None
    to_date: dt.date | None
    decision: str


class LinkOut(Schema):
    authorization_id: int
    appointment_id: int
    units: int
    linked_at: dt.datetime


class AuthorizationOut(Schema):
    id: int
    patient_id: int
    coverage_id: int | None
    payer_id: int | None
    appointment_type_id: int | None
    requesting_provider_id: int
    servicing_provider_id: int | None
    status: str
    certification_number: str
    submitted_via: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    effective_from: dt.date | None
    effective_to: dt.date | None
    payer_reference: str
    denial_reason: str
    payer_message: str
    retry_may_help: bool
    notes: str
    services: list[ServiceOut]
    diagnoses: list[str]
    appointment_ids: list[int]
    units_approved_total: int
    units_used: int
    units_left: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_services(obj: Any) -> list[Any]:
        return list(obj.services.all())

    @staticmethod
    def resolve_diagnoses(obj: Any) -> list[str]:
        return [d.code for d in obj.diagnoses.all()]

    @staticmethod
    def resolve_appointment_ids(obj: Any) -> list[int]:
        return [link.appointment_id for link in obj.appointments.all()]


class SubmitIn(Schema):
    via: Literal["x12", "fax", "portal", "phone"] | None = Field(
        None, description="Default: x12 when the payer takes 278s, else fax, portal or phone"
    )
    reference: str = Field("", max_length=50)


class DecisionIn(Schema):
    decision: Literal["approved", "denied", "pending"]
    certification_number: str = Field("", max_length=50)
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    units_approved: dict[int, int] = Field(
        default_factory=dict, description="Line position -> units granted (default: as asked)"
    )
    denial_reason: str = Field("", max_length=300)
    payer_reference: str = Field("", max_length=50)


class LinkIn(Schema):
    appointment_id: int
    units: int = Field(1, ge=1, le=9999)


class AlertOut(Schema):
    kind: str
    message: str
    patient_id: int
    referral_id: int | None
    authorization_id: int | None
    ends: dt.date | None
    left: int | None
