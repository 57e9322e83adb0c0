"""Recurring series: every 8 weeks, weekly physical therapy until June, booked in one step.

Occurrences keep the first appointment's wall-clock time at the location (09:00 stays 09:00
across daylight-saving changes). Each is booked by ``services.book_appointment`` in its own
savepoint, so a taken or blocked date is listed as a conflict and the others are still booked.
A series without an end is booked ``HORIZON_DAYS`` ahead (12 months); the desk extends it by
booking a new series later. Cancelling one occurrence is ``services.cancel_appointment`` and
never touches the others; ``cancel_series_from`` ends a series from a day on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.scheduling import services
from medoffice.scheduling.choices import AppointmentStatus
from medoffice.scheduling.errors import BookingRefused, SlotUnavailable
from medoffice.scheduling.models import Appointment, AppointmentSeries, AppointmentType
from medoffice.scheduling.rules.recurrence import next_days, rule_parts
from medoffice.scheduling.rules.slots import to_instant, zone

HORIZON_DAYS = 365  # a series without an end is booked this far ahead
MAX_OCCURRENCES = 260  # a weekday-daily series for a year; more is a typing slip
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")

cancel_occurrence = services.cancel_appointment


@dataclass(frozen=True)
class SeriesResult:
    series: AppointmentSeries
    booked: list[Appointment] = field(default_factory=list)
    conflicts: list[tuple[dt.datetime, str]] = field(default_factory=list)


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def occurrence_starts(
    first_starts_at: dt.datetime,
    rrule: str,
    time_zone: str,
    *,
    until: dt.date | None = None,
    count: int | None = None,
) -> list[dt.datetime]:
    """The start of every occurrence: the first one, then the rule's days at the same local
    time, up to ``until`` (inclusive) or ``count`` occurrences, within the horizon."""
    if timezone.is_naive(first_starts_at):
        raise BookingRefused("The start time needs a time zone.")
    parts = rule_parts(rrule)
    if parts.get("FREQ") not in FREQUENCIES:
        raise BookingRefused("Give a recurrence such as FREQ=WEEKLY;INTERVAL=8.")
    if count is not None and count < 1:
        raise BookingRefused("A series has at least one appointment.")
    local = first_starts_at.astimezone(zone(time_zone))
    horizon = local.date() + dt.timedelta(days=HORIZON_DAYS)
    last = min(until, horizon) if until is not None else horizon
    if last < local.date():
        raise BookingRefused("The series would end before its first appointment.")
    days = next_days(rrule, local.date(), until=last, count=count)
    if len(days) > MAX_OCCURRENCES:
        raise BookingRefused(f"Book at most {MAX_OCCURRENCES} appointments in one series.")
    return [to_instant(day, local.time(), time_zone) for day in days]


@transaction.atomic
def book_series(
    *,
    acting_user: Any,
    patient: Any,
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    first_starts_at: dt.datetime,
    rrule: str,
    until: dt.date | None = None,
    count: int | None = None,
    reason: str = "",
) -> SeriesResult:
    """Book every occurrence that is free; list the others as (start, why) conflicts.

    A refusal that is not about time (the provider does not see the type, the patient record is
    merged) is the same for every date, so it refuses the whole series.
    """
    starts = occurrence_starts(first_starts_at, rrule, location.time_zone, until=until, count=count)
    series = AppointmentSeries.objects.create(
        patient=patient, provider=provider, location=location,
        appointment_type=appointment_type, rrule=rrule.strip().upper().removeprefix("RRULE:"),
        first_starts_at=first_starts_at, created_at=timezone.now(), created_by=_user(acting_user),
    )  # fmt: skip
    result = SeriesResult(series)
    for starts_at in starts:
        try:
            with transaction.atomic():
                appointment = services.book_appointment(
                    acting_user=acting_user, patient=patient, provider=provider,
                    location=location, appointment_type=appointment_type, starts_at=starts_at,
                    reason=reason, series=series,
                )  # fmt: skip
        except SlotUnavailable as exc:
            result.conflicts.append((starts_at, exc.message))
        else:
            result.booked.append(appointment)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=series,
        patient_id=patient.pk,
        fields=["rrule", "first_starts_at"],
        detail={"booked": len(result.booked), "conflicts": len(result.conflicts)},
    )
    return result


@transaction.atomic
def cancel_series_from(
    series: AppointmentSeries, from_date: dt.date, *, acting_user: Any, reason: str, note: str = ""
) -> list[Appointment]:
    """Cancel the series' appointments on or after ``from_date`` (the location's day) that are
    still booked or confirmed; earlier and finished visits stay as they are."""
    from_instant = to_instant(from_date, dt.time(0), series.location.time_zone)
    upcoming = Appointment.objects.filter(
        series=series,
        starts_at__gte=from_instant,
        status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED),
    ).order_by("starts_at", "pk")
    return [
        services.cancel_appointment(appointment, acting_user=acting_user, reason=reason, note=note)
        for appointment in upcoming
    ]
