"""Open slots and booking problems read from the database: sessions, blocks, exceptions,
reserved sessions, resources, daylight-saving days, first-available order, query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling import availability
from medoffice.scheduling.choices import AppointmentStatus
from medoffice.scheduling.models import (
    AppointmentResource,
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeResource,
    Block,
    ScheduleException,
)
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import days, hours, pin_now

pytestmark = pytest.mark.django_db
MONDAY = f.MONDAY  # 2026-11-30
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))


@dataclass
class Office:
    place: Location
    marsh: Provider
    kind: AppointmentType

    def at(self, hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
        return f.local(self.place, day, hour, minute)

    def slots(self, day: dt.date = MONDAY, **options: object) -> list[str]:
        found = availability.open_slots(
            provider=self.marsh, appointment_type=self.kind, start=day, end=day, **options
        )
        return hours(found, self.place)

    def problem(self, hour: int, minute: int = 0, minutes: int = 20) -> str | None:
        start = self.at(hour, minute)
        return availability.booking_problem(
            provider=self.marsh,
            location=self.place,
            appointment_type=self.kind,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=minutes),
        )


@pytest.fixture
def office() -> Office:
    place = f.location(name="North")
    marsh = f.provider_at(place, first_name="Dana", last_name="Marsh")
    f.session(marsh, place, slot_minutes=20)
    return Office(place, marsh, f.appointment_type(20, name="Follow-up"))


MORNING = ["08:00", "08:20", "08:40", "09:00", "09:20", "09:40", "10:00", "10:20", "10:40",
           "11:00", "11:20", "11:40"]  # fmt: skip


def test_a_session_gives_slots_on_its_grid_of_the_types_length(office: Office):
    assert office.slots() == MORNING
    assert office.problem(9) is None


def test_slots_carry_provider_location_real_instants_and_label(office: Office):
    # when
    first = availability.open_slots(
        provider=office.marsh, appointment_type=office.kind, start=MONDAY, end=MONDAY, limit=1
    )
    # then
    assert first == [
        availability.Slot(office.marsh.pk, office.place.pk, office.at(8), office.at(8, 20), "")
    ]
    assert first[0].starts_at.utcoffset() == dt.timedelta(0)


def test_a_providers_own_length_changes_the_slots(office: Office):
    AppointmentTypeDuration.objects.create(
        appointment_type=office.kind, provider=office.marsh, minutes=60
    )
    assert office.slots() == ["08:00", "08:20", "08:40", "09:00", "09:20", "09:40", "10:00",
                              "10:20", "10:40", "11:00"]  # fmt: skip


def test_holding_appointments_remove_slots_and_cancelled_ones_do_not(office: Office):
    patient = make_patient()
    f.raw_appointment(patient, office.marsh, office.place, office.kind, office.at(9))
    f.raw_appointment(
        patient, office.marsh, office.place, office.kind, office.at(10, 30), minutes=20,
        status=AppointmentStatus.CANCELLED, cancel_reason="patient",
    )  # fmt: skip
    f.raw_appointment(
        patient, office.marsh, office.place, office.kind, office.at(11), minutes=10,
        status=AppointmentStatus.CHECKED_OUT,
    )  # fmt: skip
    # then 9:00 is taken; 11:00-11:10 takes 11:00 (grid stays), cancelled 10:30 frees nothing
    assert office.slots() == ["08:00", "08:20", "08:40", "09:20", "09:40", "10:00", "10:20",
                              "10:40", "11:20", "11:40"]  # fmt: skip


def test_an_appointment_at_another_location_still_takes_the_providers_time(office: Office):
    south = f.location(name="South")
    office.marsh.locations.add(south)
    f.raw_appointment(make_patient(), office.marsh, south, office.kind, office.at(8))
    assert office.slots()[:2] == ["08:20", "08:40"]


def test_a_block_removes_slots_and_is_named(office: Office):
    Block.objects.create(
        provider=office.marsh, kind="lunch", title="", starts_at=office.at(10),
        ends_at=office.at(10, 30),
    )  # fmt: skip
    assert office.slots() == ["08:00", "08:20", "08:40", "09:00", "09:20", "09:40", "10:40",
                              "11:00", "11:20", "11:40"]  # fmt: skip
    assert office.problem(10, 20) == "Blocked: Lunch."
    assert office.problem(9, 40) is None  # ends at 10:00 sharp


def test_a_room_block_or_a_block_of_another_provider_does_not_remove_slots(office: Office):
    other = f.provider_at(office.place)
    Block.objects.create(
        provider=other, kind="admin", starts_at=office.at(8), ends_at=office.at(12)
    )
    Block.objects.create(
        resource=f.room(office.place), kind="admin", starts_at=office.at(8), ends_at=office.at(12)
    )
    assert office.slots() == MORNING


def test_a_location_holiday_closes_the_day_and_says_so(office: Office):
    ScheduleException.objects.create(
        location=office.place, kind="holiday", note="Thanksgiving",
        starts_at=office.at(0), ends_at=office.at(0, day=TUESDAY),
    )  # fmt: skip
    assert office.slots() == []
    assert office.slots(TUESDAY) == MORNING
    assert office.problem(9) == "The office is closed: Thanksgiving."


def test_an_everyone_exception_closes_every_location(office: Office):
    ScheduleException.objects.create(kind="closed", starts_at=office.at(8), ends_at=office.at(10))
    assert office.slots()[0] == "10:00"
    assert office.problem(9) == "The office is closed: Office closed (weather, emergency)."


def test_a_providers_vacation_removes_only_their_slots(office: Office):
    other = f.provider_at(office.place, last_name="Okafor")
    f.session(other, office.place, slot_minutes=20)
    ScheduleException.objects.create(
        provider=office.marsh, kind="vacation", starts_at=office.at(0),
        ends_at=office.at(0, day=TUESDAY),
    )  # fmt: skip
    assert office.slots() == []
    mine = availability.open_slots(
        provider=other, appointment_type=office.kind, start=MONDAY, end=MONDAY
    )
    assert hours(mine, office.place) == MORNING
    assert office.problem(9) == "Dana Marsh, MD is not available: Vacation."


def test_an_exception_at_another_location_changes_nothing(office: Office):
    ScheduleException.objects.create(
        location=f.location(name="South"), kind="closed", starts_at=office.at(0),
        ends_at=office.at(0, day=TUESDAY),
    )  # fmt: skip
    assert office.slots() == MORNING
    assert office.problem(9) is None


def test_reserved_sessions_admit_only_their_types(office: Office):
    new_patient = f.appointment_type(40, name="New patient visit")
    reserved = f.session(
        office.marsh, office.place, start=dt.time(13), end=dt.time(15), slot_minutes=40,
        label="New patients",
    )  # fmt: skip
    reserved.appointment_types.add(new_patient)
    # then the follow-up gets the morning only, the new patient the afternoon too
    assert office.slots() == MORNING
    found = availability.open_slots(
        provider=office.marsh, appointment_type=new_patient, start=MONDAY, end=MONDAY,
        earliest=dt.time(12),
    )  # fmt: skip
    assert hours(found, office.place) == ["13:00", "13:40", "14:20"]
    assert {slot.session_label for slot in found} == {"New patients"}
    assert office.problem(13) == "That time is reserved for New patients."


def test_a_reserved_session_without_label_names_its_types(office: Office):
    new_patient = f.appointment_type(40, name="New patient visit")
    f.session(office.marsh, office.place, start=dt.time(13), end=dt.time(15)).appointment_types.add(
        new_patient
    )
    assert office.problem(13) == "That time is reserved for New patient visit appointments."


def test_outside_sessions_the_problem_says_so(office: Office):
    assert office.problem(15) == "Dana Marsh, MD has no session at that time."
    assert (
        office.problem(11, 50) == "That time runs outside Dana Marsh, MD's session (08:00-12:00)."
    )
    saturday = MONDAY - dt.timedelta(days=2)
    assert office.slots(saturday) == []


def test_a_session_at_a_location_the_provider_left_gives_nothing(office: Office):
    office.marsh.locations.remove(office.place)
    assert office.slots() == []


def test_sessions_respect_their_first_and_last_day_and_interval(office: Office):
    other = f.provider_at(office.place)
    f.session(
        other, office.place, rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=28), slot_minutes=60, end=dt.time(9),
    )  # fmt: skip
    found = availability.open_slots(
        provider=other, appointment_type=office.kind, start=MONDAY - dt.timedelta(days=7),
        end=MONDAY + dt.timedelta(days=42),
    )  # fmt: skip
    assert days(found, office.place) == [
        dt.date(2026, 11, 30), dt.date(2026, 12, 14), dt.date(2026, 12, 28),
    ]  # fmt: skip


def test_weekday_and_time_of_day_filters_use_local_time(office: Office):
    found = availability.open_slots(
        provider=office.marsh, appointment_type=office.kind, start=MONDAY, end=TUESDAY,
        weekdays={1}, earliest=dt.time(9), latest=dt.time(10),
    )  # fmt: skip
    assert days(found, office.place) == [TUESDAY] * 3
    assert hours(found, office.place) == ["09:00", "09:20", "09:40"]


def test_slots_before_now_are_never_offered(office: Office, monkeypatch: pytest.MonkeyPatch):
    pin_now(monkeypatch, office.at(9, 5))
    assert office.slots() == ["09:20", "09:40", "10:00", "10:20", "10:40", "11:00", "11:20",
                              "11:40"]  # fmt: skip


def test_a_provider_who_does_not_see_the_type_has_no_slots(office: Office):
    other = f.provider_at(office.place)
    office.kind.providers.add(other)
    assert office.slots() == []


def _needs_room(office: Office) -> None:
    AppointmentTypeResource.objects.create(appointment_type=office.kind, kind="exam_room")


def _use(room: object, office: Office, start: dt.datetime, minutes: int = 20) -> None:
    other = f.provider_at(office.place)
    appointment = f.raw_appointment(make_patient(), other, office.place, office.kind, start)
    AppointmentResource.objects.create(
        appointment=appointment, resource=room, starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
    )  # fmt: skip


def test_a_type_needing_a_room_has_no_slots_where_no_room_exists(office: Office):
    _needs_room(office)
    f.room(f.location(name="South"))
    assert office.slots() == []


def test_a_slot_needs_one_free_room_of_each_kind(office: Office):
    _needs_room(office)
    exam1 = f.room(office.place, "Exam 1")
    _use(exam1, office, office.at(9))
    Block.objects.create(
        resource=exam1, kind="admin", starts_at=office.at(10), ends_at=office.at(10, 20)
    )
    assert office.slots() == ["08:00", "08:20", "08:40", "09:20", "09:40", "10:20", "10:40",
                              "11:00", "11:20", "11:40"]  # fmt: skip
    # a second room frees those times again
    f.room(office.place, "Exam 2")
    assert office.slots() == MORNING


def test_a_slot_needs_one_room_for_its_whole_length(office: Office):
    _needs_room(office)
    exam1, exam2 = f.room(office.place, "Exam 1"), f.room(office.place, "Exam 2")
    _use(exam1, office, office.at(9), minutes=10)
    _use(exam2, office, office.at(9, 10), minutes=10)
    # no single room is free for 9:00-9:20 although one is free at every moment
    assert "09:00" not in office.slots()
    assert "09:20" in office.slots()


def test_a_released_room_use_frees_the_slot(office: Office):
    _needs_room(office)
    exam1 = f.room(office.place, "Exam 1")
    _use(exam1, office, office.at(9))
    AppointmentResource.objects.update(holds_time=False)
    assert office.slots() == MORNING
