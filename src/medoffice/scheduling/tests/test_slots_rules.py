"""The pure slot rules: recurrence days, wall-clock instants, busy times, slots (no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from medoffice.scheduling.rules import free_times
from medoffice.scheduling.rules import slots as r
from medoffice.scheduling.rules.recurrence import next_days, occurrence_days

NY = "America/New_York"
MONDAY = dt.date(2026, 11, 30)
UTC = dt.UTC


def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return r.to_instant(day, dt.time(hour, minute), NY)


def session(**overrides: object) -> r.Session:
    values: dict[str, object] = {
        "id": 1, "provider_id": 7, "location_id": 3, "time_zone": NY,
        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "starts_on": dt.date(2026, 1, 5),
        "ends_on": None, "start_time": dt.time(8), "end_time": dt.time(12), "slot_minutes": 15,
    }  # fmt: skip
    values.update(overrides)
    return r.Session(**values)  # type: ignore[arg-type]


def window(day: dt.date = MONDAY, **overrides: object) -> r.Window:
    (found,) = r.windows([session(**overrides)], day, day)
    return found


def local_hours(found: list[r.Interval]) -> list[str]:
    zone = zoneinfo.ZoneInfo(NY)
    return [f"{start.astimezone(zone):%H:%M}" for start, _ in found]


# ---- recurrence --------------------------------------------------------------------------


def test_weekly_days_fall_on_the_rule_and_inside_the_session_dates():
    days = occurrence_days(
        "FREQ=WEEKLY;BYDAY=MO,TH", dt.date(2026, 12, 1), dt.date(2026, 12, 14),
        dt.date(2026, 11, 1), dt.date(2026, 12, 31),
    )  # fmt: skip
    assert days == [dt.date(2026, 12, 3), dt.date(2026, 12, 7), dt.date(2026, 12, 10),
                    dt.date(2026, 12, 14)]  # fmt: skip


def test_every_other_week_keeps_its_phase_far_from_the_first_day():
    days = occurrence_days(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", dt.date(2025, 1, 3), None,
        dt.date(2026, 11, 23), dt.date(2026, 12, 20),
    )  # fmt: skip
    # 2025-01-03 plus whole fortnights: 2026-11-27 is 99 weeks later (odd), so it is skipped
    assert days == [dt.date(2026, 12, 4), dt.date(2026, 12, 18)]


def test_until_in_utc_and_count_are_honoured():
    until = occurrence_days(
        "FREQ=DAILY;UNTIL=20261203T000000Z", MONDAY, None, MONDAY, MONDAY + dt.timedelta(days=9)
    )
    # UNTIL is inclusive, and a day's occurrence is its midnight: December 3 is in
    assert until == [MONDAY + dt.timedelta(days=n) for n in range(4)]
    count = occurrence_days("FREQ=DAILY;COUNT=2", MONDAY, None, MONDAY, MONDAY + dt.timedelta(9))
    assert count == [MONDAY, MONDAY + dt.timedelta(days=1)]


def test_a_rule_dateutil_cannot_read_gives_no_days():
    assert occurrence_days("FREQ=SOMETIMES", MONDAY, None, MONDAY, MONDAY) == []
    assert occurrence_days("FREQ=DAILY", MONDAY, None, MONDAY + dt.timedelta(1), MONDAY) == []


def test_next_days_counts_the_first_day_even_off_rule():
    # the first visit is a Wednesday; the rule says Mondays every 8 weeks
    first = dt.date(2026, 12, 2)
    assert next_days("FREQ=WEEKLY;INTERVAL=8;BYDAY=MO", first, until=dt.date(2027, 3, 1),
                     count=None) == [first, dt.date(2027, 1, 25)]  # fmt: skip
    assert next_days("FREQ=WEEKLY", first, until=dt.date(2027, 3, 1), count=3) == [
        first, dt.date(2026, 12, 9), dt.date(2026, 12, 16),
    ]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY"]),
    interval=st.integers(1, 9),
    byday=st.sampled_from(["", ";BYDAY=MO", ";BYDAY=TU,FR", ";BYDAY=SA,SU"]),
    start_offset=st.integers(0, 800),
    first_offset=st.integers(0, 900),
    span=st.integers(0, 60),
)
def test_expanding_from_a_later_anchor_equals_expanding_from_the_first_day(
    freq: str, interval: int, byday: str, start_offset: int, first_offset: int, span: int
):
    rule = f"FREQ={freq};INTERVAL={interval}{byday}"
    starts_on = dt.date(2024, 1, 1) + dt.timedelta(days=start_offset)
    first = dt.date(2024, 1, 1) + dt.timedelta(days=first_offset)
    last = first + dt.timedelta(days=span)
    expected = [
        d.date()
        for d in rrulestr(rule, dtstart=dt.datetime.combine(starts_on, dt.time())).between(
            dt.datetime.combine(max(first, starts_on), dt.time()),
            dt.datetime.combine(last, dt.time()),
            inc=True,
        )
    ]
    assert occurrence_days(rule, starts_on, None, first, last) == expected


# ---- instants ------------------------------------------------------------------------------


def test_wall_clock_times_become_the_right_instants_around_changes():
    assert r.to_instant(dt.date(2027, 3, 13), dt.time(8), NY) == dt.datetime(
        2027, 3, 13, 13, tzinfo=UTC
    )
    assert r.to_instant(dt.date(2027, 3, 14), dt.time(8), NY) == dt.datetime(
        2027, 3, 14, 12, tzinfo=UTC
    )
    # 02:30 does not exist on the spring-forward day: read with the offset before the change
    assert r.to_instant(dt.date(2027, 3, 14), dt.time(2, 30), NY) == dt.datetime(
        2027, 3, 14, 7, 30, tzinfo=UTC
    )
    # 01:30 happens twice on the fall-back day: the first (EDT) one
    assert r.to_instant(dt.date(2027, 11, 7), dt.time(1, 30), NY) == dt.datetime(
        2027, 11, 7, 5, 30, tzinfo=UTC
    )


def test_windows_are_sorted_and_skip_days_off():
    found = r.windows(
        [session(id=2, start_time=dt.time(13), end_time=dt.time(17)), session()],
        MONDAY - dt.timedelta(days=2), MONDAY,
    )  # fmt: skip
    assert [(w.session.id, w.day, w.starts_at) for w in found] == [
        (1, MONDAY, at(8)), (2, MONDAY, at(13)),
    ]  # fmt: skip


# ---- busy intervals ------------------------------------------------------------------------


def test_merge_joins_overlapping_and_touching_intervals_and_drops_empty_ones():
    intervals = [(at(10), at(11)), (at(8), at(9)), (at(9), at(9, 30)), (at(12), at(12)),
                 (at(10, 30), at(10, 45))]  # fmt: skip
    assert r.merge(intervals) == [(at(8), at(9, 30)), (at(10), at(11))]


def test_busy_answers_free_and_gaps():
    busy = r.Busy([(at(9), at(10)), (at(11), at(11, 30))])
    assert busy.is_free(at(8), at(9)) is True
    assert busy.is_free(at(8), at(9, 1)) is False
    assert busy.is_free(at(10), at(11)) is True
    assert busy.is_free(at(10, 59), at(11, 1)) is False
    assert list(busy.gaps(at(8), at(12))) == [
        (at(8), at(9)), (at(10), at(11)), (at(11, 30), at(12)),
    ]  # fmt: skip
    assert list(busy.gaps(at(9, 15), at(9, 45))) == []


# ---- slots ---------------------------------------------------------------------------------


def test_slots_lie_on_the_grid_from_the_session_start_and_fit_before_its_end():
    found = list(r.window_slots(window(slot_minutes=20), 30, r.Busy([])))
    assert local_hours(found) == ["08:00", "08:20", "08:40", "09:00", "09:20", "09:40", "10:00",
                                  "10:20", "10:40", "11:00", "11:20"]  # fmt: skip
    assert all(end - start == dt.timedelta(minutes=30) for start, end in found)


def test_slots_resume_on_the_next_grid_point_after_a_busy_interval():
    busy = r.Busy([(at(8, 5), at(9, 10))])
    found = list(r.window_slots(window(end_time=dt.time(10)), 15, busy))
    assert local_hours(found) == ["09:15", "09:30", "09:45"]


def test_time_filters_are_local_and_latest_is_exclusive():
    found = r.window_slots(
        window(), 15, r.Busy([]), filters=r.Filters(earliest=dt.time(10), latest=dt.time(11))
    )
    assert local_hours(list(found)) == ["10:00", "10:15", "10:30", "10:45"]
    tuesday_only = r.Filters(weekdays=frozenset({1}))
    assert list(r.window_slots(window(), 15, r.Busy([]), filters=tuesday_only)) == []


def test_every_needed_kind_needs_a_resource_free_for_the_whole_slot():
    room_a = r.Busy([(at(8), at(8, 10))])
    room_b = r.Busy([(at(8, 10), at(8, 30))])
    ekg = r.Busy([(at(9), at(12))])
    found = list(r.window_slots(window(), 15, r.Busy([]), [[room_a, room_b], [ekg]]))
    # 8:00 has no room free throughout; from 8:15 room A is; the EKG is free until 9:00
    assert local_hours(found) == ["08:15", "08:30", "08:45"]
    assert list(r.window_slots(window(), 15, r.Busy([]), [[]])) == []  # no room of that kind


def test_a_session_admits_any_type_unless_reserved():
    assert session().admits(5) is True
    reserved = session(type_ids=frozenset({4}))
    assert (reserved.admits(4), reserved.admits(5)) == (True, False)


# ---- properties ----------------------------------------------------------------------------

minutes_of_day = st.integers(0, 24 * 60)


@settings(max_examples=300, deadline=None)
@given(
    start=st.integers(6 * 60, 11 * 60),
    length=st.integers(30, 8 * 60),
    grid=st.sampled_from([5, 10, 15, 20, 30, 60]),
    minutes=st.integers(5, 120),
    busy_spans=st.lists(st.tuples(minutes_of_day, st.integers(1, 180)), max_size=8),
    day=st.sampled_from([MONDAY, dt.date(2027, 3, 14), dt.date(2027, 11, 7)]),
)
def test_slots_are_inside_the_session_on_its_grid_of_the_right_length_and_never_busy(
    start: int, length: int, grid: int, minutes: int, busy_spans: list[tuple[int, int]],
    day: dt.date,
):  # fmt: skip
    end = min(start + length, 23 * 60 + 59)
    w = window(
        day, rrule="FREQ=DAILY", start_time=dt.time(start // 60, start % 60),
        end_time=dt.time(end // 60, end % 60), slot_minutes=grid,
    )  # fmt: skip
    midnight = r.to_instant(day, dt.time(0), NY)
    busy_list = [
        (midnight + dt.timedelta(minutes=s), midnight + dt.timedelta(minutes=s + n))
        for s, n in busy_spans
    ]
    found = list(r.window_slots(w, minutes, r.Busy(busy_list)))
    step = dt.timedelta(minutes=grid)
    for slot_start, slot_end in found:
        assert w.starts_at <= slot_start
        assert slot_end <= w.ends_at
        assert (slot_start - w.starts_at) % step == dt.timedelta(0)
        assert slot_end - slot_start == dt.timedelta(minutes=minutes)
        assert all(not (b0 < slot_end and slot_start < b1) for b0, b1 in busy_list)
    # and nothing is missed: every free grid point that fits is a slot
    expected = []
    point = w.starts_at
    while point + dt.timedelta(minutes=minutes) <= w.ends_at:
        point_end = point + dt.timedelta(minutes=minutes)
        if all(not (b0 < point_end and point < b1) for b0, b1 in busy_list):
            expected.append((point, point_end))
        point += step
    assert found == expected


# ---- common free times -----------------------------------------------------------------------


def test_common_free_times_take_one_candidate_per_free_stretch_on_weekdays():
    friday = MONDAY + dt.timedelta(days=4)
    busy = r.Busy(
        [(at(8), at(9, 10)), (at(10), at(16, 30)), (at(8, day=friday), at(17, day=friday))]
    )
    found = free_times.common_free_times(
        busy, first=MONDAY, last=MONDAY + dt.timedelta(days=6), minutes=30,
        day_start=dt.time(8), day_end=dt.time(17), time_zone=NY, limit=10,
    )  # fmt: skip
    assert found == [
        (at(9, 15), at(9, 45)),
        (at(16, 30), at(17)),
        (at(8, day=MONDAY + dt.timedelta(1)), at(8, 30, day=MONDAY + dt.timedelta(1))),
        (at(8, day=MONDAY + dt.timedelta(2)), at(8, 30, day=MONDAY + dt.timedelta(2))),
        (at(8, day=MONDAY + dt.timedelta(3)), at(8, 30, day=MONDAY + dt.timedelta(3))),
    ]


def test_common_free_times_skip_the_past_and_stop_at_the_limit():
    found = free_times.common_free_times(
        r.Busy([]), first=MONDAY, last=MONDAY + dt.timedelta(days=3), minutes=60,
        day_start=dt.time(8), day_end=dt.time(17), time_zone=NY, limit=2,
        not_before=at(13, 5),
    )  # fmt: skip
    assert found == [(at(13, 15), at(14, 15)), (at(8, day=MONDAY + dt.timedelta(1)),
                                                at(9, day=MONDAY + dt.timedelta(1)))]  # fmt: skip
