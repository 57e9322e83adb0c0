"""Pure rules: where a follow-up lands (month ends, leap years), waits, business days."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.frontdesk.rules import business_days, followup, waits

D = dt.date


@pytest.mark.parametrize(
    ("visit", "interval", "unit", "target"),
    [
        (D(2026, 12, 3), 3, "months", D(2027, 3, 3)),
        (D(2027, 1, 31), 1, "months", D(2027, 2, 28)),  # clamped to the month's end
        (D(2028, 1, 31), 1, "months", D(2028, 2, 29)),  # leap year
        (D(2026, 8, 31), 3, "months", D(2026, 11, 30)),
        (D(2026, 11, 30), 3, "months", D(2027, 2, 28)),
        (D(2026, 12, 31), 12, "months", D(2027, 12, 31)),
        (D(2026, 10, 15), 14, "months", D(2027, 12, 15)),  # across a year end
        (D(2026, 12, 28), 2, "weeks", D(2027, 1, 11)),
        (D(2026, 12, 30), 5, "days", D(2027, 1, 4)),
    ],
)
def test_follow_up_target_dates(visit, interval, unit, target):
    assert followup.target_date(visit, interval, unit) == target


def test_the_follow_up_lands_on_the_monday_to_sunday_week_of_its_target():
    # Seen Thursday 12/3/2026, "return in 3 months": Wednesday 3/3/2027, week of Monday 3/1
    landing = followup.landing(D(2026, 12, 3), 3, "months")
    assert landing == followup.Landing(D(2027, 3, 3), D(2027, 3, 1), D(2027, 3, 7))
    # a target on a Sunday belongs to the week that started the Monday before
    sunday = followup.landing(D(2027, 1, 24), 1, "weeks")
    assert (sunday.target, sunday.week_starts) == (D(2027, 1, 31), D(2027, 1, 25))


@pytest.mark.parametrize(("interval", "unit"), [(0, "weeks"), (367, "days"), (2, "years")])
def test_impossible_intervals_are_refused(interval, unit):
    with pytest.raises(ValueError, match=r"Give 1 to 366|Unknown unit"):
        followup.target_date(D(2026, 12, 3), interval, unit)


def test_wait_levels_change_only_after_the_thresholds():
    assert [waits.wait_level(m, warning=20, alert=35) for m in (0, 20, 21, 35, 36)] == [
        "ok", "ok", "warning", "warning", "alert",
    ]  # fmt: skip


def test_percentile_and_average():
    values = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]
    assert waits.percentile(values, 90) == pytest.approx(45.5)
    assert waits.percentile([7], 90) == 7.0
    assert waits.percentile([], 90) is None
    assert waits.average([10, 20]) == 15.0
    assert waits.average([]) is None


def test_minutes_never_go_negative():
    at = dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)
    assert waits.minutes_between(at, at - dt.timedelta(minutes=5)) == 0
    assert waits.minutes_late(at, at + dt.timedelta(minutes=12, seconds=59)) == 12


def test_next_business_day_skips_weekends_and_closed_days():
    friday = D(2026, 12, 4)
    assert business_days.next_business_day(friday, closed=lambda d: False) == D(2026, 12, 7)
    closed = {D(2026, 12, 7)}
    assert business_days.next_business_day(friday, closed=closed.__contains__) == D(2026, 12, 8)
    assert business_days.next_business_day(D(2026, 12, 3), closed=lambda d: False) == friday
