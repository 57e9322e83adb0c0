"""The waitlist: a cancellation offers the freed time to the oldest matching entry; accepting
books it (and cancels the later appointment); a time taken meanwhile puts the entry back."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.scheduling import services, waitlist
from medoffice.scheduling.choices import AppointmentStatus, WaitlistStatus
from medoffice.scheduling.errors import BookingRefused, SlotUnavailable
from medoffice.scheduling.models import Appointment, Block, WaitlistEntry
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import pin_now
from medoffice.scheduling.tests.booking_support import MONDAY, NOW, Office, make_office, patient

pytestmark = pytest.mark.django_db
DECEMBER = (dt.date(2026, 11, 1), dt.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, NOW)


@pytest.fixture
def office() -> Office:
    return make_office()


def _wait(office: Office, who: object, **wishes: object) -> WaitlistEntry:
    values: dict[str, object] = {
        "acting_user": office.desk, "patient": who, "appointment_type": office.kind,
        "earliest_date": DECEMBER[0], "latest_date": DECEMBER[1],
    }  # fmt: skip
    values.update(wishes)
    return waitlist.add_to_waitlist(**values)  # type: ignore[arg-type]


def _cancel(office: Office, appointment: Appointment) -> Appointment:
    return services.cancel_appointment(appointment, acting_user=office.desk, reason="patient")


def _status(entry: WaitlistEntry) -> str:
    entry.refresh_from_db()
    return entry.status


def test_a_cancellation_offers_the_time_to_the_oldest_matching_entry(office: Office):
    # given a 9:00 booking and three people waiting
    booked = office.book(patient("Booked"), 9)
    elsewhere = _wait(office, patient("Other"), provider=f.provider_at(office.place))
    oldest = _wait(office, patient("Oldest"), weekdays=[0], earliest_time=dt.time(8))
    younger = _wait(office, patient("Younger"))
    # when the 9:00 is cancelled
    _cancel(office, booked)
    # then the oldest entry that matches gets it, the others keep waiting
    oldest.refresh_from_db()
    assert (oldest.status, oldest.offered_starts_at, oldest.offered_provider_id) == (
        WaitlistStatus.OFFERED, office.at(9), office.marsh.pk,
    )  # fmt: skip
    assert oldest.offered_at is not None
    assert (_status(elsewhere), _status(younger)) == (WaitlistStatus.WAITING,) * 2
    offered = AuditEntry.objects.filter(
        target_type="scheduling.waitlistentry", target_id=str(oldest.pk), action="update"
    ).get()
    assert offered.patient_id == oldest.patient_id


@pytest.mark.parametrize(
    "wishes",
    [
        {"weekdays": [1, 2]},  # the freed time is a Monday
        {"earliest_time": dt.time(10)},
        {"latest_time": dt.time(9)},  # exclusive: 9:00 is too late
        {"earliest_date": MONDAY + dt.timedelta(days=1), "latest_date": DECEMBER[1]},
        {"earliest_date": DECEMBER[0], "latest_date": MONDAY - dt.timedelta(days=1)},
        {"appointment_type": "other"},
        {"location": "other"},
    ],
)
def test_a_cancellation_does_not_offer_the_time_to_an_entry_that_does_not_match(
    office: Office, wishes: dict[str, object]
):
    if wishes.get("appointment_type") == "other":
        wishes["appointment_type"] = f.appointment_type(20)
    if wishes.get("location") == "other":
        wishes["location"] = f.location(name="South")
    entry = _wait(office, patient("Waiting"), **wishes)
    _cancel(office, office.book(patient("Booked"), 9))
    assert _status(entry) == WaitlistStatus.WAITING


def test_the_patient_who_cancels_is_not_offered_their_own_time(office: Office):
    who = patient("Same")
    entry = _wait(office, who)
    _cancel(office, office.book(who, 9))
    assert _status(entry) == WaitlistStatus.WAITING


def test_a_time_later_than_the_patients_current_appointment_is_not_offered(office: Office):
    who = patient("Early")
    current = office.book(who, 8)
    entry = _wait(office, who, current_appointment=current)
    _cancel(office, office.book(patient("Booked"), 9))
    assert _status(entry) == WaitlistStatus.WAITING


def test_a_freed_time_that_is_blocked_meanwhile_is_not_offered(office: Office):
    entry = _wait(office, patient("Waiting"))
    booked = office.book(patient("Booked"), 9)
    Block.objects.create(provider=office.marsh, kind="admin", starts_at=office.at(9),
                         ends_at=office.at(9, 20))  # fmt: skip
    _cancel(office, booked)
    assert _status(entry) == WaitlistStatus.WAITING


def test_accepting_books_the_time_and_cancels_the_later_appointment(office: Office):
    # given a patient booked on Friday who would rather come Monday at 9
    who = patient("Mover")
    friday = office.book(who, 11, day=MONDAY + dt.timedelta(days=4))
    entry = _wait(office, who, current_appointment=friday)
    next_in_line = _wait(office, patient("Next"))
    _cancel(office, office.book(patient("Booked"), 9))
    # when the offer is accepted
    appointment = waitlist.accept_offer(entry, acting_user=office.desk)
    # then Monday 9:00 is theirs and Friday's appointment is cancelled as rescheduled
    assert (appointment.patient_id, appointment.starts_at, appointment.status) == (
        who.pk, office.at(9), AppointmentStatus.BOOKED,
    )  # fmt: skip
    entry.refresh_from_db()
    assert (entry.status, entry.booked_appointment_id) == (WaitlistStatus.BOOKED, appointment.pk)
    friday.refresh_from_db()
    assert (friday.status, friday.cancel_reason) == (AppointmentStatus.CANCELLED, "rescheduled")
    # and Friday's freed time went to the next person waiting
    next_in_line.refresh_from_db()
    assert (next_in_line.status, next_in_line.offered_starts_at) == (
        WaitlistStatus.OFFERED, friday.starts_at,
    )  # fmt: skip


def test_a_time_taken_meanwhile_puts_the_entry_back_to_waiting(office: Office):
    entry = _wait(office, patient("Waiting"))
    _cancel(office, office.book(patient("Booked"), 9))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    taken = office.book(patient("Quick"), 9)  # the desk gave the time to a caller first
    with pytest.raises(SlotUnavailable):
        waitlist.accept_offer(entry, acting_user=office.desk)
    entry.refresh_from_db()
    assert (entry.status, entry.offered_starts_at, entry.offered_provider_id) == (
        WaitlistStatus.WAITING, None, None,
    )  # fmt: skip
    holding = Appointment.objects.filter(starts_at=office.at(9), status=AppointmentStatus.BOOKED)
    assert list(holding) == [taken]


def test_declining_keeps_the_patient_waiting_and_offers_the_time_to_the_next(office: Office):
    first = _wait(office, patient("First"))
    second = _wait(office, patient("Second"))
    _cancel(office, office.book(patient("Booked"), 9))
    offered = waitlist.decline_offer(first, acting_user=office.desk)
    assert offered == second
    assert (_status(first), _status(second)) == (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


def test_accepting_or_declining_without_an_offer_is_refused(office: Office):
    entry = _wait(office, patient("Waiting"))
    with pytest.raises(BookingRefused):
        waitlist.accept_offer(entry, acting_user=office.desk)
    with pytest.raises(BookingRefused):
        waitlist.decline_offer(entry, acting_user=office.desk)
    assert _status(entry) == WaitlistStatus.WAITING
    assert not Appointment.objects.exists()


def test_removing_closes_the_entry_once(office: Office):
    entry = _wait(office, patient("Waiting"))
    waitlist.remove_from_waitlist(entry, acting_user=office.desk, note="Found a time elsewhere")
    entry.refresh_from_db()
    assert (entry.status, entry.note) == (WaitlistStatus.REMOVED, "Found a time elsewhere")
    with pytest.raises(BookingRefused):
        waitlist.remove_from_waitlist(entry, acting_user=office.desk)
    _cancel(office, office.book(patient("Booked"), 9))
    assert _status(entry) == WaitlistStatus.REMOVED


@pytest.mark.parametrize(
    ("wishes", "message"),
    [
        ({"earliest_date": dt.date(2026, 12, 5), "latest_date": dt.date(2026, 12, 1)},
         "The last day comes before the first."),
        ({"earliest_date": dt.date(2026, 10, 1), "latest_date": dt.date(2026, 10, 31)},
         "The last day has already passed."),
        ({"weekdays": [7]}, "Days of the week go from 0 (Monday) to 6 (Sunday)."),
        ({"earliest_time": dt.time(11), "latest_time": dt.time(9)},
         "The latest time comes before the earliest."),
    ],
)  # fmt: skip
def test_wishes_that_make_no_sense_are_refused_and_nothing_is_saved(
    office: Office, wishes: dict[str, object], message: str
):
    with pytest.raises(BookingRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        _wait(office, patient("Waiting"), **wishes)
    assert not WaitlistEntry.objects.exists()


def test_adding_is_audited_with_the_patient(office: Office):
    entry = _wait(office, patient("Waiting"), note="  Mornings best  ")
    assert (entry.status, entry.note, entry.created_by) == (
        WaitlistStatus.WAITING, "Mornings best", office.desk,
    )  # fmt: skip
    created = AuditEntry.objects.get(action="create", target_type="scheduling.waitlistentry")
    assert created.patient_id == entry.patient_id


def test_a_time_freed_by_a_reschedule_can_be_offered_too(office: Office):
    entry = _wait(office, patient("Waiting"))
    moved = office.book(patient("Mover"), 9)
    services.reschedule_appointment(moved, acting_user=office.desk, starts_at=office.at(11))
    offered = waitlist.offer_time(
        provider=office.marsh, location=office.place, appointment_type=office.kind,
        starts_at=office.at(9), acting_user=office.desk, exclude_patient_id=moved.patient_id,
    )  # fmt: skip
    assert offered == entry
    entry.refresh_from_db()
    assert (entry.status, entry.offered_starts_at) == (WaitlistStatus.OFFERED, office.at(9))
    # the time it moved to is taken: offering it to the next person finds nothing to offer
    second = _wait(office, patient("Second"))
    assert waitlist.offer_time(
        provider=office.marsh, location=office.place, appointment_type=office.kind,
        starts_at=office.at(11), acting_user=office.desk,
    ) is None  # fmt: skip
    assert _status(second) == WaitlistStatus.WAITING
