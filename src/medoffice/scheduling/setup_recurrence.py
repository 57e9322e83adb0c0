"""Recurrence rules of the schedule set-up: read, check, build and expand them (no database).

Sessions and repeated blocks recur by an RFC 5545 RRULE on wall-clock days. Only the parts a
working week needs are accepted: a rule that repeats every minute, sets its own hours or ends
itself (UNTIL/COUNT, which would disagree with the session's end date) is refused with a
message saying why, before dateutil ever expands it.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY")
ALLOWED_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST")
PART_ORDER = {name: n for n, name in enumerate(ALLOWED_PARTS)}
MAX_INTERVAL = 12
MAX_LENGTH = 200
# How far two sessions are compared: long enough for every weekly pattern to repeat and for a
# full daylight-saving cycle (sessions at locations in different zones), capped for odd rules.
MIN_HORIZON_DAYS = 371
MAX_HORIZON_DAYS = 3 * 366


class RecurrenceError(ValueError):
    """The rule cannot be used; the message says why in plain words."""


def _parts(text: str) -> list[tuple[str, str]]:
    rule = text.strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise RecurrenceError("Give a recurrence, e.g. FREQ=WEEKLY;BYDAY=MO,WE.")
    if len(rule) > MAX_LENGTH or any(ch in rule for ch in ":\r\n"):
        raise RecurrenceError("Give one RRULE line only (no DTSTART, EXDATE or other lines).")
    parts = []
    for piece in rule.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise RecurrenceError(f"{piece or 'An empty part'} is not of the form NAME=VALUE.")
        parts.append((name.strip(), value.strip()))
    return parts


def _check_parts(parts: Sequence[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in parts:
        if name in found:
            raise RecurrenceError(f"{name} is given twice.")
        found[name] = value
    if "UNTIL" in found or "COUNT" in found:
        raise RecurrenceError("Use the end date instead of UNTIL or COUNT in the rule.")
    unknown = sorted(set(found) - set(ALLOWED_PARTS))
    if unknown:
        allowed = ", ".join(ALLOWED_PARTS)
        raise RecurrenceError(f"Not allowed in a rule here: {', '.join(unknown)} (use {allowed}).")
    freq = found.get("FREQ")
    if freq is None:
        raise RecurrenceError("The rule needs FREQ (DAILY, WEEKLY or MONTHLY).")
    if freq not in ALLOWED_FREQ:
        raise RecurrenceError(f"FREQ={freq} is not allowed: repeat daily, weekly or monthly.")
    interval = found.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL:
        raise RecurrenceError(f"INTERVAL must be a whole number from 1 to {MAX_INTERVAL}.")
    return found


@lru_cache(maxsize=512)
def normalize_rrule(text: str) -> str:
    """The rule in canonical form (upper case, fixed part order, no INTERVAL=1), or raise."""
    found = _check_parts(_parts(text))
    if found.get("INTERVAL") == "1":
        del found["INTERVAL"]
    rule = ";".join(f"{name}={found[name]}" for name in sorted(found, key=PART_ORDER.__getitem__))
    try:
        rrulestr(rule, dtstart=dt.datetime(2026, 1, 1))  # noqa: DTZ001 (wall-clock days)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"The rule could not be read: {exc}.") from exc
    return rule


def weekly_rrule(weekdays: Iterable[int], every_weeks: int = 1) -> str:
    """The rule for "these weekdays (0=Monday), every N weeks"."""
    days = sorted(set(weekdays))
    if not days:
        raise RecurrenceError("Choose at least one day of the week.")
    if any(not 0 <= day <= 6 for day in days):
        raise RecurrenceError("Days of the week go from Monday (0) to Sunday (6).")
    if not 1 <= every_weeks <= MAX_INTERVAL:
        raise RecurrenceError(f"Repeat every 1 to {MAX_INTERVAL} weeks.")
    interval = f";INTERVAL={every_weeks}" if every_weeks > 1 else ""
    return f"FREQ=WEEKLY{interval};BYDAY={','.join(WEEKDAY_CODES[d] for d in days)}"


def weekly_parts(text: str) -> tuple[list[int], int] | None:
    """(weekdays, every N weeks) when the rule is a plain weekly one, else None."""
    try:
        found = _check_parts(_parts(text))
    except RecurrenceError:
        return None
    if found["FREQ"] != "WEEKLY" or set(found) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return None
    codes = found.get("BYDAY", "").split(",")
    if not all(code in WEEKDAY_CODES for code in codes):
        return None
    return sorted(WEEKDAY_CODES.index(code) for code in codes), int(found.get("INTERVAL", "1"))


def describe(text: str) -> str:
    """The rule in words for set-up pages ("Mon, Wed, every 2 weeks"), or the rule itself."""
    weekly = weekly_parts(text)
    if weekly is None:
        return text
    days, every = weekly
    names = ", ".join(WEEKDAY_NAMES[d][:3] for d in days)
    return names if every == 1 else f"{names}, every {every} weeks"


def _expander(rule: str, first_day: dt.date) -> rrule:
    start = dt.datetime.combine(first_day, dt.time())
    expanded = rrulestr(normalize_rrule(rule), dtstart=start)
    assert isinstance(expanded, rrule)  # one RRULE line gives an rrule, never a set
    return expanded


def occurrence_days(
    rule: str, *, first_day: dt.date, last_day: dt.date | None, start: dt.date, end: dt.date
) -> list[dt.date]:
    """Days the rule falls on between ``start`` and ``end`` (inclusive) within its own dates."""
    start = max(start, first_day)
    if last_day is not None:
        end = min(end, last_day)
    if end < start:
        return []
    after = dt.datetime.combine(start, dt.time())
    before = dt.datetime.combine(end, dt.time())
    return [moment.date() for moment in _expander(rule, first_day).between(after, before, True)]


def at_wall_clock(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant a wall clock in ``zone`` shows ``time`` on ``day`` (a skipped hour moves on)."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    return local.astimezone(dt.UTC).astimezone(zone)


def day_window(
    first_day: dt.date,
    last_day: dt.date | None,
    from_time: dt.time | None,
    until_time: dt.time | None,
    zone: zoneinfo.ZoneInfo,
) -> tuple[dt.datetime, dt.datetime]:
    """Instants from ``from_time`` on the first day to ``until_time`` on the last day.

    Missing times mean the whole day: "closed for snow from 13:00" is (day, None, 13:00, None).
    """
    last_day = last_day or first_day
    if last_day < first_day:
        raise RecurrenceError("The last day comes before the first day.")
    starts_at = at_wall_clock(first_day, from_time or dt.time(), zone)
    if until_time is None:
        ends_at = at_wall_clock(last_day + dt.timedelta(days=1), dt.time(), zone)
    else:
        ends_at = at_wall_clock(last_day, until_time, zone)
    if ends_at <= starts_at:
        raise RecurrenceError("The end comes before the start.")
    return starts_at, ends_at


@dataclass(frozen=True)
class WeeklyHours:
    """A recurring stretch of wall-clock time at one place (a session, for overlap checks)."""

    rule: str
    first_day: dt.date
    last_day: dt.date | None
    start_time: dt.time
    end_time: dt.time
    time_zone: str

    def period_days(self) -> int | None:
        """Days after which the pattern repeats exactly, for simple daily/weekly rules."""
        found = _check_parts(_parts(self.rule))
        if set(found) - {"FREQ", "INTERVAL", "BYDAY", "WKST"} or found["FREQ"] == "MONTHLY":
            return None
        step = 7 if found["FREQ"] == "WEEKLY" else 1
        return step * int(found.get("INTERVAL", "1"))

    def windows(self, start: dt.date, end: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        zone = zoneinfo.ZoneInfo(self.time_zone)
        days = occurrence_days(
            self.rule, first_day=self.first_day, last_day=self.last_day, start=start, end=end
        )
        return [
            (at_wall_clock(day, self.start_time, zone), at_wall_clock(day, self.end_time, zone))
            for day in days
        ]


def _horizon_days(a: WeeklyHours, b: WeeklyHours) -> int:
    first, second = a.period_days(), b.period_days()
    if first is None or second is None:
        return MAX_HORIZON_DAYS
    return min(MAX_HORIZON_DAYS, max(MIN_HORIZON_DAYS, math.lcm(first, second) + 7))


def first_clash(a: WeeklyHours, b: WeeklyHours) -> dt.datetime | None:
    """The start of the first occurrence of ``a`` overlapping one of ``b``, or None.

    Both are expanded over the dates they share (up to the horizon) and swept in order.
    """
    start = max(a.first_day, b.first_day)
    ends = [day for day in (a.last_day, b.last_day) if day is not None]
    end = start + dt.timedelta(days=_horizon_days(a, b))
    if ends:
        end = min(end, *ends)
    if end < start:
        return None
    ours, theirs = a.windows(start, end), b.windows(start, end)
    i = j = 0
    while i < len(ours) and j < len(theirs):
        if ours[i][0] < theirs[j][1] and theirs[j][0] < ours[i][1]:
            return ours[i][0]
        if ours[i][1] <= theirs[j][1]:
            i += 1
        else:
            j += 1
    return None
