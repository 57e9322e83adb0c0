"""Occurrence days of a recurring session or series: pure functions, no Django.

A session recurs by an RFC 5545 RRULE over *days*; its wall-clock hours are added per day (see
``slots.to_instant``), so the rule is expanded on naive midnights and daylight saving can never
shift a session. Expansion is on the hot path of every slot search, so parsed rules are cached,
and a DAILY or WEEKLY rule without COUNT is expanded from the last whole period before the range
instead of from the session's first day (often a year back): same phase, a fraction of the work.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from dateutil.rrule import rrulestr

_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7}
_MIDNIGHT = dt.time(0)


def rule_parts(text: str) -> dict[str, str]:
    """``{"FREQ": "WEEKLY", "INTERVAL": "8", ...}`` of one RRULE line (upper-cased)."""
    rule = text.strip().upper().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        name, _, value = piece.partition("=")
        if name:
            parts[name.strip()] = value.strip()
    return parts


@lru_cache(maxsize=4096)
def _rule(text: str, dtstart: dt.datetime) -> Any | None:
    """The parsed rule, or None when dateutil cannot read it."""
    try:
        return rrulestr(text, dtstart=dtstart, ignoretz=True)
    except (ValueError, TypeError):
        return None


def _anchor(parts: dict[str, str], starts_on: dt.date, first: dt.date) -> dt.date:
    """The latest day on or before ``first`` that starts the same phase as ``starts_on``."""
    period = _PERIOD_DAYS.get(parts.get("FREQ", ""))
    if period is None or "COUNT" in parts or first <= starts_on:
        return starts_on
    try:
        interval = max(1, int(parts.get("INTERVAL", "1")))
    except ValueError:
        return starts_on
    step = period * interval
    return starts_on + dt.timedelta(days=(first - starts_on).days // step * step)


def occurrence_days(
    text: str, starts_on: dt.date, ends_on: dt.date | None, first: dt.date, last: dt.date
) -> list[dt.date]:
    """Days in [first, last] on which a rule starting ``starts_on`` (ending ``ends_on``) falls.

    A rule dateutil cannot read yields no days: the set-up pages refuse such rules, and one bad
    row must not take every calendar down with it.
    """
    first = max(first, starts_on)
    if ends_on is not None:
        last = min(last, ends_on)
    if first > last:
        return []
    anchor = _anchor(rule_parts(text), starts_on, first)
    rule = _rule(text, dt.datetime.combine(anchor, _MIDNIGHT))
    if rule is None:
        return []
    found = rule.between(
        dt.datetime.combine(first, _MIDNIGHT), dt.datetime.combine(last, _MIDNIGHT), inc=True
    )
    return [moment.date() for moment in found]


def next_days(text: str, starts_on: dt.date, *, until: dt.date, count: int | None) -> list[dt.date]:
    """Days of a rule from ``starts_on`` (counted as the first) up to ``until``, at most ``count``.

    For booking series: RFC 5545 counts DTSTART as the first occurrence even when the rule
    would not produce it, so the first day is always kept.
    """
    days = occurrence_days(text, starts_on, None, starts_on, until)
    if not days or days[0] != starts_on:
        days.insert(0, starts_on)
    return days[:count] if count is not None else days
