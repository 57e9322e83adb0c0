"""The waitlist page: who waits and who was offered a time, adding a patient, and the desk's
answers (accept books, decline passes the time on, remove ends the wait)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import services, waitlist
from medoffice.scheduling.models import Appointment, WaitlistEntry
from medoffice.scheduling.tests.views_calendar_support import (
    HTMX,
    Office,
    desk_client,
    make_office,
    reads,
    signed_in,
    text_of,
)

pytestmark = pytest.mark.django_db

PAGE = "/schedule/waitlist/"


@pytest.fixture
def office() -> Office:
    return make_office(providers=1)


@pytest.fixture
def desk() -> Client:
    return desk_client()[0]


def wait(office: Office, first_name: str, **wishes: object) -> WaitlistEntry:
    patient = make_patient(first_name=first_name, last_name="Waiting")
    return waitlist.add_to_waitlist(
        acting_user=None, patient=patient, appointment_type=office.kind,
        earliest_date=office.day, latest_date=office.day + dt.timedelta(days=4), **wishes,
    )  # fmt: skip


def offered(office: Office, first_name: str) -> WaitlistEntry:
    """An entry offered the 9:00 a cancellation freed."""
    entry = wait(office, first_name)
    appointment = office.book_raw(9)
    services.cancel_appointment(appointment, acting_user=None, reason="patient")
    entry.refresh_from_db()
    assert entry.status == "offered"
    return entry


def test_the_page_lists_offers_first_then_who_waits_and_audits_the_read(
    desk: Client, office: Office
):
    # given Ada waiting since before Bo was offered a time
    ada = wait(office, "Ada", weekdays=[1, 2], earliest_time=dt.time(9))  # not Mondays
    bo = offered(office, "Bo")
    # when
    response = desk.get(PAGE)
    # then
    text = text_of(response)
    assert response.status_code == 200
    assert text.index("Waiting, Bo") < text.index("Waiting, Ada")
    assert "Offered Mon, " in text
    assert "· 9:00 AM · Avery Adoc0, MD" in text
    assert "Tue, Wed · from 9:00 AM" in text
    [read] = reads("waitlist")
    assert read.detail["shown"] == sorted([ada.patient_id, bo.patient_id])


def test_add_a_patient_to_the_waitlist(desk: Client, office: Office):
    # when
    response = desk.post(
        "/schedule/waitlist/add/",
        {
            "patient": office.patient.pk, "appointment_type": office.kind.pk,
            "earliest_date": office.day, "latest_date": office.day + dt.timedelta(days=14),
            "weekdays": ["1", "3"], "latest_time": "12:00", "note": "Mornings",
        },
    )  # fmt: skip
    # then
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.patient, entry.appointment_type, entry.status) == (
        office.patient, office.kind, "waiting",
    )  # fmt: skip
    assert (entry.weekdays, entry.latest_time, entry.note) == ([1, 3], dt.time(12), "Mornings")
    assert "Smithers, Jonah is on the waitlist." in text_of(desk.get(PAGE))


def test_adding_without_a_patient_is_refused_and_nothing_is_created(desk: Client, office: Office):
    response = desk.post(
        "/schedule/waitlist/add/",
        {"appointment_type": office.kind.pk, "earliest_date": office.day,
         "latest_date": office.day},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Find and choose the patient." in text_of(response)
    assert WaitlistEntry.objects.count() == 0


def test_the_add_form_finds_patients_by_post(desk: Client, office: Office):
    response = desk.post("/schedule/waitlist/patients/", {"q": "smithers jo"}, headers=HTMX)
    html = response.content.decode()
    assert f'id="waitlist-patient-{office.patient.pk}"' in html
    assert 'form="waitlist-form"' in html


def test_from_an_appointment_the_form_is_prefilled(desk: Client, office: Office):
    later = office.book_raw(11)
    response = desk.get(
        PAGE, {"patient": office.patient.pk, "appointment_type": office.kind.pk,
               "appointment": later.pk},
    )  # fmt: skip
    html = response.content.decode()
    assert f'value="{office.patient.pk}" form="waitlist-form" checked' in html
    assert f'name="current_appointment" value="{later.pk}"' in html
    assert f'<option value="{office.kind.pk}" selected>' in html


def test_accepting_an_offer_books_it(desk: Client, office: Office):
    entry = offered(office, "Bo")
    response = desk.post(f"/schedule/waitlist/{entry.pk}/accept/")
    entry.refresh_from_db()
    booked = Appointment.objects.get(patient=entry.patient)
    assert response.status_code == 302
    assert response["Location"] == f"/schedule/appointments/{booked.pk}/"
    assert (booked.starts_at, booked.status) == (office.at(9), "booked")
    assert entry.status == "booked"


def test_declining_passes_the_time_to_the_next_patient(desk: Client, office: Office):
    entry = offered(office, "Bo")
    nextone = wait(office, "Cy")
    response = desk.post(f"/schedule/waitlist/{entry.pk}/decline/", follow=True)
    entry.refresh_from_db()
    nextone.refresh_from_db()
    assert (entry.status, nextone.status) == ("waiting", "offered")
    assert "The time was offered to Waiting, Cy." in text_of(response)


def test_removing_ends_the_wait(desk: Client, office: Office):
    entry = wait(office, "Ada")
    desk.post(f"/schedule/waitlist/{entry.pk}/remove/")
    entry.refresh_from_db()
    assert entry.status == "removed"
    assert "Waiting, Ada" not in text_of(desk.get(PAGE))


def test_billing_sees_the_waitlist_but_cannot_change_it(office: Office):
    client, _ = signed_in(Role.BILLING, "biller")
    entry = wait(office, "Ada")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Add a patient" not in text_of(page)
    assert client.post(f"/schedule/waitlist/{entry.pk}/remove/").status_code == 403
    assert client.post("/schedule/waitlist/add/", {"patient": entry.patient_id}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "waiting"
    assert WaitlistEntry.objects.count() == 1


def test_the_waitlist_reads_a_fixed_number_of_queries(
    desk: Client, office: Office, django_assert_max_num_queries
):
    wait(office, "Ada")
    desk.get(PAGE)
    with django_assert_max_num_queries(100) as few:
        desk.get(PAGE)
    for name in ("Bo", "Cy", "Di", "Ed"):
        wait(office, name, provider=office.provider, location=office.place)
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk.get(PAGE)
