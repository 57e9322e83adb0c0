"""The calendar's geometry, without Django: time rows, lanes for overlaps, open slots, hints.

A column is a grid of 5-minute rows counted as *elapsed* time from the axis start, so a
daylight-saving day keeps every appointment at its true length, and the labels (wall-clock
times of those instants in the location's zone) show "1 AM" twice on the November day.
Everything here takes aware instants; arithmetic is done in UTC, because Python subtracts two
datetimes sharing one ZoneInfo as naive wall times.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

STEP = dt.timedelta(minutes=5)
STEP_SECONDS = int(STEP.total_seconds())
MARK_EVERY = 6  # rows between time labels: every 30 minutes
DEFAULT_HOURS = (dt.time(8), dt.time(17))  # shown when nobody works that day
OVERBOOK_RISK = Decimal("0.30")  # from this no-show risk on, a second booking is likely safe
EXPECTED = ("booked", "confirmed")  # statuses where the patient may still not come


def utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC)


def at_wall_clock(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant a clock in ``zone`` shows ``time`` on ``day`` (in a skipped hour: after it)."""
    return utc(dt.datetime.combine(day, time, tzinfo=zone))


def day_bounds(day: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to the next local midnight: 23, 24 or 25 hours."""
    return at_wall_clock(day, dt.time(), zone), at_wall_clock(
        day + dt.timedelta(days=1), dt.time(), zone
    )


def _floor_hour(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    local = at.astimezone(zone)
    return utc(local.replace(minute=0, second=0, microsecond=0))


def _ceil_hour(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    floored = _floor_hour(at, zone)
    return floored if floored == utc(at) else floored + dt.timedelta(hours=1)


@dataclass(frozen=True)
class Mark:
    """A time label on the axis."""

    row: int
    label: str
    hour: bool


@dataclass(frozen=True)
class Place:
    """Where an item sits in a column: first row (1-based) and how many rows it covers."""

    row: int
    span: int


@dataclass(frozen=True)
class Axis:
    """The rows of one column: ``start`` to ``end`` (UTC instants) in 5-minute steps."""

    start: dt.datetime
    end: dt.datetime
    zone: zoneinfo.ZoneInfo

    @property
    def rows(self) -> int:
        return int((self.end - self.start).total_seconds()) // STEP_SECONDS

    def place(self, start: dt.datetime, end: dt.datetime) -> Place | None:
        """The rows ``[start, end)`` covers, clipped to the axis; None when outside it."""
        first = max(utc(start), self.start)
        last = min(utc(end), self.end)
        if last <= first:
            return None
        top = int((first - self.start).total_seconds()) // STEP_SECONDS
        bottom = math.ceil((last - self.start).total_seconds() / STEP_SECONDS)
        return Place(top + 1, max(1, bottom - top))

    def marks(self) -> list[Mark]:
        """Labels every 30 minutes; where the clock changes offset, the zone's name is added."""
        marks = []
        previous: dt.timedelta | None = None
        for row in range(0, self.rows, MARK_EVERY):
            local = (self.start + row * STEP).astimezone(self.zone)
            offset = local.utcoffset()
            label = clock_label(local)
            if previous is not None and offset != previous:
                label = f"{label} {local.tzname()}"
            previous = offset
            marks.append(Mark(row + 1, label, local.minute == 0))
        return marks


def clock_label(local: dt.datetime) -> str:
    """ "8 AM" on the hour, "8:30" otherwise (the axis); see ``time_label`` for cards."""
    hour = local.hour % 12 or 12
    if local.minute == 0:
        return f"{hour} {'AM' if local.hour < 12 else 'PM'}"
    return f"{hour}:{local.minute:02d}"


def time_label(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "9:05 AM" at the location."""
    local = at.astimezone(zone)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def short_time(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "9:05" at the location (cards, where the axis gives the half of the day)."""
    local = at.astimezone(zone)
    return f"{local.hour % 12 or 12}:{local.minute:02d}"


def axis_for(
    day: dt.date,
    zone: zoneinfo.ZoneInfo,
    spans: Iterable[tuple[dt.datetime, dt.datetime]],
    *,
    hours: tuple[dt.time, dt.time] = DEFAULT_HOURS,
) -> Axis:
    """Whole hours around the default office hours and everything shown that day."""
    low, high = day_bounds(day, zone)
    first = at_wall_clock(day, hours[0], zone)
    last = at_wall_clock(day, hours[1], zone)
    for start, end in spans:
        if utc(end) > low and utc(start) < high:
            first = min(first, max(utc(start), low))
            last = max(last, min(utc(end), high))
    return Axis(max(_floor_hour(first, zone), low), min(_ceil_hour(last, zone), high), zone)


def common_axes(axes: Sequence[Axis], days: Sequence[dt.date]) -> list[Axis]:
    """One axis per day with the same wall-clock hours, covering every given axis (week view)."""
    zone = axes[0].zone
    minutes = [_minutes_of_day(axis.start, zone, day) for axis, day in zip(axes, days, strict=True)]
    ends = [_minutes_of_day(axis.end, zone, day) for axis, day in zip(axes, days, strict=True)]
    first, last = min(minutes), max(ends)
    result = []
    for day in days:
        low, high = day_bounds(day, zone)
        start = _wall(day, first, zone)
        end = high if last >= 24 * 60 else _wall(day, last, zone)
        result.append(Axis(max(start, low), min(end, high), zone))
    return result


def _minutes_of_day(at: dt.datetime, zone: zoneinfo.ZoneInfo, day: dt.date) -> int:
    local = at.astimezone(zone)
    if local.date() > day:
        return 24 * 60
    return local.hour * 60 + local.minute


def _wall(day: dt.date, minutes: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return at_wall_clock(day, dt.time(minutes // 60, minutes % 60), zone)


def lanes(intervals: Sequence[tuple[dt.datetime, dt.datetime]]) -> list[tuple[int, int]]:
    """(lane, lanes in its cluster) per interval: overlapping ones side by side, others full width.

    Greedy interval partitioning in start order: each interval takes the first lane free at its
    start; a cluster ends where nothing open overlaps the next start.
    """
    result = [(0, 1)] * len(intervals)
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1]))
    lane_ends: list[dt.datetime] = []
    cluster: list[int] = []
    cluster_end: dt.datetime | None = None

    def close() -> None:
        for index in cluster:
            result[index] = (result[index][0], len(lane_ends))

    for index in order:
        start, end = intervals[index]
        if cluster_end is not None and start >= cluster_end:
            close()
            lane_ends, cluster, cluster_end = [], [], None
        lane = next((n for n, free_at in enumerate(lane_ends) if free_at <= start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        result[index] = (lane, 0)
        cluster.append(index)
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close()
    return result


MAX_LANE_COLUMNS = 12


def lane_columns(placed: Sequence[tuple[int, int]]) -> tuple[int, list[tuple[int, int]]]:
    """Grid columns for a column's cards, and (first column, span) of each card.

    A card alone is full width; cards overlapping share it evenly, whatever the other clusters
    in the column: the grid has the least common multiple of the cluster sizes as columns.
    """
    sizes = {size for _, size in placed} or {1}
    columns = math.lcm(*sizes)
    if columns > MAX_LANE_COLUMNS:  # five or more side by side: equal narrow lanes
        columns = max(sizes)
        return columns, [(lane + 1, 1) for lane, _ in placed]
    return columns, [(lane * (columns // size) + 1, columns // size) for lane, size in placed]


def open_starts(
    window: tuple[dt.datetime, dt.datetime],
    slot_minutes: int,
    busy: Sequence[tuple[dt.datetime, dt.datetime]],
    *,
    not_before: dt.datetime | None = None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Slots of a session window on its own grid that nothing busy overlaps.

    ``not_before`` drops slots already started (the past cannot be booked from the calendar).
    """
    step = dt.timedelta(minutes=slot_minutes)
    start, end = utc(window[0]), utc(window[1])
    taken = sorted((utc(s), utc(e)) for s, e in busy)
    found = []
    at = start
    while at + step <= end:
        slot_end = at + step
        free = not any(s < slot_end and at < e for s, e in taken)
        if free and (not_before is None or at >= not_before):
            found.append((at, slot_end))
        at = slot_end
    return found


def risk_label(risk: Decimal | float | None) -> str:
    """ "risk 32%" for a stored no-show risk, "" when none was scored."""
    if risk is None:
        return ""
    percent = (Decimal(str(risk)) * 100).quantize(Decimal(1))
    return f"risk {percent}%"


def overbook_ok(
    risk: Decimal | float | None,
    *,
    status: str,
    overbook_limit: int,
    overbooks_used: int,
    threshold: Decimal = OVERBOOK_RISK,
) -> bool:
    """Suggest an overbook on top of this appointment?

    Only while the patient is still expected, when the risk reaches the threshold, and when the
    session allows another overbook that day. A suggestion: the booking service decides.
    """
    if risk is None or status not in EXPECTED:
        return False
    return Decimal(str(risk)) >= threshold and overbooks_used < overbook_limit
