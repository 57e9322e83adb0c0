"""Why a time cannot be booked, in the desk's words (part of the ``availability`` contract).

``booking_problem`` answers about the schedule only: exceptions, blocks and sessions. Whether
another appointment is in the way is the booking service's check (and the database's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from medoffice.scheduling import booking_reads, queries
from medoffice.scheduling.choices import HOLDING_TIME, BlockKind, ExceptionKind
from medoffice.scheduling.models import (
    Appointment,
    AppointmentResource,
    AppointmentType,
    Block,
    Resource,
)
from medoffice.scheduling.rules import slots as rules


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _exception_problem(
    provider: Any, location: Any, starts_at: dt.datetime, ends_at: dt.datetime
) -> str | None:
    found = booking_reads.first_exception(provider.pk, location.pk, starts_at, ends_at)
    if found is None:
        return None
    provider_id, kind, note = found
    what = note.strip() or _label(ExceptionKind, kind)
    if provider_id is None:
        return f"The office is closed: {what}."
    return f"{provider} is not available: {what}."


def _block_problem(provider: Any, starts_at: dt.datetime, ends_at: dt.datetime) -> str | None:
    found = booking_reads.first_block(provider.pk, starts_at, ends_at)
    if found is None:
        return None
    kind, title = found
    return f"Blocked: {title.strip() or _label(BlockKind, kind)}."


def _reserved_for(sessions: list[rules.Session]) -> str:
    labels = sorted({s.label for s in sessions if s.label})
    if labels:
        return " or ".join(labels)
    type_ids = set().union(*(s.type_ids for s in sessions))
    names = AppointmentType.objects.filter(pk__in=type_ids).order_by("name")
    return " or ".join(names.values_list("name", flat=True)) + " appointments"


def _session_problem(
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> str | None:
    local_zone = rules.zone(location.time_zone)
    day = starts_at.astimezone(local_zone).date()
    sessions = booking_reads.sessions_on(provider.pk, location.pk, day)
    windows = rules.windows(sessions, day, day)
    covering = [w for w in windows if w.starts_at <= starts_at and ends_at <= w.ends_at]
    if any(w.session.admits(appointment_type.pk) for w in covering):
        return None
    if covering:
        return f"That time is reserved for {_reserved_for([w.session for w in covering])}."
    touching = [w for w in windows if w.starts_at < ends_at and starts_at < w.ends_at]
    if touching:
        w = touching[0]
        opens, closes = w.starts_at.astimezone(local_zone), w.ends_at.astimezone(local_zone)
        return f"That time runs outside {provider}'s session ({opens:%H:%M}-{closes:%H:%M})."
    return f"{provider} has no session at that time."


def booking_problem(
    *,
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> str | None:
    """None when [starts_at, ends_at) lies in an open session of the provider at the location
    that admits the type and no exception or block covers it; else the reason, in plain words."""
    return (
        _exception_problem(provider, location, starts_at, ends_at)
        or _block_problem(provider, starts_at, ends_at)
        or _session_problem(provider, location, appointment_type, starts_at, ends_at)
    )


def _resources_free(
    location: Any, appointment_type: AppointmentType, starts_at: dt.datetime, ends_at: dt.datetime
) -> bool:
    for kind in queries.resource_kinds_needed(appointment_type):
        used = AppointmentResource.objects.filter(
            queries.overlapping(starts_at, ends_at), holds_time=True
        ).values("resource_id")
        blocked = Block.objects.filter(
            resource__isnull=False, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).values("resource_id")
        free = Resource.objects.filter(location=location, kind=kind, active=True).exclude(
            Q(pk__in=used) | Q(pk__in=blocked)
        )
        if not free.exists():
            return False
    return True


def slot_is_open(
    *,
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    minutes: int | None = None,
) -> bool:
    """True when the type could be booked at ``starts_at`` now: schedule, bookings, resources."""
    length = minutes or queries.duration_minutes(appointment_type, provider)
    ends_at = starts_at + dt.timedelta(minutes=length)
    if booking_problem(
        provider=provider,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        ends_at=ends_at,
    ):
        return False
    taken = Appointment.objects.filter(
        queries.overlapping(starts_at, ends_at),
        provider=provider,
        status__in=HOLDING_TIME,
        overbook=False,
    ).exists()
    return not taken and _resources_free(location, appointment_type, starts_at, ends_at)
