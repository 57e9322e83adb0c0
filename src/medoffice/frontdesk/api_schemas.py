"""Request and answer bodies of the front-desk API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class CheckInIn(Schema):
    appointment_id: int


class CheckInOut(Schema):
    id: int
    appointment_id: int
    patient_id: int
    arrived_at: dt.datetime
    minutes_late: int
    late: bool
    ticket: str
    status: str


class MoveIn(Schema):
    to: Literal["roomed", "with_provider", "ready_for_checkout", "checked_out"]


class BoardRowOut(Schema):
    appointment_id: int
    patient_id: int
    patient_name: str
    provider_id: int
    provider_name: str
    starts_at: dt.datetime
    arrived_at: dt.datetime
    late: bool
    minutes_late: int
    waited_minutes: int
    in_status_minutes: int
    status: str
    status_label: str
    room: str
    wait_level: Literal["ok", "warning", "alert"]


class TimelineStepOut(Schema):
    step: str
    label: str
    at: dt.datetime | None


class TimelineOut(Schema):
    appointment_id: int
    status: str
    steps: list[TimelineStepOut]


class PrepItemOut(Schema):
    key: str
    label: str
    severity: Literal["action", "info"]
    fix: str


class PrepRowOut(Schema):
    appointment_id: int
    patient_id: int
    patient_name: str
    provider_id: int
    starts_at: dt.datetime
    appointment_type: str
    items: list[PrepItemOut]


class ChartPrepOut(Schema):
    location_id: int
    date: dt.date
    appointments: list[PrepRowOut]


class ExcuseNoteIn(Schema):
    appointment_id: int
    kind: Literal["work", "school"]
    excused_from: dt.date
    excused_through: dt.date
    return_on: dt.date | None = None
    restrictions: str = Field("", max_length=300)


class ExcuseNoteOut(Schema):
    id: int
    patient_id: int
    provider_id: int
    kind: str
    excused_from: dt.date
    excused_through: dt.date
    return_on: dt.date
    signature: str
    pdf_url: str


class FollowUpIn(Schema):
    appointment_id: int
    interval: int = Field(..., ge=1, le=366)
    unit: Literal["days", "weeks", "months"]
    appointment_type_id: int | None = None
    starts_at: dt.datetime | None = Field(
        None, description="One of the proposed times; omitted, the first open one is booked"
    )


class FollowUpOut(Schema):
    id: int
    target_date: dt.date
    week_starts: dt.date
    booked_appointment_id: int
    starts_at: dt.datetime
    provider_id: int


class WaitLineOut(Schema):
    date: dt.date
    provider_id: int
    provider_name: str
    visits: int
    to_roomed_avg: float | None
    to_roomed_p90: float | None
    to_seen_avg: float | None
    to_seen_p90: float | None
