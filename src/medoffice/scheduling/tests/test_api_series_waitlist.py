"""Recurring series and the waitlist through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medoffice.accounts.choices import Role
from medoffice.audit.models import AuditEntry
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import Appointment, AppointmentSeries, WaitlistEntry
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.api_client import (
    SLOT_UNAVAILABLE,
    Api,
    Setting,
    api_for,
    data,
    desk_api,
    make_setting,
)

pytestmark = pytest.mark.django_db

WEEK = dt.timedelta(weeks=1)


@pytest.fixture
def setting() -> Setting:
    return make_setting()


@pytest.fixture
def desk() -> Api:
    return desk_api()


def series_body(setting: Setting, **overrides: Any) -> dict[str, Any]:
    body = {
        "patient_id": setting.patient.pk,
        "provider_id": setting.provider.pk,
        "location_id": setting.place.pk,
        "appointment_type_id": setting.kind.pk,
        "first_starts_at": setting.at(9).isoformat(),
        "rrule": "FREQ=WEEKLY",
        "count": 4,
    }
    body.update(overrides)
    return body


def wish(setting: Setting, patient_id: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "patient_id": patient_id,
        "appointment_type_id": setting.kind.pk,
        "earliest_date": setting.day.isoformat(),
        "latest_date": (setting.day + WEEK).isoformat(),
    }
    body.update(overrides)
    return body


# ---- series ------------------------------------------------------------------------------


def test_a_series_books_the_free_dates_and_lists_the_others(desk: Api, setting: Setting):
    # given the second Monday at 9:00 is taken by another patient
    other = make_patient(last_name="Elsewhere")
    f.raw_appointment(other, setting.provider, setting.place, setting.kind, setting.at(9) + WEEK)
    # when the desk books four weekly visits
    response = desk.call("post", "/api/appointment-series", series_body(setting))
    # then three are booked, one is listed with its reason, nobody else is named
    assert response.status_code == 201
    body = data(response)
    booked = [dt.datetime.fromisoformat(a["starts_at"]) for a in body["booked"]]
    assert booked == [setting.at(9), setting.at(9) + 2 * WEEK, setting.at(9) + 3 * WEEK]
    assert body["conflicts"] == [
        {
            "starts_at": (setting.at(9) + WEEK).isoformat(),
            "detail": "That time is already booked for this provider.",
        }
    ]
    assert b"Elsewhere" not in response.content
    series = AppointmentSeries.objects.get()
    assert body["series"]["id"] == series.pk
    assert Appointment.objects.filter(series=series).count() == 3


def test_a_retried_series_is_booked_once(desk: Api, setting: Setting):
    first = desk.call("post", "/api/appointment-series", series_body(setting), key="series-1")
    again = desk.call("post", "/api/appointment-series", series_body(setting), key="series-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert AppointmentSeries.objects.count() == 1
    assert Appointment.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rrule": "FREQ=HOURLY"}, "", "Give a recurrence such as FREQ=WEEKLY;INTERVAL=8."),
        ({"until": "2027-01-01"}, "count", "Give an end date or a count, not both."),
        ({"count": 0}, "count", "greater than or equal to 1"),
        ({"first_starts_at": "2026-12-07T09:00"}, "first_starts_at", "Give the UTC offset"),
    ],
)
def test_a_wrong_series_is_a_422_and_books_nothing(
    desk: Api, setting: Setting, overrides: dict, field: str, message: str
):
    response = desk.call("post", "/api/appointment-series", series_body(setting, **overrides))
    assert response.status_code == 422
    errors = data(response)["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]
    assert AppointmentSeries.objects.count() == 0
    assert Appointment.objects.count() == 0


def test_billing_cannot_book_a_series(setting: Setting):
    billing = api_for("biller", Role.BILLING)
    response = billing.call("post", "/api/appointment-series", series_body(setting))
    assert response.status_code == 403
    assert AppointmentSeries.objects.count() == 0


# ---- waitlist ----------------------------------------------------------------------------


def test_add_and_list_the_waitlist_audited(desk: Api, setting: Setting):
    # when
    added = desk.call(
        "post", "/api/waitlist", wish(setting, setting.patient.pk, weekdays=[0, 2], note="early")
    )
    # then
    assert added.status_code == 201
    entry = WaitlistEntry.objects.get()
    body = data(added)
    assert (body["id"], body["status"], body["weekdays"], body["note"]) == (
        entry.pk,
        "waiting",
        [0, 2],
        "early",
    )
    assert body["patient"]["id"] == setting.patient.pk
    assert (body["provider"], body["location"]) == (None, None)
    listed = desk.call("get", f"/api/waitlist?patient={setting.patient.pk}")
    assert [e["id"] for e in data(listed)["items"]] == [entry.pk]
    shown = AuditEntry.objects.filter(action="search", target_type="scheduling.waitlistentry").get()
    assert shown.detail["shown"] == [setting.patient.pk]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"weekdays": [7]}, "weekdays.0", "less than or equal to 6"),
        ({"earliest_date": "2026-12-32"}, "earliest_date", "That date does not exist."),
        ({"provider_id": 999999}, "provider_id", "No provider with id 999999."),
        ({"current_appointment_id": 999999}, "current_appointment_id", "No appointment"),
    ],
)
def test_a_wrong_wish_is_a_422(
    desk: Api, setting: Setting, overrides: dict, field: str, message: str
):
    response = desk.call("post", "/api/waitlist", wish(setting, setting.patient.pk, **overrides))
    assert response.status_code == 422
    errors = data(response)["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]
    assert WaitlistEntry.objects.count() == 0


def test_dates_out_of_order_are_refused(desk: Api, setting: Setting):
    body = wish(
        setting,
        setting.patient.pk,
        earliest_date=(setting.day + WEEK).isoformat(),
        latest_date=setting.day.isoformat(),
    )
    response = desk.call("post", "/api/waitlist", body)
    assert response.status_code == 422
    assert data(response)["detail"] == "The last day comes before the first."


def offered_entry(desk: Api, setting: Setting) -> tuple[int, int]:
    """A booked 9:00, a waiting patient, then the 9:00 cancelled: the entry holds an offer."""
    booked = data(desk.call("post", "/api/appointments", setting.booking(9)))["id"]
    waiting = make_patient()
    entry_id = data(desk.call("post", "/api/waitlist", wish(setting, waiting.pk)))["id"]
    cancelled = desk.call("delete", f"/api/appointments/{booked}?reason=patient")
    assert cancelled.status_code == 200
    return entry_id, waiting.pk


def test_a_cancellation_offers_the_slot_and_accepting_books_it(desk: Api, setting: Setting):
    # given a cancellation freed 9:00 for a waiting patient
    entry_id, waiting_id = offered_entry(desk, setting)
    offered = data(desk.call("get", "/api/waitlist?status=offered"))["items"]
    assert [(e["id"], e["offered_provider_id"]) for e in offered] == [
        (entry_id, setting.provider.pk)
    ]
    assert dt.datetime.fromisoformat(offered[0]["offered_starts_at"]) == setting.at(9)
    # when the patient accepts
    accepted = desk.call("post", f"/api/waitlist/{entry_id}/accept")
    # then the slot is hers
    assert accepted.status_code == 201
    body = data(accepted)
    assert accepted["Location"] == f"/api/appointments/{body['id']}"
    assert (body["patient"]["id"], body["status"]) == (waiting_id, "booked")
    assert dt.datetime.fromisoformat(body["starts_at"]) == setting.at(9)
    entry = WaitlistEntry.objects.get(pk=entry_id)
    assert (entry.status, entry.booked_appointment_id) == ("booked", body["id"])


def test_an_offer_taken_meanwhile_is_a_409_and_the_patient_waits_again(desk: Api, setting: Setting):
    entry_id, _ = offered_entry(desk, setting)
    other = f.raw_appointment(
        make_patient(), setting.provider, setting.place, setting.kind, setting.at(9)
    )
    response = desk.call("post", f"/api/waitlist/{entry_id}/accept")
    assert response.status_code == 409
    problem = data(response)
    assert problem["type"] == SLOT_UNAVAILABLE
    assert [c["id"] for c in problem["conflicts"]] == [other.pk]
    assert WaitlistEntry.objects.get(pk=entry_id).status == "waiting"


def test_accepting_without_an_offer_is_a_422(desk: Api, setting: Setting):
    entry_id = data(desk.call("post", "/api/waitlist", wish(setting, setting.patient.pk)))["id"]
    response = desk.call("post", f"/api/waitlist/{entry_id}/accept")
    assert response.status_code == 422
    assert data(response)["detail"] == "This waitlist entry has no open offer."
    assert Appointment.objects.count() == 0


def test_an_unknown_entry_is_a_404(desk: Api):
    response = desk.call("post", "/api/waitlist/31337/accept")
    assert response.status_code == 404
    assert data(response)["detail"] == "No waitlist entry with id 31337."
