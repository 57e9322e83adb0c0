"""Recurrence rules of the set-up: checked, built, described and expanded (no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from medoffice.scheduling.setup_recurrence import (
    RecurrenceError,
    WeeklyHours,
    day_window,
    describe,
    first_clash,
    normalize_rrule,
    occurrence_days,
    weekly_parts,
    weekly_rrule,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("rrule:byday=fr;freq=weekly;interval=2", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO"),
        (" FREQ=DAILY ", "FREQ=DAILY"),
    ],
)
def test_rules_are_normalized(text, expected):
    assert normalize_rrule(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give a recurrence"),
        ("FREQ=WEEKLY;BYHOUR=9", "Not allowed in a rule here: BYHOUR"),
        ("FREQ=MINUTELY", "FREQ=MINUTELY is not allowed"),
        ("FREQ=HOURLY;BYDAY=MO", "FREQ=HOURLY is not allowed"),
        ("FREQ=WEEKLY;COUNT=3", "Use the end date instead of UNTIL or COUNT"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "Use the end date instead"),
        ("BYDAY=MO", "The rule needs FREQ"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be a whole number from 1 to 12"),
        ("FREQ=WEEKLY;INTERVAL=99", "INTERVAL must be a whole number from 1 to 12"),
        ("FREQ=WEEKLY;BYDAY=XX", "The rule could not be read"),
        ("FREQ=WEEKLY\nEXDATE:20260101", "Give one RRULE line only"),
        ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "Give one RRULE line only"),
        ("FREQ=WEEKLY;FREQ=DAILY", "FREQ is given twice"),
        ("FREQ=WEEKLY;;BYDAY=MO", "is not of the form NAME=VALUE"),
        ("FREQ=WEEKLY;X-NAME=1", "Not allowed in a rule here: X-NAME"),
    ],
)
def test_unknown_or_unsafe_rules_are_refused_with_a_reason(text, message):
    with pytest.raises(RecurrenceError, match=message.replace("(", r"\(")):
        normalize_rrule(text)


def test_the_weekday_builder_writes_the_rule_and_reads_it_back():
    rule = weekly_rrule([4, 0, 2], every_weeks=2)
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR"
    assert weekly_parts(rule) == ([0, 2, 4], 2)
    assert describe(rule) == "Mon, Wed, Fri, every 2 weeks"
    assert describe("FREQ=WEEKLY;BYDAY=TU") == "Tue"
    assert weekly_parts("FREQ=MONTHLY;BYDAY=1MO") is None
    assert describe("FREQ=MONTHLY;BYDAY=1MO") == "FREQ=MONTHLY;BYDAY=1MO"
    with pytest.raises(RecurrenceError, match="Choose at least one day"):
        weekly_rrule([])
    with pytest.raises(RecurrenceError, match="every 1 to 12 weeks"):
        weekly_rrule([0], every_weeks=13)


def test_occurrences_honour_the_interval_and_the_rules_own_dates():
    # given every other Monday from Monday Jan 5, 2026, until Feb 16
    days = occurrence_days(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", first_day=dt.date(2026, 1, 5),
        last_day=dt.date(2026, 2, 16), start=dt.date(2025, 12, 1), end=dt.date(2026, 12, 31),
    )  # fmt: skip
    assert days == [
        dt.date(2026, 1, 5), dt.date(2026, 1, 19), dt.date(2026, 2, 2), dt.date(2026, 2, 16)
    ]  # fmt: skip
    assert occurrence_days(
        "FREQ=DAILY", first_day=dt.date(2026, 3, 1), last_day=None,
        start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28),
    ) == []  # fmt: skip


def test_a_part_day_window_starts_at_the_local_hour_even_on_a_dst_day():
    # "closed for snow from 13:00" on the spring-forward Sunday
    start, end = day_window(dt.date(2026, 3, 8), None, dt.time(13), None, NEW_YORK)
    assert start == dt.datetime(2026, 3, 8, 17, tzinfo=dt.UTC)  # 13:00 EDT
    assert end == dt.datetime(2026, 3, 9, 4, tzinfo=dt.UTC)  # midnight EDT
    # a range of whole days
    start, end = day_window(dt.date(2026, 12, 24), dt.date(2026, 12, 26), None, None, NEW_YORK)
    assert (start.astimezone(NEW_YORK).hour, end - start) == (0, dt.timedelta(days=3))
    with pytest.raises(RecurrenceError, match="The end comes before the start"):
        day_window(dt.date(2026, 1, 5), None, dt.time(13), dt.time(12), NEW_YORK)
    with pytest.raises(RecurrenceError, match="The last day comes before the first day"):
        day_window(dt.date(2026, 1, 5), dt.date(2026, 1, 4), None, None, NEW_YORK)


def _hours(rule: str, start: int, end: int, zone: str = "America/New_York", **dates) -> WeeklyHours:
    return WeeklyHours(
        rule=rule, first_day=dates.get("first", dt.date(2026, 1, 5)),
        last_day=dates.get("last"), start_time=dt.time(start), end_time=dt.time(end),
        time_zone=zone,
    )  # fmt: skip


def test_sessions_clash_only_when_they_share_a_day_and_a_time():
    monday_morning = _hours("FREQ=WEEKLY;BYDAY=MO", 8, 12)
    assert first_clash(monday_morning, _hours("FREQ=WEEKLY;BYDAY=TU", 8, 12)) is None
    assert first_clash(monday_morning, _hours("FREQ=WEEKLY;BYDAY=MO", 12, 17)) is None
    clash = first_clash(monday_morning, _hours("FREQ=WEEKLY;BYDAY=MO,WE", 11, 13))
    assert clash == dt.datetime(2026, 1, 5, 8, tzinfo=NEW_YORK)


def test_alternate_weeks_do_not_clash_but_a_third_week_rhythm_eventually_does():
    week_a = _hours("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", 8, 12, first=dt.date(2026, 1, 5))
    week_b = _hours("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", 8, 12, first=dt.date(2026, 1, 12))
    assert first_clash(week_a, week_b) is None
    every_third = _hours("FREQ=WEEKLY;INTERVAL=3;BYDAY=FR", 9, 10, first=dt.date(2026, 1, 12))
    assert first_clash(week_a, every_third) == dt.datetime(2026, 2, 6, 8, tzinfo=NEW_YORK)


def test_sessions_that_end_before_the_other_starts_never_clash():
    early = _hours("FREQ=DAILY", 8, 12, last=dt.date(2026, 1, 31))
    late = _hours("FREQ=DAILY", 8, 12, first=dt.date(2026, 2, 1))
    assert first_clash(early, late) is None


def test_sessions_in_two_time_zones_are_compared_as_instants():
    # 08:00-12:00 in Chicago is 09:00-13:00 in New York
    chicago = _hours("FREQ=WEEKLY;BYDAY=MO", 8, 12, zone="America/Chicago")
    assert first_clash(chicago, _hours("FREQ=WEEKLY;BYDAY=MO", 13, 17)) is None
    assert first_clash(chicago, _hours("FREQ=WEEKLY;BYDAY=MO", 12, 17)) is not None
