"""Times free for everyone invited (the staff-meeting finder): pure functions, no Django.

Each candidate is the first quarter hour of a stretch of the working day that nobody is busy in
and that is long enough. One candidate per stretch spreads the choices over the days
("Mon 08:00, Mon 13:15, Tue 08:00", ...) instead of listing the same morning in 15-minute steps.
"""

from __future__ import annotations

import datetime as dt

from medoffice.scheduling.rules.slots import Busy, Interval, to_instant

QUARTER = dt.timedelta(minutes=15)


def _round_up(at: dt.datetime, day_start: dt.datetime) -> dt.datetime:
    steps = -((day_start - at) // QUARTER)
    return day_start + steps * QUARTER


def common_free_times(
    busy: Busy,
    *,
    first: dt.date,
    last: dt.date,
    minutes: int,
    day_start: dt.time,
    day_end: dt.time,
    time_zone: str,
    limit: int,
    not_before: dt.datetime | None = None,
    weekdays_only: bool = True,
) -> list[Interval]:
    """Up to ``limit`` (start, end) meeting times between ``day_start`` and ``day_end`` local."""
    length = dt.timedelta(minutes=minutes)
    found: list[Interval] = []
    day = first
    while day <= last and len(found) < limit:
        if not (weekdays_only and day.weekday() >= 5):
            day_open = to_instant(day, day_start, time_zone)
            closes = to_instant(day, day_end, time_zone)
            opens = day_open
            if not_before is not None and opens < not_before:
                opens = min(closes, _round_up(not_before, day_open))
            for gap_start, gap_end in busy.gaps(opens, closes):
                start = _round_up(gap_start, day_open)
                if start + length <= gap_end:
                    found.append((start, start + length))
                    if len(found) == limit:
                        break
        day += dt.timedelta(days=1)
    return found
