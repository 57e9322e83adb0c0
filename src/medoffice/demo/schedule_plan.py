"""Planning a booked calendar: session occurrences cut into windows, then filled with visits.

Pure Python over ids (no database), shared by the demo and the scheduling benchmark, which
then write the planned rows in bulk. Appointments are placed only inside a session occurrence
that admits their type, on its slot grid, outside exceptions and blocks, never overlapping
another appointment of the provider that holds time, and with a free resource of every kind the
type needs, so the database's double-booking constraints never refuse a planned row.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from dateutil.rrule import rrulestr

from medoffice.scheduling.choices import AppointmentStatus

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class SessionRow:
    key: int  # the session's id once written (or its index)
    provider: int
    location: int
    time_zone: str
    rrule: str
    starts_on: dt.date
    ends_on: dt.date | None
    start: dt.time
    end: dt.time
    grid: int
    types: frozenset[int] = frozenset()  # reserved for these type ids; empty: any
    label: str = ""
    overbook_limit: int = 0


@dataclass(frozen=True)
class Closed:
    """Time nobody at that scope is booked: an exception (provider, location or all) or block."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    provider: int | None = None
    location: int | None = None

    def applies(self, provider: int, location: int) -> bool:
        return self.provider in (None, provider) and self.location in (None, location)


@dataclass(frozen=True)
class Window:
    """Bookable time of one session occurrence (the part of it that no closure covers)."""

    session: SessionRow
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    origin: dt.datetime  # the occurrence's start: slots start on its grid from here


@dataclass(frozen=True)
class TypeInfo:
    id: int
    code: str
    minutes: int
    own_minutes: dict[int, int] = field(default_factory=dict)  # provider id -> minutes
    needs: tuple[str, ...] = ()
    lead_days: tuple[float, float] = (1, 30)
    new_patient: bool = False

    def minutes_for(self, provider: int) -> int:
        return self.own_minutes.get(provider, self.minutes)


@dataclass(eq=False)
class Planned:
    patient: int
    provider: int
    location: int
    type: TypeInfo
    starts_at: dt.datetime
    ends_at: dt.datetime
    booked_at: dt.datetime | None = None
    status: str = AppointmentStatus.BOOKED
    overbook: bool = False
    resources: tuple[int, ...] = ()
    cancel_reason: str = ""
    cancelled_at: dt.datetime | None = None
    confirmed: bool = False
    series: int | None = None  # index into the plan's series
    reason: str = ""
    note: str = ""

    @property
    def holds_time(self) -> bool:
        return self.status not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


# ---- session occurrences -----------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _days(rrule: str, starts_on: dt.date, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    rule = rrulestr(rrule, dtstart=dt.datetime.combine(starts_on, dt.time()))
    found = rule.between(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time()), inc=True
    )
    return tuple(day.date() for day in found)


def occurrences(session: SessionRow, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The days in [first, last] on which the session recurs (RFC 5545, from ``starts_on``)."""
    first = max(first, session.starts_on)
    if session.ends_on is not None:
        last = min(last, session.ends_on)
    if first > last:
        return ()
    return _days(session.rrule, session.starts_on, first, last)


def subtract(pieces: list[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """``pieces`` minus ``holes``, each piece split where a hole falls inside it."""
    for hole_start, hole_end in holes:
        kept: list[Interval] = []
        for start, end in pieces:
            if hole_end <= start or end <= hole_start:
                kept.append((start, end))
                continue
            if start < hole_start:
                kept.append((start, hole_start))
            if hole_end < end:
                kept.append((hole_end, end))
        pieces = kept
    return pieces


def _by_day(closed: Iterable[Closed], time_zone: str) -> dict[dt.date, list[Closed]]:
    zone = zoneinfo.ZoneInfo(time_zone)
    index: dict[dt.date, list[Closed]] = defaultdict(list)
    for item in closed:
        day = item.starts_at.astimezone(zone).date()
        while dt.datetime.combine(day, dt.time(), tzinfo=zone) < item.ends_at:
            index[day].append(item)
            day += dt.timedelta(days=1)
    return index


def windows(
    sessions: Iterable[SessionRow], first: dt.date, last: dt.date, closed: Iterable[Closed]
) -> list[Window]:
    """Every session occurrence in [first, last] minus the closures, by provider and time."""
    sessions = list(sessions)
    zones = {s.time_zone for s in sessions}
    closed = list(closed)
    index = {zone: _by_day(closed, zone) for zone in zones}
    out: list[Window] = []
    for session in sessions:
        zone = zoneinfo.ZoneInfo(session.time_zone)
        for day in occurrences(session, first, last):
            origin = dt.datetime.combine(day, session.start, tzinfo=zone)
            end = dt.datetime.combine(day, session.end, tzinfo=zone)
            holes = [
                (c.starts_at, c.ends_at)
                for c in index[session.time_zone].get(day, ())
                if c.applies(session.provider, session.location)
            ]
            for start, stop in subtract([(origin, end)], holes):
                out.append(Window(session, day, start, stop, origin))
    out.sort(key=lambda w: (w.session.provider, w.start))
    return out


def on_grid(window: Window, at: dt.datetime) -> dt.datetime:
    """The first slot start at or after ``at`` on the window's grid."""
    step = dt.timedelta(minutes=window.session.grid)
    offset = (at - window.origin) % step
    return at if not offset else at + (step - offset)


# ---- what is taken -----------------------------------------------------------------------------


class Timeline:
    """Sorted, non-overlapping busy intervals of one calendar (a provider or a resource)."""

    def __init__(self) -> None:
        self.starts: list[dt.datetime] = []
        self.ends: list[dt.datetime] = []

    def free(self, start: dt.datetime, end: dt.datetime) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i == 0 or self.ends[i - 1] <= start

    def next_busy(self, at: dt.datetime) -> Interval | None:
        """The busy interval covering ``at`` or the first one after it."""
        i = bisect.bisect_right(self.starts, at)
        if i and self.ends[i - 1] > at:
            return self.starts[i - 1], self.ends[i - 1]
        return (self.starts[i], self.ends[i]) if i < len(self.starts) else None

    def add(self, start: dt.datetime, end: dt.datetime) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def remove(self, start: dt.datetime, end: dt.datetime) -> None:
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.starts) and self.starts[i] == start:
            if self.ends[i] == end:
                del self.starts[i], self.ends[i]
                return
            i += 1


class Resources:
    """Free rooms and equipment by location and kind; takes the first free one of each kind."""

    def __init__(self, by_location: dict[int, dict[str, list[int]]]) -> None:
        self.by_location = by_location
        self.busy: dict[int, Timeline] = defaultdict(Timeline)

    def take(
        self, location: int, kinds: tuple[str, ...], start: dt.datetime, end: dt.datetime
    ) -> tuple[int, ...] | None:
        chosen = []
        for kind in kinds:
            pool = self.by_location.get(location, {}).get(kind, [])
            free = next((r for r in pool if self.busy[r].free(start, end)), None)
            if free is None:
                return None
            chosen.append(free)
        for resource in chosen:
            self.busy[resource].add(start, end)
        return tuple(chosen)

    def release(self, resources: tuple[int, ...], start: dt.datetime, end: dt.datetime) -> None:
        for resource in resources:
            self.busy[resource].remove(start, end)


class Calendars:
    """Every provider's and resource's busy time while a plan is made."""

    def __init__(self, resources: dict[int, dict[str, list[int]]]) -> None:
        self.providers: dict[int, Timeline] = defaultdict(Timeline)
        self.resources = Resources(resources)

    def place(self, planned: Planned) -> bool:
        """Take the time (and resources) of ``planned``; False, taking nothing, if any is busy."""
        span = (planned.starts_at, planned.ends_at)
        if not planned.overbook and not self.providers[planned.provider].free(*span):
            return False
        taken = self.resources.take(planned.location, planned.type.needs, *span)
        if taken is None:
            return False
        planned.resources = taken
        if not planned.overbook:
            self.providers[planned.provider].add(*span)
        return True

    def release(self, planned: Planned) -> None:
        span = (planned.starts_at, planned.ends_at)
        self.resources.release(planned.resources, *span)
        if not planned.overbook:
            self.providers[planned.provider].remove(*span)


# ---- filling a window --------------------------------------------------------------------------

Mix = Sequence[tuple[TypeInfo, float]]
Book = Callable[[Planned], list[Planned]]  # decides what became of a placed visit
Patient = Callable[[TypeInfo, Planned], int | None]


@dataclass
class Filler:
    """Walks each window slot by slot: a visit where one is booked, a gap where none is."""

    rng: random.Random
    calendars: Calendars
    patient: Patient
    book: Book
    planned: list[Planned] = field(default_factory=list)

    def fill(
        self, window: Window, mix: Mix, fill: float, keep_free: Iterable[Interval] = ()
    ) -> None:
        """Fill ``window`` at about ``fill`` (share of slots booked), leaving ``keep_free``."""
        session = window.session
        admitted = [(t, w) for t, w in mix if not session.types or t.id in session.types]
        if not admitted:
            return
        kinds = [t for t, _ in admitted]
        cumulative = _cumulative([w for _, w in admitted])
        grid = dt.timedelta(minutes=session.grid)
        timeline = self.calendars.providers[session.provider]
        holes = list(keep_free)
        at = on_grid(window, window.start)
        while at + grid <= window.end:
            busy = timeline.next_busy(at)
            if busy is not None and busy[0] <= at:
                at = on_grid(window, busy[1])
                continue
            if self.rng.random() >= fill:
                at += grid
                continue
            kind = self.rng.choices(kinds, cum_weights=cumulative)[0]
            end = at + dt.timedelta(minutes=kind.minutes_for(session.provider))
            limit = min(window.end, busy[0]) if busy is not None else window.end
            if end > limit or any(s < end and at < e for s, e in holes):
                at += grid
                continue
            self._visit(window, kind, at, end)
            at = on_grid(window, end)

    def _visit(self, window: Window, kind: TypeInfo, start: dt.datetime, end: dt.datetime) -> None:
        session = window.session
        visit = Planned(0, session.provider, session.location, kind, start, end)
        patient = self.patient(kind, visit)
        if patient is None or not self.calendars.place(visit):
            return
        visit.patient = patient
        self.add(visit)

    def add(self, visit: Planned) -> None:
        """Decide what became of a placed visit: time it no longer holds is free again."""
        outcome = self.book(visit)
        if not any(item is visit for item in outcome) or not visit.holds_time:
            self.calendars.release(visit)
        for item in outcome:
            if item is not visit:
                if not self.calendars.place(item):
                    continue
                if not item.holds_time:
                    self.calendars.release(item)
            self.planned.append(item)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
