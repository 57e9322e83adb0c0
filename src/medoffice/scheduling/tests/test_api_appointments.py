"""Reading, rescheduling, cancelling and moving appointments through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medoffice.accounts.choices import Role
from medoffice.audit.models import AuditEntry
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


def book(desk: Api, setting: Setting, hour: int = 9, minute: int = 0, **extra: Any) -> int:
    response = desk.call("post", "/api/appointments", setting.booking(hour, minute, **extra))
    assert response.status_code == 201, response.content
    return int(data(response)["id"])


def searches() -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action="search", target_type="scheduling.appointment").order_by(
            "id"
        )
    )


# ---- reading -----------------------------------------------------------------------------


def test_the_list_is_filtered_paginated_and_audited(desk: Api, setting: Setting):
    # given three appointments of the patient, and one of another patient elsewhere in time
    ids = [book(desk, setting, 9, m) for m in (0, 20, 40)]
    other = make_patient()
    later = f.raw_appointment(other, setting.provider, setting.place, setting.kind, setting.at(11))
    day = setting.day.isoformat()
    # when the desk lists the patient's appointments that day, two per page
    response = desk.call(
        "get", f"/api/appointments?start={day}&patient={setting.patient.pk}&limit=2"
    )
    # then
    assert response.status_code == 200
    page = data(response)
    assert [a["id"] for a in page["items"]] == ids[:2]
    assert (page["count"], page["previous"]) == (3, None)
    assert page["next"].endswith(f"patient={setting.patient.pk}&limit=2&offset=2")
    shown = searches()[-1]
    assert shown.detail == {
        "shown": [setting.patient.pk],
        "ids": ids[:2],
        "count": 2,
        "source": "api",
    }
    assert shown.actor_username == "desk"
    # and by provider over the day, every patient is listed
    everyone = data(desk.call("get", f"/api/appointments?provider={setting.provider.pk}"))
    assert [a["id"] for a in everyone["items"]] == [*ids, later.pk]


def test_the_list_filters_by_time_window_and_status(desk: Api, setting: Setting):
    first, second = book(desk, setting, 9), book(desk, setting, 10)
    Appointment.objects.filter(pk=second).update(status="confirmed")
    start = setting.at(9, 30).isoformat().replace("+", "%2B")
    end = setting.at(12).isoformat().replace("+", "%2B")
    window = data(desk.call("get", f"/api/appointments?start={start}&end={end}"))
    assert [a["id"] for a in window["items"]] == [second]
    confirmed = data(desk.call("get", "/api/appointments?status=booked"))
    assert [a["id"] for a in confirmed["items"]] == [first]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-12-02&end=2026-12-01", "end"),
        ("start=tomorrow", "start"),
        ("status=lost", "status"),
        ("limit=500", "limit"),
    ],
)
def test_bad_list_filters_are_422(desk: Api, query: str, field: str):
    response = desk.call("get", f"/api/appointments?{query}")
    assert response.status_code == 422
    assert [e["field"] for e in data(response)["errors"]] == [field]
    assert searches() == []


def test_the_list_does_not_grow_queries_with_its_rows(
    desk: Api, setting: Setting, django_assert_max_num_queries: Any
):
    # given a full morning of appointments of different patients
    for n in range(12):
        start = setting.at(8) + dt.timedelta(minutes=20 * n)
        f.raw_appointment(make_patient(), setting.provider, setting.place, setting.kind, start)
    # then one page costs the same 9 queries for 1 row or 50: token (read, last use), roles (2),
    # count, rows, audit append (lock on PostgreSQL, chain head, insert)
    with django_assert_max_num_queries(9):
        response = desk.call("get", "/api/appointments?limit=50")
    assert len(data(response)["items"]) == 12


def test_the_detail_shows_history_and_rooms_and_is_audited(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    response = desk.call("get", f"/api/appointments/{appointment_id}")
    assert response.status_code == 200
    body = data(response)
    assert [e["kind"] for e in body["events"]] == ["booked"]
    assert body["resources"] == []
    read = AuditEntry.objects.get(action="read", target_type="scheduling.appointment")
    assert (read.target_id, read.patient_id) == (str(appointment_id), setting.patient.pk)


def test_the_detail_has_a_fixed_query_count(
    desk: Api, setting: Setting, django_assert_max_num_queries: Any
):
    appointment_id = book(desk, setting, 9)
    desk.call("delete", f"/api/appointments/{appointment_id}?reason=patient")
    # token (2), roles (2), appointment, rooms, events, audit append (3)
    with django_assert_max_num_queries(10):
        response = desk.call("get", f"/api/appointments/{appointment_id}")
    assert len(data(response)["events"]) == 2


def test_an_unknown_appointment_is_a_404(desk: Api):
    response = desk.call("get", "/api/appointments/424242")
    assert response.status_code == 404
    assert data(response)["detail"] == "No appointment with id 424242."


def test_billing_may_read_but_not_change(setting: Setting):
    desk, billing = desk_api(), api_for("biller", Role.BILLING)
    appointment_id = book(desk, setting, 9)
    assert billing.call("get", f"/api/appointments/{appointment_id}").status_code == 200
    moved = setting.at(10).isoformat()
    patch = billing.call("patch", f"/api/appointments/{appointment_id}", {"starts_at": moved})
    cancel = billing.call("delete", f"/api/appointments/{appointment_id}?reason=patient")
    status = billing.call(
        "post", f"/api/appointments/{appointment_id}/status", {"status": "arrived"}
    )
    assert (patch.status_code, cancel.status_code, status.status_code) == (403, 403, 403)
    unchanged = Appointment.objects.get()
    assert (unchanged.starts_at, unchanged.status) == (setting.at(9), "booked")


# ---- rescheduling ------------------------------------------------------------------------


def test_reschedule_moves_it_and_keeps_the_old_time_in_history(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    response = desk.call(
        "patch",
        f"/api/appointments/{appointment_id}",
        {"starts_at": setting.at(10, 30).isoformat(), "minutes": 30, "reason": "patient asked"},
    )
    assert response.status_code == 200
    body = data(response)
    assert dt.datetime.fromisoformat(body["starts_at"]) == setting.at(10, 30)
    assert body["minutes"] == 30
    moved = body["events"][-1]
    assert moved["kind"] == "rescheduled"
    assert dt.datetime.fromisoformat(moved["detail"]["before"]["starts_at"]) == setting.at(9)
    assert moved["detail"]["reason"] == "patient asked"


def test_reschedule_onto_a_taken_time_is_a_409_and_changes_nothing(desk: Api, setting: Setting):
    first, second = book(desk, setting, 9), book(desk, setting, 10)
    response = desk.call(
        "patch", f"/api/appointments/{second}", {"starts_at": setting.at(9, 10).isoformat()}
    )
    assert response.status_code == 409
    problem = data(response)
    assert problem["type"] == SLOT_UNAVAILABLE
    assert [c["id"] for c in problem["conflicts"]] == [first]
    assert Appointment.objects.get(pk=second).starts_at == setting.at(10)
    assert AppointmentEvent.objects.filter(kind="rescheduled").count() == 0


def test_reschedule_needs_something_to_change(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    response = desk.call("patch", f"/api/appointments/{appointment_id}", {"reason": "why not"})
    assert response.status_code == 422
    assert data(response)["errors"][0]["message"] == (
        "Send starts_at, provider_id, location_id, minutes or overbook."
    )


def test_a_cancelled_appointment_cannot_be_rescheduled(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    desk.call("delete", f"/api/appointments/{appointment_id}?reason=patient")
    response = desk.call(
        "patch", f"/api/appointments/{appointment_id}", {"starts_at": setting.at(10).isoformat()}
    )
    assert response.status_code == 409
    problem = data(response)
    assert problem["type"] == "https://medoffice.example/problems/invalid-transition"
    assert problem["detail"] == "A cancelled appointment cannot be rescheduled."


def test_a_retried_reschedule_replays(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    body = {"starts_at": setting.at(10).isoformat()}
    first = desk.call("patch", f"/api/appointments/{appointment_id}", body, key="move-1")
    again = desk.call("patch", f"/api/appointments/{appointment_id}", body, key="move-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert AppointmentEvent.objects.filter(kind="rescheduled").count() == 1


# ---- cancelling and the visit's status ---------------------------------------------------


def test_cancel_with_a_body_keeps_the_appointment_cancelled(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    response = desk.call(
        "delete",
        f"/api/appointments/{appointment_id}",
        {"reason": "weather", "note": "snow"},
    )
    assert response.status_code == 200
    body = data(response)
    assert (body["status"], body["cancel_reason"], body["cancel_note"]) == (
        "cancelled",
        "weather",
        "snow",
    )
    assert body["events"][-1]["kind"] == "cancelled"
    # and the freed time can be booked again
    assert desk.call("post", "/api/appointments", setting.booking(9)).status_code == 201


def test_cancel_with_a_query_reason(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    response = desk.call("delete", f"/api/appointments/{appointment_id}?reason=late_cancel")
    assert response.status_code == 200
    assert Appointment.objects.get().cancel_reason == "late_cancel"


@pytest.mark.parametrize(
    ("query", "body", "field"),
    [
        ("", None, "reason"),
        ("?reason=bored", None, "reason"),
        ("", {"reason": "bored"}, "reason"),
        ("", {"reason": "patient", "extra": 1}, "extra"),
    ],
)
def test_cancel_needs_a_known_reason(
    desk: Api, setting: Setting, query: str, body: Any, field: str
):
    appointment_id = book(desk, setting, 9)
    response = desk.call("delete", f"/api/appointments/{appointment_id}{query}", body)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert [e["field"] for e in data(response)["errors"]] == [field]
    assert Appointment.objects.get().status == "booked"


def test_cancelling_twice_is_a_409(desk: Api, setting: Setting):
    appointment_id = book(desk, setting, 9)
    desk.call("delete", f"/api/appointments/{appointment_id}?reason=patient")
    again = desk.call("delete", f"/api/appointments/{appointment_id}?reason=patient")
    assert again.status_code == 409
    assert data(again)["detail"] == "A cancelled appointment cannot be cancelled."


def test_the_visit_moves_through_its_statuses(setting: Setting):
    desk, clinical = desk_api(), api_for("nurse", Role.CLINICAL)
    appointment_id = book(desk, setting, 9)
    url = f"/api/appointments/{appointment_id}/status"
    for status in ("confirmed", "arrived", "roomed", "with_provider", "checked_out"):
        response = clinical.call("post", url, {"status": status})
        assert response.status_code == 200, status
        assert data(response)["status"] == status
    assert [e.to_status for e in AppointmentEvent.objects.filter(kind="status")] == [
        "confirmed",
        "arrived",
        "roomed",
        "with_provider",
        "checked_out",
    ]


@pytest.mark.parametrize(
    ("status", "detail"),
    [
        ("checked_out", "An appointment that is booked cannot become checked out."),
        ("cancelled", "Cancel with a reason instead."),
    ],
)
def test_a_status_out_of_order_is_a_409(desk: Api, setting: Setting, status: str, detail: str):
    appointment_id = book(desk, setting, 9)
    response = desk.call("post", f"/api/appointments/{appointment_id}/status", {"status": status})
    assert response.status_code == 409
    assert data(response)["detail"] == detail
    assert Appointment.objects.get().status == "booked"
