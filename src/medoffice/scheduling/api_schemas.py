"""Request and response shapes of the scheduling API (``scheduling.api``).

Inputs refuse unknown keys (a misspelt field is a 422, not silently dropped), dates other than
ISO ``YYYY-MM-DD`` and instants without a UTC offset: a program must say which 9:00 it means.
Answers give instants in the location's own offset, so ``09:00-05:00`` reads as the desk's 9:00.
Problem shapes carry their own names: OpenAPI components are global, one name per shape.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from medoffice.scheduling.choices import AppointmentStatus, CancelReason


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_format", "Write the date as YYYY-MM-DD, e.g. 2026-11-30.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "That date does not exist.") from None


def _aware_instant(value: Any) -> Any:
    """ISO 8601 with an offset; a bare date or a number is refused (which day, which zone?)."""
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return value
    example = "e.g. 2026-11-30T09:00:00-05:00"
    if isinstance(value, str):  # "+05:00" in a query string arrives as " 05:00" unless encoded
        value = re.sub(r" ([0-9]{2}:?[0-9]{2})$", r"+\1", value.strip())
    if not isinstance(value, str) or "T" not in value.upper():
        raise PydanticCustomError("datetime_format", f"Write a date and time, {example}.")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "datetime_value", f"That is not a valid time, {example}."
        ) from None
    if parsed.utcoffset() is None:
        raise PydanticCustomError("datetime_offset", f"Give the UTC offset too, {example}.")
    return parsed


def _instant_or_midnight(value: Any) -> Any:
    """An instant with offset, or a date meaning its midnight in the practice's time zone."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        day = _iso_date(value)
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return _aware_instant(value)


def _weekdays(value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else value
    if text == "" or text is None:
        return ""
    if not isinstance(text, str) or not re.fullmatch(r"[0-6](,[0-6])*", text):
        raise PydanticCustomError(
            "weekdays", "List weekday numbers separated by commas: 0 (Monday) to 6 (Sunday)."
        )
    return text


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), Field(examples=["2026-11-30"])]
Instant = Annotated[
    dt.datetime, BeforeValidator(_aware_instant), Field(examples=["2026-11-30T09:00:00-05:00"])
]
Bound = Annotated[
    dt.datetime,
    BeforeValidator(_instant_or_midnight),
    Field(description="An instant with offset, or a date (its midnight in the practice)"),
]
Minutes = Annotated[int, Field(ge=5, le=480, description="Length; default: the type's")]
Weekdays = Annotated[
    str, BeforeValidator(_weekdays), Field(description="e.g. 0,2,4 (0 = Monday, 6 = Sunday)")
]


def text(max_length: int) -> Any:
    return StringConstraints(strip_whitespace=True, max_length=max_length)


def weekday_set(value: str) -> set[int] | None:
    return {int(day) for day in value.split(",")} if value else None


# ---- inputs ------------------------------------------------------------------------------


class AvailabilityQuery(Schema):
    appointment_type: int
    provider: int | None = Field(None, description="One provider; else all who see the type")
    location: int | None = None
    start: IsoDate | None = Field(None, description="First day; default today")
    end: IsoDate | None = Field(None, description="Last day; default two weeks on; <= 92 days")
    weekdays: Weekdays = ""
    earliest: dt.time | None = Field(None, description="No slot starts before (local time)")
    latest: dt.time | None = Field(None, description="No slot starts after (local time)")
    limit: int = Field(20, ge=1, le=200)


class AppointmentFilter(Schema):
    start: Bound | None = None
    end: Bound | None = Field(None, description="Before this instant (a date: its midnight)")
    provider: int | None = None
    location: int | None = None
    patient: int | None = None
    status: AppointmentStatus | None = None


class AppointmentIn(StrictInput):
    patient_id: int
    provider_id: int
    location_id: int
    appointment_type_id: int
    starts_at: Instant
    minutes: Minutes | None = None
    overbook: bool = Field(False, description="On top of a booked slot, within the session limit")
    reason: Annotated[str, text(200)] = ""
    note: Annotated[str, text(300)] = ""


class ReschedulePatch(StrictInput):
    starts_at: Instant | None = None
    provider_id: int | None = None
    location_id: int | None = None
    minutes: Minutes | None = None
    overbook: bool | None = None
    reason: Annotated[str, text(200)] = Field("", description="Why it moved (kept in history)")


class CancelIn(StrictInput):
    reason: CancelReason
    note: Annotated[str, text(200)] = ""


class StatusIn(StrictInput):
    status: AppointmentStatus


# ---- answers -----------------------------------------------------------------------------


def in_zone(when: dt.datetime, time_zone: str) -> dt.datetime:
    return when.astimezone(zoneinfo.ZoneInfo(time_zone))


class SlotOut(Schema):
    provider_id: int
    location_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    session_label: str


class PatientRef(Schema):
    id: int
    mrn: str
    display_name: str


class ProviderRef(Schema):
    id: int
    display_name: str


class LocationRef(Schema):
    id: int
    name: str
    time_zone: str


class TypeRef(Schema):
    id: int
    code: str
    name: str
    color: str


class AppointmentOut(Schema):
    id: int
    status: AppointmentStatus
    starts_at: dt.datetime
    ends_at: dt.datetime
    minutes: int
    overbook: bool
    patient: PatientRef
    provider: ProviderRef
    location: LocationRef
    appointment_type: TypeRef
    reason: str
    note: str
    series_id: int | None
    cancel_reason: str
    cancel_note: str
    booked_at: dt.datetime
    no_show_risk: float | None

    @staticmethod
    def resolve_starts_at(obj: Any) -> dt.datetime:
        return in_zone(obj.starts_at, obj.location.time_zone)

    @staticmethod
    def resolve_ends_at(obj: Any) -> dt.datetime:
        return in_zone(obj.ends_at, obj.location.time_zone)

    @staticmethod
    def resolve_minutes(obj: Any) -> int:
        return int((obj.ends_at - obj.starts_at).total_seconds() // 60)


class ResourceUseOut(Schema):
    resource_id: int
    name: str
    kind: str
    holds_time: bool

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.resource.name)

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.resource.kind)


class EventOut(Schema):
    kind: str
    at: dt.datetime
    by: str
    from_status: str
    to_status: str
    detail: dict[str, Any]

    @staticmethod
    def resolve_by(obj: Any) -> str:
        return obj.by.get_username() if obj.by is not None else ""


class AppointmentDetailOut(AppointmentOut):
    resources: list[ResourceUseOut]
    events: list[EventOut]

    @staticmethod
    def resolve_resources(obj: Any) -> list[Any]:
        return list(obj.resource_uses.all())

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class AppointmentBookedOut(AppointmentDetailOut):
    """The booking's answer: the appointment, and what the desk should know about referrals
    and prior authorizations (plain words; empty when nothing is needed)."""

    warnings: list[str] = Field(default_factory=list)


class OnCallOut(Schema):
    provider: ProviderRef
    starts_at: dt.datetime
    ends_at: dt.datetime
    phone: str
    note: str


# ---- problems (RFC 9457) -----------------------------------------------------------------


class SchedulingFieldError(Schema):
    field: str
    message: str


class SchedulingProblem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class SchedulingInvalidProblem(SchedulingProblem):
    errors: list[SchedulingFieldError]


class ConflictOut(Schema):
    """An appointment in the way: when and whose calendar, never which patient."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    provider_id: int


class SlotProblem(SchedulingProblem):
    conflicts: list[ConflictOut] = Field(
        default_factory=list, description="Appointments in the way (none when the time is closed)"
    )
