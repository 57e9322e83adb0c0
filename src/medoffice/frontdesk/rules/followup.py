"""Where "return in N days / weeks / months" lands.

Months are calendar months from the visit day, clamped to the month's last day (seen on January
31, "return in 1 month" is February 28, or 29 in a leap year). The follow-up is booked in the
week (Monday to Sunday) holding that day: the provider asked for "about three months", not for
one exact date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

UNITS = ("days", "weeks", "months")
MAX_INTERVAL = 366


@dataclass(frozen=True)
class Landing:
    target: dt.date
    week_starts: dt.date  # Monday
    week_ends: dt.date  # Sunday


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def target_date(visit_day: dt.date, interval: int, unit: str) -> dt.date:
    if not 1 <= interval <= MAX_INTERVAL:
        raise ValueError(f"Give 1 to {MAX_INTERVAL}.")
    if unit == "days":
        return visit_day + dt.timedelta(days=interval)
    if unit == "weeks":
        return visit_day + dt.timedelta(weeks=interval)
    if unit == "months":
        return add_months(visit_day, interval)
    raise ValueError(f"Unknown unit {unit!r}; use days, weeks or months.")


def landing(visit_day: dt.date, interval: int, unit: str) -> Landing:
    target = target_date(visit_day, interval, unit)
    monday = target - dt.timedelta(days=target.weekday())
    return Landing(target, monday, monday + dt.timedelta(days=6))
