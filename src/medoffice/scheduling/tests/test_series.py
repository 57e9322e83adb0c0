"""Recurring series: any interval, with or without an end, conflicts listed not fatal, one
occurrence cancelled alone, a series ended from a day on."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.scheduling import series
from medoffice.scheduling.choices import AppointmentStatus
from medoffice.scheduling.errors import BookingRefused
from medoffice.scheduling.models import Appointment, AppointmentSeries, Block
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.availability_support import pin_now
from medoffice.scheduling.tests.booking_support import MONDAY, NOW, Office, make_office, patient

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_now(monkeypatch, NOW)


@pytest.fixture
def office() -> Office:
    return make_office()


def _book(office: Office, rrule: str, **options: object) -> series.SeriesResult:
    values: dict[str, object] = {
        "acting_user": office.desk, "patient": options.pop("patient", None) or patient(),
        "provider": office.marsh, "location": office.place, "appointment_type": office.kind,
        "first_starts_at": office.at(9), "rrule": rrule, "reason": "Blood pressure check",
    }  # fmt: skip
    values.update(options)
    return series.book_series(**values)  # type: ignore[arg-type]


def _local(found: list[Appointment]) -> list[str]:
    return [f"{a.starts_at.astimezone(NY):%Y-%m-%d %H:%M}" for a in found]


def test_every_8_weeks_until_a_date_keeps_the_local_time_across_daylight_saving(office: Office):
    result = _book(office, "FREQ=WEEKLY;INTERVAL=8", until=dt.date(2027, 6, 30))
    assert _local(result.booked) == [
        "2026-11-30 09:00", "2027-01-25 09:00", "2027-03-22 09:00", "2027-05-17 09:00",
    ]  # fmt: skip
    # 09:00 EST is 14:00 UTC, 09:00 EDT is 13:00 UTC
    assert [a.starts_at.astimezone(dt.UTC).hour for a in result.booked] == [14, 14, 13, 13]
    assert result.conflicts == []
    assert {a.series_id for a in result.booked} == {result.series.pk}
    assert (result.series.rrule, result.series.first_starts_at) == (
        "FREQ=WEEKLY;INTERVAL=8", office.at(9),
    )  # fmt: skip
    assert {a.reason for a in result.booked} == {"Blood pressure check"}


def test_a_count_limits_the_series(office: Office):
    result = _book(office, "FREQ=WEEKLY;BYDAY=MO,WE", count=3)
    assert _local(result.booked) == ["2026-11-30 09:00", "2026-12-02 09:00", "2026-12-07 09:00"]


def test_a_series_without_an_end_is_booked_twelve_months_ahead(office: Office):
    result = _book(office, "FREQ=WEEKLY;INTERVAL=8")
    last = result.booked[-1].starts_at.astimezone(NY).date()
    assert len(result.booked) == 7  # weeks 0, 8, ..., 48 of the next 365 days
    assert last == MONDAY + dt.timedelta(weeks=48)
    assert last <= MONDAY + dt.timedelta(days=series.HORIZON_DAYS)


def test_conflicts_are_listed_and_the_free_dates_still_booked(office: Office):
    # given the 2nd date taken by someone else, and the 3rd blocked
    office.book(patient("Other"), 9, day=MONDAY + dt.timedelta(weeks=1))
    third = MONDAY + dt.timedelta(weeks=2)
    Block.objects.create(
        provider=office.marsh, kind="training", title="EHR training",
        starts_at=office.at(8, day=third), ends_at=office.at(12, day=third),
    )  # fmt: skip
    # when
    result = _book(office, "FREQ=WEEKLY", count=4)
    # then
    assert _local(result.booked) == ["2026-11-30 09:00", "2026-12-21 09:00"]
    assert result.conflicts == [
        (office.at(9, day=MONDAY + dt.timedelta(weeks=1)),
         "That time is already booked for this provider."),
        (office.at(9, day=third), "Blocked: EHR training."),
    ]  # fmt: skip
    created = AuditEntry.objects.get(action="create", target_type="scheduling.appointmentseries")
    assert created.detail == {"booked": 2, "conflicts": 2}


def test_a_refusal_that_is_not_about_time_refuses_the_whole_series(office: Office):
    office.kind.providers.add(f.provider_at(office.place))
    with pytest.raises(BookingRefused):
        _book(office, "FREQ=WEEKLY", count=3)
    assert not AppointmentSeries.objects.exists()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("rrule", "options", "message"),
    [
        ("WEEKLY", {}, "Give a recurrence such as FREQ=WEEKLY;INTERVAL=8."),
        ("FREQ=WEEKLY", {"count": 0}, "A series has at least one appointment."),
        ("FREQ=WEEKLY", {"until": MONDAY - dt.timedelta(days=1)},
         "The series would end before its first appointment."),
        ("FREQ=DAILY", {}, "Book at most 260 appointments in one series."),
    ],
)  # fmt: skip
def test_impossible_series_are_refused_and_nothing_is_saved(
    office: Office, rrule: str, options: dict[str, object], message: str
):
    with pytest.raises(BookingRefused, match=message.replace(".", r"\.")):
        _book(office, rrule, **options)
    assert not AppointmentSeries.objects.exists()


def test_cancelling_one_occurrence_leaves_the_others_booked(office: Office):
    result = _book(office, "FREQ=WEEKLY", count=3)
    middle = result.booked[1]
    series.cancel_occurrence(middle, acting_user=office.desk, reason="patient")
    statuses = list(
        Appointment.objects.filter(series=result.series).order_by("starts_at")
        .values_list("status", flat=True)
    )  # fmt: skip
    assert statuses == [AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED,
                        AppointmentStatus.BOOKED]  # fmt: skip
    assert AppointmentSeries.objects.filter(pk=result.series.pk).exists()


def test_cancelling_from_a_day_on_ends_the_series_there(office: Office):
    result = _book(office, "FREQ=WEEKLY", count=4)
    first = result.booked[0]
    from medoffice.scheduling import services

    services.set_status(first, AppointmentStatus.CONFIRMED, acting_user=office.desk)
    cancelled = series.cancel_series_from(
        result.series, MONDAY + dt.timedelta(weeks=2), acting_user=office.desk, reason="provider"
    )
    assert _local(cancelled) == ["2026-12-14 09:00", "2026-12-21 09:00"]
    statuses = list(
        Appointment.objects.filter(series=result.series).order_by("starts_at")
        .values_list("status", "cancel_reason")
    )  # fmt: skip
    assert statuses == [
        (AppointmentStatus.CONFIRMED, ""), (AppointmentStatus.BOOKED, ""),
        (AppointmentStatus.CANCELLED, "provider"), (AppointmentStatus.CANCELLED, "provider"),
    ]  # fmt: skip


def test_cancelling_a_series_with_a_bad_reason_changes_nothing(office: Office):
    result = _book(office, "FREQ=WEEKLY", count=2)
    with pytest.raises(BookingRefused):
        series.cancel_series_from(result.series, MONDAY, acting_user=office.desk, reason="bored")
    assert set(Appointment.objects.values_list("status", flat=True)) == {AppointmentStatus.BOOKED}
