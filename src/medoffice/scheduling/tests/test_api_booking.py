"""Booking through the API: 201 with Location, 409 naming the conflict, 422, roles, retries."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.accounts.choices import Role
from medoffice.audit.models import AuditEntry
from medoffice.core.models import IdempotencyRecord
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import Appointment, AppointmentEvent
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.api_client import (
    PROBLEM,
    SLOT_UNAVAILABLE,
    Api,
    Setting,
    api_for,
    data,
    desk_api,
    make_setting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> Setting:
    return make_setting()


@pytest.fixture
def desk() -> Api:
    return desk_api()


def test_booking_answers_201_with_location_and_the_appointment(desk: Api, setting: Setting):
    # when
    response = desk.call("post", "/api/appointments", setting.booking(9, reason="Cough"))
    # then
    assert response.status_code == 201
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/api/appointments/{appointment.pk}"
    body = data(response)
    assert body["id"] == appointment.pk
    assert (body["status"], body["minutes"], body["reason"], body["overbook"]) == (
        "booked",
        20,
        "Cough",
        False,
    )
    starts_at = dt.datetime.fromisoformat(body["starts_at"])
    assert starts_at == setting.at(9)
    assert starts_at.utcoffset() == setting.at(9).utcoffset()  # the location's own offset
    assert body["patient"] == {
        "id": setting.patient.pk,
        "mrn": setting.patient.mrn,
        "display_name": setting.patient.display_name,
    }
    assert (body["provider"]["id"], body["location"]["id"], body["appointment_type"]["id"]) == (
        setting.provider.pk,
        setting.place.pk,
        setting.kind.pk,
    )
    assert [e["kind"] for e in body["events"]] == ["booked"]
    assert body["events"][0]["by"] == "desk"
    created = AuditEntry.objects.get(action="create", target_type="scheduling.appointment")
    assert (created.actor_username, created.patient_id) == ("desk", setting.patient.pk)


def test_a_taken_slot_answers_409_naming_the_conflict_not_its_patient(desk: Api, setting: Setting):
    # given another patient booked at 9:00
    other = make_patient(last_name="Otherpatient", first_name="Quill")
    taken = f.raw_appointment(other, setting.provider, setting.place, setting.kind, setting.at(9))
    # when our patient asks for 9:10
    response = desk.call("post", "/api/appointments", setting.booking(9, 10))
    # then
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    problem = data(response)
    assert (problem["type"], problem["title"], problem["status"]) == (
        SLOT_UNAVAILABLE,
        "Slot unavailable",
        409,
    )
    assert problem["detail"] == "That time is already booked for this provider."
    assert problem["instance"] == "/api/appointments"
    assert problem["conflicts"] == [
        {
            "id": taken.pk,
            "starts_at": setting.at(9).isoformat(),
            "ends_at": setting.at(9, 20).isoformat(),
            "provider_id": setting.provider.pk,
        }
    ]
    assert b"Otherpatient" not in response.content
    assert b"Quill" not in response.content
    assert Appointment.objects.count() == 1


def test_a_time_outside_the_sessions_is_a_409_without_conflicts(desk: Api, setting: Setting):
    response = desk.call("post", "/api/appointments", setting.booking(14))
    assert response.status_code == 409
    problem = data(response)
    assert problem["type"] == SLOT_UNAVAILABLE
    assert problem["detail"]
    assert problem["conflicts"] == []
    assert Appointment.objects.count() == 0


def test_a_refused_booking_is_a_422_with_the_reason(desk: Api, setting: Setting):
    # given a type only another provider sees
    setting.kind.providers.add(f.provider_at(setting.place))
    # when
    response = desk.call("post", "/api/appointments", setting.booking(9))
    # then
    assert response.status_code == 422
    problem = data(response)
    assert problem["type"] == "https://medoffice.example/problems/booking-refused"
    assert problem["detail"] == (f"{setting.provider} does not see {setting.kind} appointments.")
    assert problem["errors"] == [{"field": "", "message": problem["detail"]}]
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_at": "2026-11-30T09:00:00"}, "starts_at", "Give the UTC offset too"),
        ({"starts_at": "2026-11-30"}, "starts_at", "Write a date and time"),
        ({"starts_at": "2026-11-31T09:00:00-05:00"}, "starts_at", "That is not a valid time"),
        ({"minutes": 4}, "minutes", "greater than or equal to 5"),
        ({"minutes": 481}, "minutes", "less than or equal to 480"),
        ({"reason": "x" * 201}, "reason", "at most 200 characters"),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_invalid_input_names_the_field(
    desk: Api, setting: Setting, change: dict, field: str, message: str
):
    response = desk.call("post", "/api/appointments", setting.booking(9, **change))
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    errors = data(response)["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]
    assert Appointment.objects.count() == 0


def test_unknown_ids_are_named_each(desk: Api, setting: Setting):
    body = setting.booking(9, patient_id=999999, appointment_type_id=888888)
    response = desk.call("post", "/api/appointments", body)
    assert response.status_code == 422
    assert data(response)["errors"] == [
        {"field": "patient_id", "message": "No patient with id 999999."},
        {"field": "appointment_type_id", "message": "No appointment type with id 888888."},
    ]


@pytest.mark.parametrize("role", [Role.BILLING, Role.CLINICAL])
def test_roles_that_do_not_book_are_refused_and_nothing_is_created(setting: Setting, role: str):
    caller = api_for("someone", role)
    response = caller.call("post", "/api/appointments", setting.booking(9), key="k-1")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert Appointment.objects.count() == 0
    assert AppointmentEvent.objects.count() == 0
    assert not AuditEntry.objects.filter(target_type="scheduling.appointment").exists()


def test_without_a_token_nothing_is_created(setting: Setting):
    from django.test import Client

    response = Client().post(
        "/api/appointments", setting.booking(9), content_type="application/json"
    )
    assert response.status_code == 401
    assert Appointment.objects.count() == 0


def test_a_retried_booking_replays_the_first_answer(desk: Api, setting: Setting):
    # given a booking made with a key
    first = desk.call("post", "/api/appointments", setting.booking(9), key="book-1")
    assert first.status_code == 201
    # when the program retries it (its answer was lost)
    again = desk.call("post", "/api/appointments", setting.booking(9), key="book-1")
    # then it gets the same answer and there is still one appointment
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1
    assert (
        AuditEntry.objects.filter(action="create", target_type="scheduling.appointment").count()
        == 1
    )


def test_a_key_reused_for_another_booking_is_a_422(desk: Api, setting: Setting):
    desk.call("post", "/api/appointments", setting.booking(9), key="book-1")
    refused = desk.call("post", "/api/appointments", setting.booking(10), key="book-1")
    assert refused.status_code == 422
    assert data(refused)["detail"] == "This Idempotency-Key was used for a different request."
    assert Appointment.objects.count() == 1


def test_a_retried_409_stays_a_409(desk: Api, setting: Setting):
    # given a booking refused because the slot was taken
    taken = f.raw_appointment(
        make_patient(), setting.provider, setting.place, setting.kind, setting.at(9)
    )
    first = desk.call("post", "/api/appointments", setting.booking(9), key="book-1")
    assert first.status_code == 409
    # when the slot frees and the same request is retried with the same key
    taken.delete()
    again = desk.call("post", "/api/appointments", setting.booking(9), key="book-1")
    # then the stored 409 is replayed, not a new booking
    assert again.status_code == 409
    assert again.content == first.content
    assert Appointment.objects.count() == 0
    assert IdempotencyRecord.objects.get().status_code == 409


def test_an_oversized_key_is_a_400(desk: Api, setting: Setting):
    response = desk.call("post", "/api/appointments", setting.booking(9), key="k" * 256)
    assert response.status_code == 400
    assert Appointment.objects.count() == 0
