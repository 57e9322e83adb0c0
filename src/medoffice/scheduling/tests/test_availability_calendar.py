"""The rest of the availability contract: the session at an instant (overbook limit, its day's
window), blocked rooms, who is on call, and times free for a staff meeting."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from medoffice.accounts.tests.factories import staff_user
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import availability
from medoffice.scheduling.models import Block, OnCallShift, ScheduleException, StaffMeeting
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import pin_now

pytestmark = pytest.mark.django_db
MONDAY = f.MONDAY
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))


def test_session_at_gives_the_occurrence_its_label_and_overbook_limit():
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place, label="Morning", overbook_limit=2)
    f.session(provider, place, start=dt.time(13), end=dt.time(17))
    found = availability.session_at(provider=provider, location=place, at=f.local(place, MONDAY, 9))
    assert found is not None
    assert (found.label, found.overbook_limit) == ("Morning", 2)
    assert (found.starts_at, found.ends_at) == (
        f.local(place, MONDAY, 8),
        f.local(place, MONDAY, 12),
    )
    # window_on: the same session's occurrence on another day (here across a DST change)
    march = dt.date(2027, 3, 15)
    assert found.window_on(f.local(place, march, 10)) == (
        f.local(place, march, 8), f.local(place, march, 12),
    )  # fmt: skip
    # the end is exclusive, and nothing is found between sessions or at another location
    at_noon = f.local(place, MONDAY, 12)
    assert availability.session_at(provider=provider, location=place, at=at_noon) is None
    elsewhere = f.location(name="South")
    assert (
        availability.session_at(provider=provider, location=elsewhere, at=f.local(place, MONDAY, 9))
        is None
    )


def test_blocked_resource_ids_lists_rooms_blocked_during_the_time():
    place = f.location()
    exam1, exam2 = f.room(place, "Exam 1"), f.room(place, "Exam 2")
    Block.objects.create(
        resource=exam1,
        kind="admin",
        starts_at=f.local(place, MONDAY, 9),
        ends_at=f.local(place, MONDAY, 10),
    )
    Block.objects.create(
        resource=exam2,
        kind="admin",
        starts_at=f.local(place, MONDAY, 10),
        ends_at=f.local(place, MONDAY, 11),
    )
    nine_thirty = f.local(place, MONDAY, 9, 30)
    assert availability.blocked_resource_ids(nine_thirty, nine_thirty + dt.timedelta(hours=1)) == {
        exam1.pk, exam2.pk,
    }  # fmt: skip
    assert (
        availability.blocked_resource_ids(f.local(place, MONDAY, 11), f.local(place, MONDAY, 12))
        == set()
    )


def test_on_call_at_lists_the_covering_shifts_with_their_provider():
    place = f.location()
    night, weekend = f.provider_at(place, last_name="Night"), f.provider_at(place, last_name="Wknd")
    OnCallShift.objects.create(
        provider=night,
        starts_at=f.local(place, MONDAY, 17),
        ends_at=f.local(place, TUESDAY, 8),
        phone="+15555550100",
    )
    OnCallShift.objects.create(
        provider=weekend, starts_at=f.local(place, TUESDAY, 8), ends_at=f.local(place, TUESDAY, 17)
    )
    shifts = availability.on_call_at(f.local(place, MONDAY, 23))
    assert [(s.provider.last_name, s.phone) for s in shifts] == [("Night", "+15555550100")]
    assert [s.provider.last_name for s in availability.on_call_at(f.local(place, TUESDAY, 8))] == [
        "Wknd"
    ]
    assert availability.on_call_at(f.local(place, MONDAY, 12)) == []


def test_common_free_times_avoid_meetings_blocks_appointments_and_time_away():
    place = f.location()
    anna, ben = staff_user(username="anna"), staff_user(username="ben")
    provider = f.provider_at(place)

    def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
        return f.local(place, day, hour, minute)

    meeting = StaffMeeting.objects.create(
        uid=uuid.uuid4(), title="Huddle", starts_at=at(8), ends_at=at(9), organizer=anna
    )
    meeting.attendees.add(anna)
    Block.objects.create(user=ben, kind="training", starts_at=at(9), ends_at=at(10, 30))
    f.raw_appointment(make_patient(), provider, place, f.appointment_type(), at(11), minutes=60)
    Block.objects.create(provider=provider, kind="lunch", starts_at=at(12, 30), ends_at=at(13))
    ScheduleException.objects.create(
        provider=provider,
        kind="vacation",
        starts_at=at(0, day=TUESDAY),
        ends_at=at(0, day=TUESDAY + dt.timedelta(1)),
    )
    cancelled = StaffMeeting.objects.create(
        uid=uuid.uuid4(),
        title="Old",
        starts_at=at(14),
        ends_at=at(15),
        organizer=anna,
        cancelled=True,
    )
    cancelled.attendees.add(ben)
    found = availability.common_free_times(
        users=[anna, ben], providers=[provider], start=MONDAY, end=MONDAY + dt.timedelta(days=2),
        minutes=30, day_start=dt.time(8), day_end=dt.time(17), time_zone=place.time_zone,
    )  # fmt: skip
    assert found == [
        (at(10, 30), at(11)), (at(12), at(12, 30)), (at(13), at(13, 30)),
        (at(8, day=MONDAY + dt.timedelta(2)), at(8, 30, day=MONDAY + dt.timedelta(2))),
    ]  # fmt: skip


def test_a_user_who_is_a_provider_brings_their_appointments(django_assert_max_num_queries):
    place = f.location()
    doctor = staff_user(username="drlee")
    provider = f.provider_at(place, user=doctor)
    f.raw_appointment(
        make_patient(),
        provider,
        place,
        f.appointment_type(),
        f.local(place, MONDAY, 8),
        minutes=120,
    )
    with django_assert_max_num_queries(6):
        found = availability.common_free_times(
            users=[doctor], start=MONDAY, end=MONDAY, minutes=60, time_zone=place.time_zone,
            limit=1,
        )  # fmt: skip
    assert found == [(f.local(place, MONDAY, 10), f.local(place, MONDAY, 11))]


def test_booking_problem_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place)
    kind = f.appointment_type()
    start = f.local(place, MONDAY, 9)
    # exceptions, blocks, sessions
    with django_assert_max_num_queries(3):
        problem = availability.booking_problem(
            provider=provider, location=place, appointment_type=kind, starts_at=start,
            ends_at=start + dt.timedelta(minutes=20),
        )  # fmt: skip
    assert problem is None
