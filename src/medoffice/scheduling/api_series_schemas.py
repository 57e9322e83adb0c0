"""Shapes of the API for bookings that are not one appointment now: series and the waitlist."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from medoffice.scheduling.api_schemas import (
    AppointmentOut,
    Instant,
    IsoDate,
    LocationRef,
    PatientRef,
    ProviderRef,
    StrictInput,
    TypeRef,
    text,
)
from medoffice.scheduling.choices import WaitlistStatus

Weekday = Annotated[int, Field(ge=0, le=6)]


class SeriesIn(StrictInput):
    patient_id: int
    provider_id: int
    location_id: int
    appointment_type_id: int
    first_starts_at: Instant
    rrule: Annotated[str, text(200)] = Field(
        ..., description="RFC 5545 RRULE", examples=["FREQ=WEEKLY;INTERVAL=8"]
    )
    until: IsoDate | None = Field(None, description="Last day (inclusive); none: 12 months")
    count: int | None = Field(None, ge=1, le=260, description="Number of appointments")
    reason: Annotated[str, text(200)] = ""


class SeriesRef(Schema):
    id: int
    rrule: str
    first_starts_at: dt.datetime


class SeriesConflictOut(Schema):
    """A date of the series that could not be booked, and why (never who is in the way)."""

    starts_at: dt.datetime
    detail: str


class SeriesOut(Schema):
    series: SeriesRef
    booked: list[AppointmentOut]
    conflicts: list[SeriesConflictOut]


class WaitlistIn(StrictInput):
    patient_id: int
    appointment_type_id: int
    earliest_date: IsoDate
    latest_date: IsoDate
    provider_id: int | None = None
    location_id: int | None = None
    weekdays: list[Weekday] = Field(default_factory=list, description="Empty: any day")
    earliest_time: dt.time | None = None
    latest_time: dt.time | None = Field(None, description="Exclusive: times before it")
    current_appointment_id: int | None = Field(
        None, description="The later appointment an accepted offer replaces"
    )
    note: Annotated[str, text(200)] = ""


class WaitlistFilter(Schema):
    status: WaitlistStatus | None = None
    patient: int | None = None
    appointment_type: int | None = None
    provider: int | None = None


class WaitlistOut(Schema):
    id: int
    status: WaitlistStatus
    patient: PatientRef
    appointment_type: TypeRef
    provider: ProviderRef | None
    location: LocationRef | None
    earliest_date: dt.date
    latest_date: dt.date
    weekdays: list[int]
    earliest_time: dt.time | None
    latest_time: dt.time | None
    current_appointment_id: int | None
    note: str
    created_at: dt.datetime
    offered_starts_at: dt.datetime | None
    offered_provider_id: int | None
    offered_at: dt.datetime | None
    booked_appointment_id: int | None

    @staticmethod
    def resolve_weekdays(obj: Any) -> list[int]:
        return [int(day) for day in obj.weekdays or ()]
