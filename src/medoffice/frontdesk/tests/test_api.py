"""The front-desk API: check in, the board, moving the visit, its timeline, chart prep, excuse
notes with their PDF, follow-ups, wait times; all role-gated and in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.accounts.choices import Role
from medoffice.core.pdf import pdf_text
from medoffice.frontdesk.models import CheckIn, ExcuseNote
from medoffice.frontdesk.tests.factories import make_desk
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.choices import AppointmentStatus as S
from medoffice.scheduling.tests.api_client import Api, api_for, data

pytestmark = pytest.mark.django_db


def _walk_to_provider(api: Api, appointment_id: int) -> None:
    for step in ("roomed", "with_provider"):
        answer = api.call("post", f"/api/desk/visits/{appointment_id}/status", {"to": step})
        assert answer.status_code == 200, answer.content


def test_check_in_board_move_and_timeline():
    desk = make_desk()
    api = Api(desk.user)
    appointment = desk.appointment(hour=8, room=desk.rooms[0])
    made = api.call("post", "/api/desk/check-ins", {"appointment_id": appointment.pk})
    assert made.status_code == 201
    body = data(made)
    assert (body["appointment_id"], body["status"], body["ticket"]) == (
        appointment.pk, "arrived", "A-1",
    )  # fmt: skip
    again = api.call("post", "/api/desk/check-ins", {"appointment_id": appointment.pk})
    assert again.status_code == 409
    assert CheckIn.objects.count() == 1
    board = data(api.call("get", f"/api/desk/board?location={desk.place.pk}"))
    assert [(r["patient_name"], r["status"], r["room"], r["wait_level"]) for r in board] == [
        ("Smithers, Jonah", "arrived", "Exam 1", "ok")
    ]
    _walk_to_provider(api, appointment.pk)
    ready = api.call(
        "post", f"/api/desk/visits/{appointment.pk}/status", {"to": "ready_for_checkout"}
    )
    assert data(ready)["status"] == "ready_for_checkout"
    out = api.call("post", f"/api/desk/visits/{appointment.pk}/status", {"to": "checked_out"})
    assert data(out)["status"] == "checked_out"
    steps = data(api.call("get", f"/api/desk/visits/{appointment.pk}/timeline"))["steps"]
    assert [s["step"] for s in steps if s["at"]] == [
        "booked", "arrived", "roomed", "with_provider", "ready_for_checkout", "checked_out",
    ]  # fmt: skip


def test_the_board_answer_costs_the_same_queries_for_1_or_5_visits():
    desk = make_desk()
    api = Api(desk.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert api.call("get", f"/api/desk/board?location={desk.place.pk}").status_code == 200
        return len(seen.captured_queries)

    def add(first: int, n: int) -> None:
        for i in range(first, first + n):
            patient = make_patient(first_name="Robin", last_name=f"Api{i}")
            hour, minute = divmod(8 * 60 + 20 * i, 60)
            desk.checked_in(desk.appointment(patient, hour, minute, room=desk.rooms[i % 2]))

    add(0, 1)
    count()  # the first call of a token records its use
    one = count()
    add(1, 4)
    assert count() == one


def test_excuse_note_returns_its_id_and_a_pdf_url_that_opens():
    desk = make_desk()
    api = Api(desk.user)
    appointment = desk.appointment(hour=9)
    first, through = desk.today, desk.today + dt.timedelta(days=2)
    made = api.call(
        "post", "/api/desk/excuse-notes",
        {"appointment_id": appointment.pk, "kind": "school",
         "excused_from": first.isoformat(), "excused_through": through.isoformat()},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = data(made)
    assert body["pdf_url"] == f"/api/desk/excuse-notes/{body['id']}/pdf"
    pdf = api.call("get", body["pdf_url"])
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.content).split())
    assert "Jonah Smithers" in text
    assert f"from {first:%m/%d/%Y} through {through:%m/%d/%Y}" in text


def test_excuse_note_with_dates_out_of_order_answers_422_and_keeps_nothing():
    desk = make_desk()
    api = Api(desk.user)
    appointment = desk.appointment(hour=9)
    answer = api.call(
        "post", "/api/desk/excuse-notes",
        {"appointment_id": appointment.pk, "kind": "work",
         "excused_from": desk.today.isoformat(),
         "excused_through": (desk.today - dt.timedelta(days=3)).isoformat()},
    )  # fmt: skip
    assert answer.status_code == 422
    assert [e["field"] for e in data(answer)["errors"]] == ["excused_through"]
    assert ExcuseNote.objects.count() == 0


def test_follow_up_booking_lands_in_the_right_week():
    desk = make_desk()
    api = Api(desk.user)
    appointment = desk.appointment(hour=9)
    made = api.call(
        "post", "/api/desk/follow-ups",
        {"appointment_id": appointment.pk, "interval": 2, "unit": "weeks"},
        key="fu-1",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = data(made)
    week = dt.date.fromisoformat(body["week_starts"])
    starts = dt.datetime.fromisoformat(body["starts_at"]).astimezone(desk.at(0).tzinfo).date()
    assert week <= starts <= week + dt.timedelta(days=6)
    assert dt.date.fromisoformat(body["target_date"]) == desk.today + dt.timedelta(weeks=2)
    replay = api.call(
        "post", "/api/desk/follow-ups",
        {"appointment_id": appointment.pk, "interval": 2, "unit": "weeks"},
        key="fu-1",
    )  # fmt: skip
    assert data(replay)["booked_appointment_id"] == body["booked_appointment_id"]


def test_chart_prep_answer_names_what_is_missing():
    desk = make_desk()
    api = Api(desk.user)
    day = desk.today + dt.timedelta(days=1)
    appointment = desk.appointment(hour=9, day=day)
    body = data(api.call("get", f"/api/desk/chart-prep?location={desk.place.pk}&date={day}"))
    (row,) = body["appointments"]
    assert row["appointment_id"] == appointment.pk
    assert {i["key"] for i in row["items"]} >= {"forms", "demographics", "eligibility"}


def test_wait_report_gives_average_and_p90_per_provider_and_day():
    desk = make_desk()
    manager = api_for("boss", Role.MANAGER)
    appointment = desk.appointment(hour=8)
    desk.checked_in(appointment)
    api = Api(desk.user)
    _walk_to_provider(api, appointment.pk)
    day = desk.today.isoformat()
    lines = data(manager.call("get", f"/api/desk/reports/waits?start={day}&end={day}"))
    assert [(x["provider_name"], x["visits"]) for x in lines] == [("Maya Okafor, MD", 1)]
    assert lines[0]["to_seen_avg"] is not None
    assert api.call("get", f"/api/desk/reports/waits?start={day}&end={day}").status_code == 403


@pytest.mark.parametrize("role", [Role.BILLING, Role.CLINICAL])
def test_other_roles_are_refused_and_nothing_changes(role):
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    api = api_for("other", role)
    answer = api.call("post", "/api/desk/check-ins", {"appointment_id": appointment.pk})
    assert answer.status_code == 403
    assert api.call("get", "/api/desk/board").status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == S.BOOKED


def test_every_desk_operation_is_in_the_openapi_document(client):
    schema = orjson.loads(client.get("/api/openapi.json").content)
    paths = set(schema["paths"])
    assert {
        "/api/desk/check-ins", "/api/desk/board", "/api/desk/visits/{appointment_id}/status",
        "/api/desk/visits/{appointment_id}/timeline", "/api/desk/chart-prep",
        "/api/desk/excuse-notes", "/api/desk/excuse-notes/{note_id}/pdf", "/api/desk/follow-ups",
        "/api/desk/reports/waits",
    } <= paths  # fmt: skip
