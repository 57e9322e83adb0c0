"""Daylight-saving days in America/New_York: sessions keep their wall-clock hours, and a session
spanning the 02:00 change holds the minutes that really pass."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from medoffice.scheduling import availability
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import pin_now

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SPRING_SUNDAY = dt.date(2027, 3, 14)  # 02:00 EST -> 03:00 EDT
FALL_SUNDAY = dt.date(2027, 11, 7)  # 02:00 EDT -> 01:00 EST
HALF_HOURS_8_TO_12 = ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))


def _slots(day: dt.date, start: int, end: int, *, rrule: str) -> list[availability.Slot]:
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place, start=dt.time(start), end=dt.time(end), rrule=rrule, slot_minutes=30)
    kind = f.appointment_type(30)
    return availability.open_slots(provider=provider, appointment_type=kind, start=day, end=day)


def _local(found: list[availability.Slot]) -> list[str]:
    return [f"{slot.starts_at.astimezone(NEW_YORK):%H:%M}" for slot in found]


def _utc(found: list[availability.Slot]) -> list[str]:
    return [f"{slot.starts_at.astimezone(dt.UTC):%H:%M}" for slot in found]


@pytest.mark.parametrize(
    ("day", "rrule", "utc_first"),
    [
        (SPRING_SUNDAY, "FREQ=WEEKLY;BYDAY=SU", "12:00"),  # EDT, UTC-4
        (SPRING_SUNDAY + dt.timedelta(days=1), "FREQ=WEEKLY;BYDAY=MO", "12:00"),
        (SPRING_SUNDAY - dt.timedelta(days=7), "FREQ=WEEKLY;BYDAY=SU", "13:00"),  # EST, UTC-5
        (FALL_SUNDAY, "FREQ=WEEKLY;BYDAY=SU", "13:00"),  # EST again
        (FALL_SUNDAY + dt.timedelta(days=1), "FREQ=WEEKLY;BYDAY=MO", "13:00"),
        (FALL_SUNDAY - dt.timedelta(days=7), "FREQ=WEEKLY;BYDAY=SU", "12:00"),  # still EDT
    ],
)
def test_a_morning_session_stays_8_to_12_local_on_change_days(
    day: dt.date, rrule: str, utc_first: str
):
    found = _slots(day, 8, 12, rrule=rrule)
    assert _local(found) == HALF_HOURS_8_TO_12  # 4 hours of slots either way
    assert _utc(found)[0] == utc_first
    assert all(slot.ends_at - slot.starts_at == dt.timedelta(minutes=30) for slot in found)


def test_a_session_spanning_spring_forward_has_three_real_hours():
    found = _slots(SPRING_SUNDAY, 0, 4, rrule="FREQ=WEEKLY;BYDAY=SU")
    assert _local(found) == [
        "00:00", "00:30", "01:00", "01:30", "03:00", "03:30",
    ]  # fmt: skip
    assert _utc(found) == ["05:00", "05:30", "06:00", "06:30", "07:00", "07:30"]


def test_a_session_spanning_fall_back_has_five_real_hours():
    found = _slots(FALL_SUNDAY, 0, 4, rrule="FREQ=WEEKLY;BYDAY=SU")
    assert _utc(found) == [
        "04:00", "04:30", "05:00", "05:30", "06:00", "06:30", "07:00", "07:30", "08:00", "08:30",
    ]  # fmt: skip
    # 01:00 and 01:30 happen twice: once in EDT, once in EST
    local = [slot.starts_at.astimezone(NEW_YORK) for slot in found]
    assert [f"{at:%H:%M %Z}" for at in local] == [
        "00:00 EDT", "00:30 EDT", "01:00 EDT", "01:30 EDT", "01:00 EST", "01:30 EST",
        "02:00 EST", "02:30 EST", "03:00 EST", "03:30 EST",
    ]  # fmt: skip


def test_a_week_across_spring_forward_keeps_local_hours_every_day():
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place, start=dt.time(9), end=dt.time(10), slot_minutes=60)
    kind = f.appointment_type(60)
    found = availability.open_slots(
        provider=provider, appointment_type=kind, start=dt.date(2027, 3, 10),
        end=dt.date(2027, 3, 17),
    )  # fmt: skip
    assert [f"{s.starts_at.astimezone(NEW_YORK):%m-%d %H:%M}" for s in found] == [
        "03-10 09:00", "03-11 09:00", "03-12 09:00", "03-15 09:00", "03-16 09:00", "03-17 09:00",
    ]  # fmt: skip
    assert _utc(found) == ["14:00", "14:00", "14:00", "13:00", "13:00", "13:00"]


def test_booking_problem_accepts_the_real_minutes_of_a_change_day():
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place, start=dt.time(0), end=dt.time(4), rrule="FREQ=DAILY")
    kind = f.appointment_type(30)
    last = dt.datetime(2027, 3, 14, 3, 30, tzinfo=NEW_YORK)
    common = {"provider": provider, "location": place, "appointment_type": kind}
    assert (
        availability.booking_problem(
            **common, starts_at=last, ends_at=last + dt.timedelta(minutes=30)
        )
        is None
    )
    too_late = last + dt.timedelta(minutes=30)
    assert (
        availability.booking_problem(
            **common, starts_at=too_late, ends_at=too_late + dt.timedelta(minutes=30)
        )
        == f"{provider} has no session at that time."
    )
