"""The booking service through the availability rules: sessions, overbooks, history, cancel,
status flow, rooms."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.scheduling import availability, services
from medoffice.scheduling.choices import AppointmentStatus
from medoffice.scheduling.errors import BookingRefused, InvalidTransition, SlotUnavailable
from medoffice.scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentResource,
    AppointmentTypeResource,
    Block,
)
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import hours, pin_now
from medoffice.scheduling.tests.booking_support import MONDAY, NOW, Office, make_office, patient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, NOW)


@pytest.fixture
def office() -> Office:
    return make_office(overbook_limit=1)


def _open(office: Office) -> list[str]:
    found = availability.open_slots(
        provider=office.marsh, appointment_type=office.kind, start=MONDAY, end=MONDAY
    )
    return hours(found, office.place)


def test_booking_inside_a_session_takes_the_slot(office: Office):
    appointment = office.book(patient(), 9, reason=" Cough ")
    assert (appointment.starts_at, appointment.ends_at, appointment.status, appointment.reason) == (
        office.at(9), office.at(9, 20), AppointmentStatus.BOOKED, "Cough",
    )  # fmt: skip
    assert "09:00" not in _open(office)
    assert list(appointment.events.values_list("kind", flat=True)) == ["booked"]


@pytest.mark.parametrize(
    ("hour", "minute", "message"),
    [
        (15, 0, "Dana Marsh, MD has no session at that time."),
        (11, 50, "That time runs outside Dana Marsh, MD's session (08:00-12:00)."),
    ],
)
def test_booking_outside_the_sessions_is_refused_and_nothing_saved(
    office: Office, hour: int, minute: int, message: str
):
    with pytest.raises(SlotUnavailable) as refused:
        office.book(patient(), hour, minute)
    assert refused.value.message == message
    assert not Appointment.objects.exists()


def test_the_desk_may_book_outside_sessions_on_purpose(office: Office):
    appointment = office.book(patient(), 15, outside_sessions=True)
    assert appointment.starts_at == office.at(15)


def test_a_blocked_time_is_refused_with_the_block_named(office: Office):
    Block.objects.create(provider=office.marsh, kind="lunch", title="Lunch",
                         starts_at=office.at(11), ends_at=office.at(12))  # fmt: skip
    with pytest.raises(SlotUnavailable, match=r"^Blocked: Lunch\.$"):
        office.book(patient(), 11, 20)


def test_a_taken_time_is_refused_naming_the_conflict(office: Office):
    first = office.book(patient("First"), 9)
    with pytest.raises(SlotUnavailable) as refused:
        office.book(patient("Second"), 9, 10)
    assert refused.value.conflicts == [first]
    assert Appointment.objects.count() == 1


def test_overbooks_are_allowed_up_to_the_session_limit(office: Office):
    office.book(patient("First"), 9)
    extra = office.book(patient("Extra"), 9, overbook=True)
    assert extra.overbook is True
    with pytest.raises(SlotUnavailable, match="already has its 1 allowed overbook"):
        office.book(patient("Another"), 10, overbook=True)
    assert Appointment.objects.filter(overbook=True).count() == 1


def test_no_overbook_where_the_session_allows_none(office: Office):
    office.session.overbook_limit = 0
    office.session.save()
    office.book(patient("First"), 9)
    with pytest.raises(SlotUnavailable, match="allows no overbooks"):
        office.book(patient("Extra"), 9, overbook=True)


def test_rescheduling_moves_the_time_and_keeps_the_history(office: Office):
    appointment = office.book(patient(), 9)
    moved = services.reschedule_appointment(
        appointment, acting_user=office.desk, starts_at=office.at(10, 40), reason="Patient asked"
    )
    assert (moved.starts_at, moved.ends_at) == (office.at(10, 40), office.at(11))
    events = list(AppointmentEvent.objects.filter(appointment=appointment).order_by("pk"))
    assert [e.kind for e in events] == ["booked", "rescheduled"]
    before = dt.datetime.fromisoformat(events[1].detail["before"]["starts_at"])
    assert before == office.at(9)
    assert events[1].detail["reason"] == "Patient asked"
    assert "09:00" in _open(office)
    assert "10:40" not in _open(office)


def test_rescheduling_into_a_blocked_time_changes_nothing(office: Office):
    appointment = office.book(patient(), 9)
    Block.objects.create(provider=office.marsh, kind="admin", starts_at=office.at(10),
                         ends_at=office.at(11))  # fmt: skip
    with pytest.raises(SlotUnavailable):
        services.reschedule_appointment(
            appointment, acting_user=office.desk, starts_at=office.at(10)
        )
    appointment.refresh_from_db()
    assert appointment.starts_at == office.at(9)
    assert appointment.events.count() == 1


def test_cancelling_frees_the_time(office: Office):
    appointment = office.book(patient(), 9)
    services.cancel_appointment(appointment, acting_user=office.desk, reason="weather")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == (
        AppointmentStatus.CANCELLED,
        "weather",
    )
    assert "09:00" in _open(office)
    assert office.book(patient("Next"), 9).starts_at == office.at(9)


def test_the_visit_moves_through_its_statuses_and_no_further(office: Office):
    appointment = office.book(patient(), 9)
    for status in ("confirmed", "arrived", "roomed", "with_provider", "checked_out"):
        appointment = services.set_status(appointment, status, acting_user=office.desk)
    assert appointment.status == AppointmentStatus.CHECKED_OUT
    with pytest.raises(InvalidTransition):
        services.cancel_appointment(appointment, acting_user=office.desk, reason="patient")
    assert "09:00" not in _open(office)  # a finished visit still held its time
    statuses = list(appointment.events.values_list("to_status", flat=True))
    assert statuses == ["booked", "confirmed", "arrived", "roomed", "with_provider", "checked_out"]


def test_a_no_show_releases_the_time_and_cannot_come_back(office: Office):
    appointment = office.book(patient(), 9)
    services.set_status(appointment, AppointmentStatus.NO_SHOW, acting_user=office.desk)
    assert "09:00" in _open(office)
    with pytest.raises(InvalidTransition):
        services.set_status(appointment, AppointmentStatus.ARRIVED, acting_user=office.desk)


def test_a_type_needing_a_room_takes_a_free_one_and_refuses_when_none_is(office: Office):
    AppointmentTypeResource.objects.create(appointment_type=office.kind, kind="exam_room")
    exam1 = f.room(office.place, "Exam 1")
    other = f.provider_at(office.place, last_name="Okafor")
    f.session(other, office.place, slot_minutes=20)
    first = office.book(patient("First"), 9)
    assert list(first.resource_uses.values_list("resource_id", flat=True)) == [exam1.pk]
    with pytest.raises(SlotUnavailable, match=r"^No exam room is free at that time\.$"):
        services.book_appointment(
            acting_user=office.desk, patient=patient("Second"), provider=other,
            location=office.place, appointment_type=office.kind, starts_at=office.at(9),
        )  # fmt: skip
    assert Appointment.objects.count() == 1
    assert AppointmentResource.objects.count() == 1


def test_a_cancelled_appointment_gives_its_room_back(office: Office):
    AppointmentTypeResource.objects.create(appointment_type=office.kind, kind="exam_room")
    f.room(office.place, "Exam 1")
    other = f.provider_at(office.place, last_name="Okafor")
    f.session(other, office.place, slot_minutes=20)
    first = office.book(patient("First"), 9)
    services.cancel_appointment(first, acting_user=office.desk, reason="patient")
    found = availability.open_slots(
        provider=other, appointment_type=office.kind, start=MONDAY, end=MONDAY
    )
    assert "09:00" in hours(found, office.place)
    second = services.book_appointment(
        acting_user=office.desk, patient=patient("Second"), provider=other,
        location=office.place, appointment_type=office.kind, starts_at=office.at(9),
    )  # fmt: skip
    assert second.resource_uses.count() == 1


def test_a_type_the_provider_does_not_see_is_refused(office: Office):
    office.kind.providers.add(f.provider_at(office.place))
    with pytest.raises(BookingRefused, match="does not see Follow-up appointments"):
        office.book(patient(), 9)
    assert not AuditEntry.objects.filter(target_type="scheduling.appointment").exists()


def test_booking_is_audited_with_the_patient_not_their_name(office: Office):
    who = patient("Audited")
    appointment = office.book(who, 9)
    entry = AuditEntry.objects.get(action="create", target_type="scheduling.appointment")
    assert (entry.target_id, entry.patient_id, entry.actor_username) == (
        str(appointment.pk), who.pk, "desk",
    )  # fmt: skip
    assert "Audited" not in str(entry.detail)


def test_a_day_long_exception_refuses_bookings_on_a_dst_day():
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place, rrule="FREQ=DAILY")
    sunday = dt.date(2027, 3, 14)
    from medoffice.scheduling.models import ScheduleException

    ScheduleException.objects.create(
        kind="holiday", note="Closed for the change",
        starts_at=f.local(place, sunday, 0), ends_at=f.local(place, sunday + dt.timedelta(1), 0),
    )  # fmt: skip
    desk = make_office().desk
    with pytest.raises(SlotUnavailable, match=r"^The office is closed: Closed for the change\.$"):
        services.book_appointment(
            acting_user=desk, patient=patient(), provider=provider, location=place,
            appointment_type=f.appointment_type(20), starts_at=f.local(place, sunday, 9),
        )  # fmt: skip
