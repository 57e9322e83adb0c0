"""Minutes waited, the board's colour for a wait, and the report's averages and percentiles."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

OK, WARNING, ALERT = "ok", "warning", "alert"


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from ``start`` to ``end`` (never negative)."""
    return max(0, int((end - start).total_seconds() // 60))


def minutes_late(starts_at: dt.datetime, arrived_at: dt.datetime) -> int:
    return minutes_between(starts_at, arrived_at)


def wait_level(minutes: int, *, warning: int, alert: int) -> str:
    if minutes > alert:
        return ALERT
    if minutes > warning:
        return WARNING
    return OK


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def average(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
