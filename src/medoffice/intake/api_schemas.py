"""Shapes of the intake API."""

import datetime as dt
from typing import Any

from ninja import Field, Schema


class IntakeProblem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class TemplateOut(Schema):
    code: str
    name: str
    description: str
    for_new_patients: bool
    renewal: str = Field(description="none, acknowledgment (signed again) or expires")
    renew_after_months: int | None
    version: int | None = Field(description="The published version's number")
    questions: int = Field(description="How many questions the published version asks")


class DueFormOut(Schema):
    template_code: str
    name: str
    reason: str = Field(examples=["new patient", "consent expired on 2026-03-01"])


class LinkIn(Schema):
    forms: list[str] | None = Field(None, description="Template codes; the forms due when left out")
    appointment: int | None = None


class LinkOut(Schema):
    id: int
    url: str = Field(description="Shown once: only a hash of its token is stored")
    expires_at: dt.datetime
    forms: list[str]


class SubmissionOut(Schema):
    id: int
    template_code: str
    name: str
    version: int
    signed_at: dt.datetime
    signer_name: str
    signature_kind: str
    review_status: str
    reviewed_at: dt.datetime | None
    applied_fields: list[str]
    answers: dict[str, Any]
    pdf_url: str
