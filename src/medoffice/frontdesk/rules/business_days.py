"""The next business day: skip weekends and days the office is closed all day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

MAX_LOOKAHEAD = 31


def next_business_day(after: dt.date, *, closed: Callable[[dt.date], bool]) -> dt.date:
    day = after + dt.timedelta(days=1)
    for _ in range(MAX_LOOKAHEAD):
        if day.weekday() < 5 and not closed(day):
            return day
        day += dt.timedelta(days=1)
    return day
