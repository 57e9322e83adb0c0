"""Writes of providers' working time: recurring sessions and exceptions (holidays, closures).

A session's RRULE is checked and normalized before it is stored, and a provider's sessions may
not overlap on any day at any location: both are expanded over the dates they share and
compared as instants, so sessions at locations in different time zones are compared correctly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.practice.models import Provider
from medoffice.scheduling.choices import ExceptionKind
from medoffice.scheduling.models import ScheduleException, ScheduleSession
from medoffice.scheduling.setup_common import (
    actor_or_none,
    apply,
    audit_delete,
    refuse,
    save_changes,
    save_new,
    zone,
    zone_name,
)
from medoffice.scheduling.setup_recurrence import (
    RecurrenceError,
    WeeklyHours,
    first_clash,
    normalize_rrule,
    occurrence_days,
)


def hours_of(session: ScheduleSession) -> WeeklyHours:
    return WeeklyHours(
        rule=session.rrule,
        first_day=session.starts_on,
        last_day=session.ends_on,
        start_time=session.start_time,
        end_time=session.end_time,
        time_zone=session.location.time_zone,
    )


def _check_rule(session: ScheduleSession) -> None:
    try:
        session.rrule = normalize_rrule(session.rrule)
    except RecurrenceError as exc:
        raise refuse(exc, "rrule") from exc
    if session.ends_on is not None and session.ends_on < session.starts_on:
        raise refuse("The end date comes before the start date.", "ends_on")
    horizon = session.starts_on + dt.timedelta(days=366)
    if not occurrence_days(
        session.rrule, first_day=session.starts_on, last_day=session.ends_on,
        start=session.starts_on, end=horizon,
    ):  # fmt: skip
        raise refuse("The rule never falls between the start and end dates.", "rrule")


def _check_times(session: ScheduleSession) -> None:
    if session.start_time >= session.end_time:
        raise refuse("The session must end after it starts (on the same day).", "end_time")
    if not session.provider.locations.filter(pk=session.location_id).exists():
        raise refuse(f"{session.provider} does not work at {session.location}.", "location")


def _check_overlap(session: ScheduleSession) -> None:
    """Refuse when another active session of the provider overlaps on any day."""
    if not session.active:
        return
    # two managers saving sessions of one provider at once: the second waits for the first
    Provider.objects.select_for_update().filter(pk=session.provider_id).values_list("pk").first()
    others = ScheduleSession.objects.filter(provider_id=session.provider_id, active=True)
    if session.pk is not None:
        others = others.exclude(pk=session.pk)
    ours = hours_of(session)
    for other in others.select_related("location").order_by("pk"):
        clash = first_clash(ours, hours_of(other))
        if clash is not None:
            when = clash.astimezone(zone(ours.time_zone))
            raise refuse(
                f"Overlaps the provider's session {other.start_time:%H:%M}-{other.end_time:%H:%M}"
                f" at {other.location} on {when:%a %b} {when.day}, {when.year}."
            )


def _validate(session: ScheduleSession) -> None:
    _check_rule(session)
    _check_times(session)
    session.full_clean(exclude=["appointment_types"])
    _check_overlap(session)


@transaction.atomic
def create_session(
    *, acting_user: Any, appointment_types: Iterable[Any] = (), **values: Any
) -> ScheduleSession:
    """A recurring session: provider, location, rrule, dates, wall-clock times, slot grid,
    overbook limit; ``appointment_types`` reserves it for those types (none = any type)."""
    session = ScheduleSession(**values)
    _validate(session)
    session.save()
    types = list(appointment_types)
    session.appointment_types.set(types)
    fields = [*values, *(["appointment_types"] if types else [])]
    record(AuditAction.CREATE, actor=acting_user, target=session, fields=sorted(fields))
    return session


@transaction.atomic
def update_session(
    session: ScheduleSession,
    *,
    acting_user: Any,
    appointment_types: Iterable[Any] | None = None,
    **values: Any,
) -> ScheduleSession:
    """Change a session (set ``active=False`` to retire it); checks as on creation."""
    session = ScheduleSession.objects.select_for_update().get(pk=session.pk)
    changed = apply(session, values)
    if changed:
        _validate(session)
    if appointment_types is not None:
        wanted = {kind.pk for kind in appointment_types}
        if wanted != set(session.appointment_types.values_list("pk", flat=True)):
            session.appointment_types.set(wanted)
            changed.append("appointment_types")
    save_changes(session, changed, acting_user)
    return session


def _check_scope(provider: Any, location: Any) -> None:
    if provider is None or location is None:
        return
    if not provider.locations.filter(pk=location.pk).exists():
        raise refuse(f"{provider} does not work at {location}.", "location")


@transaction.atomic
def create_exception(
    *,
    acting_user: Any,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    provider: Any = None,
    location: Any = None,
    note: str = "",
) -> ScheduleException:
    """Time nobody is booked: everyone (no provider, no location), a location, a provider, or a
    provider at one location; from one instant to another (a day, a range, part of a day)."""
    if kind not in ExceptionKind.values:
        raise refuse("Choose what kind of closure this is.", "kind")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise refuse("Times need a time zone.")
    if ends_at <= starts_at:
        raise refuse("The end comes before the start.", "ends_at")
    _check_scope(provider, location)
    exception = ScheduleException(
        kind=kind, starts_at=starts_at, ends_at=ends_at, provider=provider, location=location,
        note=note.strip(), created_by=actor_or_none(acting_user),
    )  # fmt: skip
    scope = "provider" if provider is not None else "location" if location else "practice"
    save_new(exception, acting_user, ["kind", "starts_at", "ends_at", "note"], scope=scope)
    return exception


@transaction.atomic
def delete_exception(exception: ScheduleException, *, acting_user: Any) -> None:
    audit_delete(exception, acting_user, kind=exception.kind)
    exception.delete()


def exception_zone(*, provider: Any = None, location: Any = None) -> str:
    """The zone an exception's days and times are typed in."""
    return zone_name(location=location, provider=provider)
