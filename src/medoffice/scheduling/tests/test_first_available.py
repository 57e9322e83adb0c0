"""First available across providers: who is eligible, order, limit, filters, query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling import availability
from medoffice.scheduling.models import (
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeResource,
    Block,
    ScheduleException,
)
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import days, hours, pin_now

pytestmark = pytest.mark.django_db
MONDAY = f.MONDAY
FRIDAY = MONDAY + dt.timedelta(days=4)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))


@dataclass
class Practice:
    north: Location
    south: Location
    marsh: Provider  # north, 8-12, 30-minute grid
    okafor: Provider  # north, 9-12, 20-minute grid
    lee: Provider  # south, 8-12
    kind: AppointmentType

    def at(self, hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
        return f.local(self.north, day, hour, minute)


@pytest.fixture
def practice() -> Practice:
    north, south = f.location(name="North"), f.location(name="South")
    marsh = f.provider_at(north, last_name="Marsh")
    okafor = f.provider_at(north, last_name="Okafor")
    lee = f.provider_at(south, last_name="Lee")
    f.session(marsh, north, slot_minutes=30)
    f.session(okafor, north, start=dt.time(9), slot_minutes=20)
    f.session(lee, south, slot_minutes=30)
    return Practice(north, south, marsh, okafor, lee, f.appointment_type(20))


def _first(practice: Practice, **options: object) -> list[tuple[str, str]]:
    values: dict[str, object] = {"appointment_type": practice.kind, "start": MONDAY, "end": FRIDAY}
    values.update(options)
    found = availability.first_available(**values)  # type: ignore[arg-type]
    names = {p.pk: p.last_name for p in Provider.objects.all()}
    return [
        (hour, names[slot.provider_id])
        for slot, hour in zip(found, hours(found, practice.north), strict=True)
    ]


def test_first_available_orders_every_eligible_provider_by_time(practice: Practice):
    # ties go to the provider created first
    assert _first(practice, limit=6) == [
        ("08:00", "Marsh"), ("08:00", "Lee"), ("08:30", "Marsh"), ("08:30", "Lee"),
        ("09:00", "Marsh"), ("09:00", "Okafor"),
    ]  # fmt: skip


def test_first_available_narrows_to_a_location_and_to_chosen_providers(practice: Practice):
    assert _first(practice, location=practice.north, limit=4) == [
        ("08:00", "Marsh"), ("08:30", "Marsh"), ("09:00", "Marsh"), ("09:00", "Okafor"),
    ]  # fmt: skip
    assert _first(practice, providers=[practice.okafor], limit=2) == [
        ("09:00", "Okafor"), ("09:20", "Okafor"),
    ]  # fmt: skip


def test_first_available_skips_providers_who_do_not_see_the_type(practice: Practice):
    practice.kind.providers.add(practice.okafor)
    assert {name for _, name in _first(practice, limit=20)} == {"Okafor"}


def test_first_available_skips_inactive_providers_and_sessions(practice: Practice):
    Provider.objects.filter(pk=practice.lee.pk).update(active=False)
    practice.marsh.sessions.update(active=False)
    assert {name for _, name in _first(practice, limit=20)} == {"Okafor"}


def test_first_available_uses_each_providers_own_length(practice: Practice):
    AppointmentTypeDuration.objects.create(
        appointment_type=practice.kind, provider=practice.okafor, minutes=60
    )
    found = availability.first_available(
        appointment_type=practice.kind, providers=[practice.okafor], start=MONDAY, end=MONDAY
    )
    assert hours(found, practice.north) == ["09:00", "09:20", "09:40", "10:00", "10:20",
                                            "10:40", "11:00"]  # fmt: skip
    assert {s.ends_at - s.starts_at for s in found} == {dt.timedelta(minutes=60)}


def test_first_available_honours_bookings_blocks_and_exceptions(practice: Practice):
    f.raw_appointment(make_patient(), practice.marsh, practice.north, practice.kind, practice.at(8))
    Block.objects.create(
        provider=practice.lee, kind="rounds", starts_at=practice.at(8), ends_at=practice.at(9)
    )
    ScheduleException.objects.create(
        location=practice.north, kind="closed", starts_at=practice.at(9),
        ends_at=practice.at(10),
    )  # fmt: skip
    assert _first(practice, limit=5) == [
        ("08:30", "Marsh"), ("09:00", "Lee"), ("09:30", "Lee"), ("10:00", "Marsh"),
        ("10:00", "Okafor"),
    ]  # fmt: skip


def test_first_available_finds_later_days_when_the_first_are_full(practice: Practice):
    for provider in (practice.marsh, practice.okafor, practice.lee):
        ScheduleException.objects.create(
            provider=provider, kind="conference", starts_at=practice.at(0),
            ends_at=practice.at(0, day=MONDAY + dt.timedelta(days=3)),
        )  # fmt: skip
    found = availability.first_available(
        appointment_type=practice.kind, start=MONDAY, end=FRIDAY, limit=3
    )
    assert days(found, practice.north) == [MONDAY + dt.timedelta(days=3)] * 3


def test_first_available_filters_days_and_times(practice: Practice):
    found = availability.first_available(
        appointment_type=practice.kind, location=practice.north, start=MONDAY, end=FRIDAY,
        weekdays={2, 4}, earliest=dt.time(11), latest=dt.time(11, 30), limit=10,
    )  # fmt: skip
    wednesday, friday = MONDAY + dt.timedelta(days=2), FRIDAY
    assert list(zip(days(found, practice.north), hours(found, practice.north), strict=True)) == [
        (wednesday, "11:00"), (wednesday, "11:00"), (wednesday, "11:20"),
        (friday, "11:00"), (friday, "11:00"), (friday, "11:20"),
    ]  # fmt: skip


def test_first_available_answers_nothing_for_an_empty_or_reversed_range(practice: Practice):
    saturday = MONDAY - dt.timedelta(days=2)
    assert _first(practice, start=saturday, end=saturday) == []
    assert _first(practice, start=FRIDAY, end=MONDAY) == []


def test_first_available_needs_a_resource_free_at_the_providers_location(practice: Practice):
    AppointmentTypeResource.objects.create(appointment_type=practice.kind, kind="ekg")
    f.room(practice.south, "EKG cart", kind="ekg")
    assert {name for _, name in _first(practice, limit=30)} == {"Lee"}


def test_first_available_reads_a_fixed_number_of_queries(
    practice: Practice, django_assert_max_num_queries
):
    for n in range(30):
        f.raw_appointment(
            make_patient(), practice.marsh, practice.north, practice.kind,
            practice.at(8, day=MONDAY + dt.timedelta(days=n)),
        )  # fmt: skip
    AppointmentTypeResource.objects.create(appointment_type=practice.kind, kind="exam_room")
    for place in (practice.north, practice.south):
        f.room(place)
    # sessions (with their reserved types), lengths, resource kinds; then for the first
    # stretch: appointments, blocks, exceptions, rooms, their uses, their blocks
    with django_assert_max_num_queries(9):
        found = availability.first_available(
            appointment_type=practice.kind, start=MONDAY, end=MONDAY + dt.timedelta(days=89)
        )
    assert len(found) == 10


def test_open_slots_over_90_days_reads_a_fixed_number_of_queries(
    practice: Practice, django_assert_max_num_queries
):
    # sessions, the length, resource kinds, appointments, blocks, exceptions
    with django_assert_max_num_queries(6):
        found = availability.open_slots(
            provider=practice.marsh, appointment_type=practice.kind, start=MONDAY,
            end=MONDAY + dt.timedelta(days=89),
        )  # fmt: skip
    assert len(found) == 8 * 65  # 65 weekdays in those 90 days, 8 half hours each
