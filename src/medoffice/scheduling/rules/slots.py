"""Open slots from recurring sessions: pure functions, no Django.

A session is wall-clock time at a location ("Mondays 08:00-12:00 in America/New_York"). Each
occurrence becomes aware instants per day, so 08:00 stays 08:00 on both sides of a
daylight-saving change; everything after that runs on real (UTC) minutes, so a session spanning
the 02:00 change holds the minutes that really pass, and its grid steps over the missing hour.

A slot is open when it lies inside a session occurrence, on the session's grid (counted from
the occurrence's start), is long enough for the appointment, overlaps no busy interval of the
provider (appointments, blocks, exceptions), and finds for every resource kind it needs at least
one resource of that kind free for its whole length.
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from medoffice.scheduling.rules.recurrence import occurrence_days

Interval = tuple[dt.datetime, dt.datetime]
UTC = dt.UTC


@lru_cache(maxsize=256)
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def to_instant(day: dt.date, wall: dt.time, time_zone: str) -> dt.datetime:
    """The UTC instant of a wall-clock time on a day in a zone.

    A time the clocks skip (02:30 on the spring-forward day) is read with the offset before the
    change, i.e. it lands an hour later in real time; a repeated time (01:30 in November) is the
    first of the two (PEP 495 ``fold=0``).
    """
    return dt.datetime.combine(day, wall, tzinfo=zone(time_zone)).astimezone(UTC)


@dataclass(frozen=True)
class Session:
    """One recurring session as the rules need it (times are the location's wall clock)."""

    id: int
    provider_id: int
    location_id: int
    time_zone: str
    rrule: str
    starts_on: dt.date
    ends_on: dt.date | None
    start_time: dt.time
    end_time: dt.time
    slot_minutes: int = 15
    label: str = ""
    type_ids: frozenset[int] = frozenset()  # reserved for these types; empty admits any
    overbook_limit: int = 0

    def admits(self, type_id: int) -> bool:
        return not self.type_ids or type_id in self.type_ids


@dataclass(frozen=True)
class Window:
    """One occurrence of a session: its local day and its aware UTC bounds."""

    session: Session
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class Filters:
    """What the caller wants: weekdays (0 = Monday) and a time of day, in local time.

    ``earliest`` is the earliest start; ``latest`` is exclusive: a slot starts before it
    ("morning" = before 12:00, "afternoon" = from 12:00).
    """

    weekdays: frozenset[int] | None = None
    earliest: dt.time | None = None
    latest: dt.time | None = None

    def day_ok(self, day: dt.date) -> bool:
        return not self.weekdays or day.weekday() in self.weekdays

    def time_ok(self, local: dt.time) -> bool:
        if self.earliest is not None and local < self.earliest:
            return False
        return self.latest is None or local < self.latest


NO_FILTERS = Filters()


def windows(sessions: Iterable[Session], first: dt.date, last: dt.date) -> list[Window]:
    """Every occurrence in [first, last] (local days) of the sessions, by start."""
    found = []
    for session in sessions:
        for day in occurrence_days(session.rrule, session.starts_on, session.ends_on, first, last):
            starts_at = to_instant(day, session.start_time, session.time_zone)
            ends_at = to_instant(day, session.end_time, session.time_zone)
            if starts_at < ends_at:
                found.append(Window(session, day, starts_at, ends_at))
    found.sort(key=lambda w: (w.starts_at, w.session.provider_id, w.session.id))
    return found


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time (touching ones joined)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class Busy:
    """Merged busy intervals with a fast "is [start, end) free?" and "free gaps" lookup."""

    __slots__ = ("ends", "intervals")

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self.intervals = merge(intervals)
        self.ends = [end for _, end in self.intervals]

    def is_free(self, start: dt.datetime, end: dt.datetime) -> bool:
        at = bisect.bisect_right(self.ends, start)
        return at == len(self.intervals) or self.intervals[at][0] >= end

    def gaps(self, start: dt.datetime, end: dt.datetime) -> Iterator[Interval]:
        """The free stretches of [start, end)."""
        at = bisect.bisect_right(self.ends, start)
        cursor = start
        while cursor < end and at < len(self.intervals):
            busy_start, busy_end = self.intervals[at]
            if busy_start >= end:
                break
            if busy_start > cursor:
                yield cursor, busy_start
            cursor = max(cursor, busy_end)
            at += 1
        if cursor < end:
            yield cursor, end


# For each resource kind an appointment needs: the busy times of every resource of that kind.
ResourceNeeds = Sequence[Sequence[Busy]]


def resources_free(needs: ResourceNeeds, start: dt.datetime, end: dt.datetime) -> bool:
    """True when every needed kind has at least one resource free for all of [start, end)."""
    return all(any(busy.is_free(start, end) for busy in kind) for kind in needs)


def window_slots(
    window: Window,
    minutes: int,
    busy: Busy,
    needs: ResourceNeeds = (),
    filters: Filters = NO_FILTERS,
) -> Iterator[Interval]:
    """Open slots of ``minutes`` in one session occurrence, on its grid, earliest first."""
    if not filters.day_ok(window.day):
        return
    length = dt.timedelta(minutes=minutes)
    grid = dt.timedelta(minutes=window.session.slot_minutes)
    local_zone = zone(window.session.time_zone)
    by_time = filters.earliest is not None or filters.latest is not None
    for gap_start, gap_end in busy.gaps(window.starts_at, window.ends_at):
        steps = -((window.starts_at - gap_start) // grid)  # ceil: first grid point in the gap
        start = window.starts_at + steps * grid
        while start + length <= gap_end:
            end = start + length
            if by_time and not filters.time_ok(start.astimezone(local_zone).time()):
                start += grid
                continue
            if resources_free(needs, start, end):
                yield start, end
            start += grid


def window_at(windows_of_day: Sequence[Window], at: dt.datetime) -> Window | None:
    """The occurrence containing the instant ``at`` (start inclusive, end exclusive)."""
    for window in windows_of_day:
        if window.starts_at <= at < window.ends_at:
            return window
    return None


def covering_window(
    windows_of_day: Sequence[Window], start: dt.datetime, end: dt.datetime
) -> Window | None:
    """The occurrence holding all of [start, end), if any."""
    for window in windows_of_day:
        if window.starts_at <= start and end <= window.ends_at:
            return window
    return None


def first_overlap(intervals: Sequence[Interval], start: dt.datetime, end: dt.datetime) -> int:
    """Index of the first interval overlapping [start, end), or -1."""
    for n, (other_start, other_end) in enumerate(intervals):
        if other_start < end and start < other_end:
            return n
    return -1
