"""Synthetic scheduling set-up for tests: a location, providers working there, types, sessions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from medoffice.practice.models import Location, Provider
from medoffice.practice.tests.factories import LocationFactory, ProviderFactory
from medoffice.scheduling.models import (
    Appointment,
    AppointmentType,
    Resource,
    ScheduleSession,
)

_codes = itertools.count(1)
MONDAY = dt.date(2026, 11, 30)  # a Monday after the US DST change in November


def location(**overrides: Any) -> Location:
    values = {"time_zone": "America/New_York", **overrides}
    return LocationFactory(**values)


def provider_at(place: Location, **overrides: Any) -> Provider:
    provider = ProviderFactory(**overrides)
    provider.locations.add(place)
    return provider


def appointment_type(minutes: int = 20, **overrides: Any) -> AppointmentType:
    n = next(_codes)
    values = {"name": f"Visit type {n}", "code": f"type{n}", "default_minutes": minutes}
    values.update(overrides)
    return AppointmentType.objects.create(**values)


def session(
    provider: Provider,
    place: Location,
    *,
    start: dt.time = dt.time(8),
    end: dt.time = dt.time(12),
    rrule: str = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    starts_on: dt.date = dt.date(2026, 1, 1),
    **overrides: Any,
) -> ScheduleSession:
    return ScheduleSession.objects.create(
        provider=provider,
        location=place,
        rrule=rrule,
        starts_on=starts_on,
        start_time=start,
        end_time=end,
        **overrides,
    )


def room(place: Location, name: str = "Exam 1", kind: str = "exam_room") -> Resource:
    return Resource.objects.create(location=place, name=name, kind=kind)


def local(place: Location, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware instant at the location's wall-clock time."""
    import zoneinfo

    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(place.time_zone)
    )


def raw_appointment(
    patient: Any,
    provider: Provider,
    place: Location,
    kind: AppointmentType,
    starts_at: dt.datetime,
    minutes: int = 20,
    **overrides: Any,
) -> Appointment:
    """An appointment written straight to the table (bypassing the service): for database tests."""
    return Appointment.objects.create(
        patient=patient, provider=provider, location=place, appointment_type=kind,
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes),
        booked_at=timezone.now(), **overrides,
    )  # fmt: skip
