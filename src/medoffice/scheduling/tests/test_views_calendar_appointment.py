"""One appointment: details and history, status buttons that follow the visit's flow and refuse
illegal moves, rescheduling through the slot finder, cancelling with a reason (and the waitlist
offer that follows), permissions and the audit of reads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import services, waitlist
from medoffice.scheduling.models import (
    Appointment,
    AppointmentEvent,
    NoShowModel,
    WaitlistEntry,
)
from medoffice.scheduling.tests.views_calendar_support import (
    HTMX,
    Office,
    desk_client,
    make_office,
    reads,
    signed_in,
    text_of,
)
from medoffice.scheduling.views.calendar_slots import slot_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> Office:
    return make_office(providers=2)


@pytest.fixture
def desk_and_user():
    return desk_client()


@pytest.fixture
def desk(desk_and_user) -> Client:
    return desk_and_user[0]


@pytest.fixture
def booked(office: Office, desk_and_user) -> Appointment:
    return services.book_appointment(
        acting_user=desk_and_user[1], patient=office.patient, provider=office.provider,
        location=office.place, appointment_type=office.kind, starts_at=office.at(9),
        reason="Fever",
    )  # fmt: skip


def url(appointment: Appointment, action: str = "") -> str:
    return f"/schedule/appointments/{appointment.pk}/{action + '/' if action else ''}"


def buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="to" value="(\w+)"', html)


def test_the_detail_shows_who_when_history_and_the_next_steps(desk: Client, booked: Appointment):
    response = desk.get(url(booked), headers=HTMX)
    text = text_of(response)
    assert response.status_code == 200
    assert text.startswith("Smithers, Jonah Mon, ")
    assert "· 9:00 AM · 20 min · Sick visit" in text
    assert "Reason Fever" in text
    assert text.endswith("Booked Robin Sample")  # the history: booked by the desk
    assert buttons(response.content.decode()) == ["confirmed", "arrived", "no_show"]
    assert "Move to another time" in text
    assert "Cancel appointment" in text
    [entry] = reads("appointment")
    assert entry.detail["shown"] == [booked.patient_id]
    assert entry.detail["appointments"] == [booked.pk]


def test_the_detail_shows_the_no_show_risk_and_why(desk: Client, booked: Appointment):
    # given a model in which booking far ahead and Mondays raise the risk, and a scored visit
    NoShowModel.objects.create(
        fitted_at=booked.booked_at, samples=500, base_rate=0.1, intercept=-3.0,
        coefficients={"lead_time": 0.4, "weekday_mon": 0.3, "hour_morning": -0.01},
    )  # fmt: skip
    Appointment.objects.filter(pk=booked.pk).update(no_show_risk="0.32")
    # when
    text = text_of(desk.get(url(booked), headers=HTMX))
    # then the risk is shown with its two reasons that matter, the strongest first
    days = round((booked.starts_at - booked.booked_at).total_seconds() / 86400)
    assert f"No-show risk 32% · lead time {days} days (+); on a Monday (+) Reason" in text


def test_a_visit_without_a_score_shows_no_risk(desk: Client, booked: Appointment):
    html = desk.get(url(booked), headers=HTMX).content.decode()
    assert 'id="appointment-risk"' not in html


def test_status_buttons_follow_the_flow(desk: Client, booked: Appointment):
    # when the desk marks the patient arrived
    response = desk.post(url(booked, "status"), {"to": "arrived"}, headers=HTMX)
    # then
    booked.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "calendar-changed"
    assert booked.status == "arrived"
    assert "Marked arrived." in text_of(response)
    assert buttons(response.content.decode()) == ["roomed", "with_provider"]
    assert "Move to another time" not in text_of(response)
    event = AppointmentEvent.objects.filter(appointment=booked).latest("id")
    assert (event.kind, event.from_status, event.to_status) == ("status", "booked", "arrived")
    assert "Booked → Arrived" in text_of(response)


def test_an_illegal_move_is_refused_and_nothing_changes(desk: Client, booked: Appointment):
    events = AppointmentEvent.objects.count()
    response = desk.post(url(booked, "status"), {"to": "checked_out"}, headers=HTMX)
    booked.refresh_from_db()
    assert response.status_code == 409
    assert "An appointment that is booked cannot become checked out." in text_of(response)
    assert booked.status == "booked"
    assert AppointmentEvent.objects.count() == events


def test_cancel_is_not_a_status_button(desk: Client, booked: Appointment):
    response = desk.post(url(booked, "status"), {"to": "cancelled"}, headers=HTMX)
    booked.refresh_from_db()
    assert response.status_code == 409
    assert booked.status == "booked"


def test_billing_sees_the_appointment_but_cannot_change_it(booked: Appointment):
    client, _ = signed_in(Role.BILLING, "biller")
    page = client.get(url(booked), headers=HTMX)
    assert page.status_code == 200
    assert buttons(page.content.decode()) == []
    assert "Move to another time" not in text_of(page)
    assert client.post(url(booked, "status"), {"to": "arrived"}).status_code == 403
    assert client.post(url(booked, "cancel"), {"reason": "patient"}).status_code == 403
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_clinical_staff_move_the_visit_along(booked: Appointment):
    client, _ = signed_in(Role.CLINICAL, "nurse")
    services.set_status(booked, "arrived", acting_user=None)
    response = client.post(url(booked, "status"), {"to": "roomed"}, headers=HTMX)
    booked.refresh_from_db()
    assert response.status_code == 200
    assert booked.status == "roomed"


def test_reschedule_through_the_slot_finder(desk: Client, office: Office, booked: Appointment):
    # when the desk searches Monday's open slots with the other provider
    search = {"start": office.day, "end": office.day, "providers": [office.providers[1].pk]}
    panel = desk.get(url(booked, "move"), search, headers=HTMX)
    html = panel.content.decode()
    target = slot_value(office.providers[1].pk, office.place.pk, office.at(10, 30))
    assert f'name="slot" value="{target}"' in html
    # and moves it to 10:30 with her
    response = desk.post(
        url(booked, "move"), {**search, "slot": target, "reason": "Mother's request"},
        headers=HTMX,
    )  # fmt: skip
    # then the appointment moved, its history remembers where it was
    booked.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "calendar-changed"
    assert (booked.provider, booked.starts_at, booked.ends_at) == (
        office.providers[1], office.at(10, 30), office.at(10, 50),
    )  # fmt: skip
    text = text_of(response)
    assert "Moved to Mon, " in text
    assert "· 9:00 AM with Avery Adoc0, MD (Mother's request)" in text


def test_a_move_to_a_taken_slot_is_refused_and_nothing_moves(
    desk: Client, office: Office, booked: Appointment
):
    # given 10:30 was just taken
    office.book_raw(10, 30, patient=make_patient(first_name="Quick"))
    target = slot_value(office.provider.pk, office.place.pk, office.at(10, 30))
    # when
    response = desk.post(
        url(booked, "move"), {"slot": target, "start": office.day, "end": office.day},
        headers=HTMX,
    )  # fmt: skip
    # then
    booked.refresh_from_db()
    assert response.status_code == 409
    assert "Not moved. That time is already booked for this provider." in text_of(response)
    assert booked.starts_at == office.at(9)
    assert "Open slots" in text_of(response)  # the finder is shown again, fresh


def test_cancel_needs_a_reason(desk: Client, booked: Appointment):
    response = desk.post(url(booked, "cancel"), {"reason": ""}, headers=HTMX)
    booked.refresh_from_db()
    assert response.status_code == 422
    assert "Choose why the appointment is cancelled." in text_of(response)
    assert booked.status == "booked"


def test_cancel_with_a_reason_and_see_the_waitlist_offer(
    desk: Client, office: Office, booked: Appointment
):
    # given Remy waits for an earlier sick visit that week
    remy = make_patient(first_name="Remy", last_name="Waiting")
    entry = waitlist.add_to_waitlist(
        acting_user=None, patient=remy, appointment_type=office.kind,
        earliest_date=office.day, latest_date=office.day + dt.timedelta(days=4),
    )  # fmt: skip
    # when the desk cancels Jonah's visit: the patient called
    response = desk.post(
        url(booked, "cancel"), {"reason": "patient", "note": "Feeling better"}, headers=HTMX
    )
    # then it is cancelled with its reason, and the panel says Remy was offered the time
    booked.refresh_from_db()
    entry.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "calendar-changed"
    assert (booked.status, booked.cancel_reason, booked.cancel_note) == (
        "cancelled", "patient", "Feeling better",
    )  # fmt: skip
    assert (entry.status, entry.offered_starts_at) == ("offered", office.at(9))
    assert "Offered to Waiting, Remy" in text_of(response)
    [read] = reads("cancelled appointment")
    assert read.detail["shown"] == sorted([booked.patient_id, remy.pk])


def test_cancel_without_anyone_waiting_says_so(desk: Client, booked: Appointment):
    response = desk.post(url(booked, "cancel"), {"reason": "weather"}, headers=HTMX)
    assert "Nobody on the waitlist wanted this time." in text_of(response)
    assert WaitlistEntry.objects.count() == 0


def test_a_cancelled_appointment_cannot_be_cancelled_again(desk: Client, booked: Appointment):
    desk.post(url(booked, "cancel"), {"reason": "patient"}, headers=HTMX)
    again = desk.post(url(booked, "cancel"), {"reason": "provider"}, headers=HTMX)
    booked.refresh_from_db()
    assert again.status_code == 409
    assert "A cancelled appointment cannot be cancelled." in text_of(again)
    assert booked.cancel_reason == "patient"


def test_an_unknown_appointment_is_404(desk: Client):
    assert desk.get("/schedule/appointments/999999/").status_code == 404


def test_the_detail_reads_a_fixed_number_of_queries(
    desk: Client, office: Office, booked: Appointment, django_assert_max_num_queries
):
    # given one move in its history, measured
    services.reschedule_appointment(booked, acting_user=None, starts_at=office.at(8))
    desk.get(url(booked))
    with django_assert_max_num_queries(100) as first:
        desk.get(url(booked))
    # when the history grows (moves with another provider, a status change)
    for hour in (10, 11):
        services.reschedule_appointment(
            booked,
            acting_user=None,
            starts_at=office.at(hour),
            provider=office.providers[hour - 10],
        )
    services.set_status(booked, "confirmed", acting_user=None)
    # then the page reads no more
    with django_assert_max_num_queries(len(first.captured_queries)):
        desk.get(url(booked))


def test_without_javascript_the_appointment_is_a_page_and_actions_redirect(
    desk: Client, booked: Appointment
):
    page = desk.get(url(booked))
    assert page.status_code == 200
    assert 'class="sidenav"' in page.content.decode()
    moved_on = desk.post(url(booked, "status"), {"to": "confirmed"})
    assert moved_on.status_code == 302
    assert moved_on["Location"] == url(booked)
    assert "Marked confirmed." in text_of(desk.get(url(booked)))
