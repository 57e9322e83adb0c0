"""US federal holidays (5 U.S.C. 6103) as the office observes them, for the demo's calendar.

A holiday on a Saturday is observed on the Friday before, one on a Sunday on the Monday after,
as federal offices do; the demo practice closes on the observed day.
"""

from __future__ import annotations

import datetime as dt

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of the month; n = -1 for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def federal_holidays(year: int) -> dict[dt.date, str]:
    """Observed date -> name of each federal holiday of ``year``."""
    fixed = [
        (dt.date(year, 1, 1), "New Year's Day"),
        (dt.date(year, 6, 19), "Juneteenth"),
        (dt.date(year, 7, 4), "Independence Day"),
        (dt.date(year, 11, 11), "Veterans Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
    ]
    moving = [
        (_nth_weekday(year, 1, MONDAY, 3), "Martin Luther King Jr. Day"),
        (_nth_weekday(year, 2, MONDAY, 3), "Washington's Birthday"),
        (_nth_weekday(year, 5, MONDAY, -1), "Memorial Day"),
        (_nth_weekday(year, 9, MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, MONDAY, 2), "Columbus Day"),
        (_nth_weekday(year, 11, THURSDAY, 4), "Thanksgiving Day"),
    ]
    days = {_observed(day): name for day, name in fixed}
    days.update(moving)
    return days


def holidays_between(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Observed federal holidays in [start, end], in date order."""
    found: dict[dt.date, str] = {}
    for year in range(start.year - 1, end.year + 2):  # New Year's Day may be observed in Dec
        found.update(federal_holidays(year))
    return sorted((day, name) for day, name in found.items() if start <= day <= end)
