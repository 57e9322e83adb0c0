"""The calendar's geometry without a database: rows from instants (DST days included), lanes for
overlapping appointments, open cells of a session grid, and the no-show hints."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from medoffice.scheduling.views import calendar_layout as lay

NY = zoneinfo.ZoneInfo("America/New_York")
MONDAY = dt.date(2026, 11, 30)
FALL_BACK = dt.date(2026, 11, 1)  # 02:00 EDT -> 01:00 EST: 1 AM happens twice
SPRING_FORWARD = dt.date(2026, 3, 8)  # 02:00 EST -> 03:00 EDT: no 2 AM


def at(day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=NY, fold=fold)


def test_the_axis_covers_office_hours_on_an_empty_day():
    # when nothing is on the day
    axis = lay.axis_for(MONDAY, NY, [])
    # then 8 AM to 5 PM in 5-minute rows, labelled every half hour
    assert axis.start == at(MONDAY, 8)
    assert axis.end == at(MONDAY, 17)
    assert axis.rows == 9 * 12
    assert [m.label for m in axis.marks()[:4]] == ["8 AM", "8:30", "9 AM", "9:30"]
    assert [m.row for m in axis.marks()[:4]] == [1, 7, 13, 19]


def test_the_axis_grows_to_whole_hours_around_what_is_shown():
    # given a session from 7:30 and an appointment ending 18:10
    spans = [(at(MONDAY, 7, 30), at(MONDAY, 12)), (at(MONDAY, 17, 50), at(MONDAY, 18, 10))]
    # when
    axis = lay.axis_for(MONDAY, NY, spans)
    # then
    assert (axis.start, axis.end) == (at(MONDAY, 7), at(MONDAY, 19))


def test_an_appointment_takes_the_rows_of_its_minutes():
    axis = lay.axis_for(MONDAY, NY, [])
    assert axis.place(at(MONDAY, 9), at(MONDAY, 9, 20)) == lay.Place(13, 4)
    assert axis.place(at(MONDAY, 9, 2), at(MONDAY, 9, 12)) == lay.Place(13, 3)  # off-grid: cover
    assert axis.place(at(MONDAY, 7), at(MONDAY, 8, 15)) == lay.Place(1, 3)  # clipped at the top
    assert axis.place(at(MONDAY, 18), at(MONDAY, 19)) is None


def test_on_the_fall_back_day_one_am_is_labelled_twice_and_rows_are_real_minutes():
    # given a session from midnight to 4 AM on the day the clocks go back
    axis = lay.axis_for(FALL_BACK, NY, [(at(FALL_BACK, 0), at(FALL_BACK, 4))], hours=(
        dt.time(0), dt.time(4)))  # fmt: skip
    # then five real hours of rows, and the second 1 AM says which clock it is
    assert axis.rows == 5 * 12
    labels = [m.label for m in axis.marks()]
    assert labels[:6] == ["12 AM", "12:30", "1 AM", "1:30", "1 AM EST", "1:30"]
    # and an appointment at 1:30 EST sits an hour below one at 1:30 EDT
    first = axis.place(at(FALL_BACK, 1, 30), at(FALL_BACK, 1, 50))
    second = axis.place(at(FALL_BACK, 1, 30, fold=1), at(FALL_BACK, 1, 50, fold=1))
    assert (first, second) == (lay.Place(19, 4), lay.Place(31, 4))


def test_on_the_spring_forward_day_there_is_no_two_am():
    axis = lay.axis_for(SPRING_FORWARD, NY, [], hours=(dt.time(0), dt.time(5)))
    assert axis.rows == 4 * 12
    labels = [m.label for m in axis.marks()]
    assert labels == ["12 AM", "12:30", "1 AM", "1:30", "3 AM EDT", "3:30", "4 AM", "4:30"]
    assert axis.place(at(SPRING_FORWARD, 3), at(SPRING_FORWARD, 3, 30)) == lay.Place(25, 6)


def test_week_columns_share_wall_clock_hours():
    # given Monday 8-12 and Tuesday 13-18
    days = [MONDAY, MONDAY + dt.timedelta(days=1)]
    axes = [
        lay.axis_for(days[0], NY, [(at(days[0], 7), at(days[0], 12))]),
        lay.axis_for(days[1], NY, [(at(days[1], 13), at(days[1], 18))]),
    ]
    # when
    common = lay.common_axes(axes, days)
    # then both days run 7 AM to 6 PM
    assert [(a.start, a.end) for a in common] == [
        (at(days[0], 7), at(days[0], 18)),
        (at(days[1], 7), at(days[1], 18)),
    ]


def test_overlapping_appointments_share_the_width_others_take_it_all():
    nine = at(MONDAY, 9)
    spans = [
        (nine, nine + dt.timedelta(minutes=30)),  # A
        (nine + dt.timedelta(minutes=10), nine + dt.timedelta(minutes=20)),  # B overlaps A
        (nine + dt.timedelta(minutes=20), nine + dt.timedelta(minutes=40)),  # C: B's lane again
        (at(MONDAY, 11), at(MONDAY, 11, 20)),  # D alone
    ]
    placed = lay.lanes(spans)
    assert placed == [(0, 2), (1, 2), (1, 2), (0, 1)]
    assert lay.lane_columns(placed) == (2, [(1, 1), (2, 1), (2, 1), (1, 2)])


def test_three_and_two_side_by_side_fit_one_grid():
    nine = at(MONDAY, 9)
    three = [(nine, nine + dt.timedelta(minutes=20))] * 3
    two = [(at(MONDAY, 10), at(MONDAY, 10, 20))] * 2
    columns, spans = lay.lane_columns(lay.lanes(three + two))
    assert columns == 6
    assert spans == [(1, 2), (3, 2), (5, 2), (1, 3), (4, 3)]


def test_open_cells_skip_busy_time_and_the_past():
    window = (at(MONDAY, 8), at(MONDAY, 9))
    busy = [(at(MONDAY, 8, 15), at(MONDAY, 8, 40))]
    assert [s.astimezone(NY).strftime("%H:%M") for s, _ in lay.open_starts(window, 15, busy)] == [
        "08:00",
        "08:45",
    ]
    later = lay.open_starts(window, 15, busy, not_before=at(MONDAY, 8, 1))
    assert [s.astimezone(NY).strftime("%H:%M") for s, _ in later] == ["08:45"]


@pytest.mark.parametrize(
    ("risk", "label"),
    [(Decimal("0.317"), "risk 32%"), (Decimal("0.05"), "risk 5%"), (0.3, "risk 30%"), (None, "")],
)
def test_risk_label(risk, label):
    assert lay.risk_label(risk) == label


@pytest.mark.parametrize(
    ("risk", "status", "limit", "used", "expected"),
    [
        (Decimal("0.32"), "booked", 1, 0, True),
        (Decimal("0.30"), "confirmed", 2, 1, True),
        (Decimal("0.29"), "booked", 1, 0, False),  # low risk: the patient will likely come
        (Decimal("0.50"), "booked", 1, 1, False),  # the session's overbooks are used up
        (Decimal("0.50"), "booked", 0, 0, False),  # the session allows none
        (Decimal("0.50"), "arrived", 1, 0, False),  # already here
        (None, "booked", 1, 0, False),
    ],
)
def test_overbook_hint(risk, status, limit, used, expected):
    assert (
        lay.overbook_ok(risk, status=status, overbook_limit=limit, overbooks_used=used) is expected
    )


def test_time_labels_are_the_locations_clock():
    noon_utc = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)
    assert lay.time_label(noon_utc, NY) == "12:05 PM"
    assert lay.short_time(noon_utc, NY) == "12:05"
    assert lay.clock_label(at(MONDAY, 0)) == "12 AM"
