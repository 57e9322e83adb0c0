"""Open slots, the first available across providers, and why a time cannot be booked.

The database is read here, a fixed handful of queries per search (``availability_data``); the
arithmetic is pure and lives in ``rules/slots.py``. Days, weekdays and times of day are the
location's own; instants are aware. Slots that start before now are never offered.

First-available stops early: it searches a short stretch of days for every eligible provider
(2 days, then 4, 8, ...) and returns once ``limit`` slots are found, so a search over 90 days
with room this week reads this week's data, not the whole quarter's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from medoffice.scheduling import availability_data as data
from medoffice.scheduling import queries
from medoffice.scheduling.availability_problems import booking_problem, slot_is_open
from medoffice.scheduling.availability_times import (
    blocked_resource_ids,
    common_free_times,
    on_call_at,
)
from medoffice.scheduling.models import AppointmentType
from medoffice.scheduling.rules import slots as rules

__all__ = [
    "SessionWindow",
    "Slot",
    "blocked_resource_ids",
    "booking_problem",
    "common_free_times",
    "first_available",
    "on_call_at",
    "open_slots",
    "session_at",
    "slot_is_open",
]

FIRST_SPAN_DAYS = 2  # first stretch a limited search reads; doubled until enough is found
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    provider_id: int
    location_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    session_label: str = ""


@dataclass(frozen=True)
class SessionWindow:
    """One occurrence of a session: what the overbook check and the booking form need."""

    session: rules.Session
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def overbook_limit(self) -> int:
        return self.session.overbook_limit

    @property
    def label(self) -> str:
        return self.session.label

    def window_on(self, at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """The (start, end) instants of this session's occurrence on the local day of ``at``."""
        session = self.session
        day = at.astimezone(rules.zone(session.time_zone)).date()
        return (
            rules.to_instant(day, session.start_time, session.time_zone),
            rules.to_instant(day, session.end_time, session.time_zone),
        )


def _filters(
    weekdays: Iterable[int] | None, earliest: dt.time | None, latest: dt.time | None
) -> rules.Filters:
    return rules.Filters(frozenset(weekdays) if weekdays else None, earliest, latest)


def _ids(items: Iterable[Any] | None) -> list[int] | None:
    if items is None:
        return None
    return [int(getattr(item, "pk", item)) for item in items]


@dataclass(frozen=True)
class _Search:
    """One search: the sessions admitting the type, its lengths and needs, the filters."""

    sessions: list[rules.Session]
    minutes: dict[int, int]  # provider id -> length
    default_minutes: int
    kinds: list[str]
    filters: rules.Filters
    not_before: dt.datetime

    def between(self, first: dt.date, last: dt.date) -> list[Slot]:
        """Every open slot on the local days [first, last]."""
        windows = [
            w
            for w in rules.windows(self.sessions, first, last)
            if w.ends_at > self.not_before and self.filters.day_ok(w.day)
        ]
        if not windows:
            return []
        lo = min(w.starts_at for w in windows)
        hi = max(w.ends_at for w in windows)
        busy = data.load_busy(sorted({w.session.provider_id for w in windows}), lo, hi)
        resources = data.load_resources(
            self.kinds, {w.session.location_id for w in windows}, lo, hi
        )
        found: dict[tuple[int, dt.datetime], Slot] = {}
        for w in windows:
            session = w.session
            minutes = self.minutes.get(session.provider_id, self.default_minutes)
            needs = resources.get(session.location_id, []) if self.kinds else []
            own = busy.at(session.provider_id, session.location_id)
            for start, end in rules.window_slots(w, minutes, own, needs, self.filters):
                key = (session.provider_id, start)
                if start >= self.not_before and key not in found:
                    found[key] = Slot(
                        session.provider_id, session.location_id, start, end, session.label
                    )
        return list(found.values())

    def run(self, start: dt.date, end: dt.date, limit: int | None) -> list[Slot]:
        """Search stretch by stretch, stopping as soon as ``limit`` slots are found."""
        start = max(start, (self.not_before - ONE_DAY).date())
        span = FIRST_SPAN_DAYS if limit else (end - start).days + 1
        found: list[Slot] = []
        day = start
        while day <= end:
            last = min(end, day + dt.timedelta(days=span - 1))
            found.extend(self.between(day, last))
            if limit is not None and len(found) >= limit:
                break
            day, span = last + ONE_DAY, span * 2
        found.sort(key=lambda s: (s.starts_at, s.provider_id, s.location_id))
        return found[:limit] if limit is not None else found


def _search(
    appointment_type: AppointmentType,
    sessions: list[rules.Session],
    minutes: dict[int, int],
    filters: rules.Filters,
) -> _Search:
    return _Search(
        sessions=[s for s in sessions if s.admits(appointment_type.pk)],
        minutes=minutes,
        default_minutes=appointment_type.default_minutes,
        kinds=queries.resource_kinds_needed(appointment_type),
        filters=filters,
        not_before=data.now(),
    )


def open_slots(
    *,
    provider: Any,
    appointment_type: AppointmentType,
    start: dt.date,
    end: dt.date,
    location: Any = None,
    weekdays: Iterable[int] | None = None,
    earliest: dt.time | None = None,
    latest: dt.time | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """One provider's open slots for the type on the local days [start, end], earliest first."""
    if end < start:
        return []
    sessions = data.load_sessions(
        first=start,
        last=end,
        provider_ids=[provider.pk],
        location_id=getattr(location, "pk", None),
        appointment_type=appointment_type,
    )
    if not sessions:
        return []
    minutes = {provider.pk: queries.duration_minutes(appointment_type, provider)}
    search = _search(appointment_type, sessions, minutes, _filters(weekdays, earliest, latest))
    return search.run(start, end, limit)


def first_available(
    *,
    appointment_type: AppointmentType,
    providers: Iterable[Any] | None = None,
    location: Any = None,
    start: dt.date,
    end: dt.date,
    weekdays: Iterable[int] | None = None,
    earliest: dt.time | None = None,
    latest: dt.time | None = None,
    limit: int = 10,
) -> list[Slot]:
    """The first ``limit`` open slots across every eligible provider (who sees the type and
    works at the location), by time; ``providers`` narrows the choice."""
    if end < start:
        return []
    sessions = data.load_sessions(
        first=start,
        last=end,
        provider_ids=_ids(providers),
        location_id=getattr(location, "pk", None),
        appointment_type=appointment_type,
    )
    if not sessions:
        return []
    minutes = data.durations(appointment_type)
    search = _search(appointment_type, sessions, minutes, _filters(weekdays, earliest, latest))
    return search.run(start, end, max(1, limit))


def session_at(*, provider: Any, location: Any, at: dt.datetime) -> SessionWindow | None:
    """The provider's session occurrence at the location that contains the instant ``at``."""
    day = at.astimezone(rules.zone(location.time_zone)).date()
    sessions = data.load_sessions(
        first=day, last=day, provider_ids=[provider.pk], location_id=location.pk
    )
    window = rules.window_at(rules.windows(sessions, day, day), at)
    if window is None:
        return None
    return SessionWindow(window.session, window.starts_at, window.ends_at)
