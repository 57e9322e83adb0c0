"""Booking from the calendar: the slot's panel, finding the patient by POST, the prep
instructions in the patient's language, refusals in plain words with nothing lost, the
first-available finder with one-click booking, and who may book."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.audit.models import AuditEntry
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import Appointment, AppointmentTypeInstruction
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.views_calendar_support import (
    HTMX,
    Office,
    desk_client,
    make_office,
    signed_in,
    text_of,
)
from medoffice.scheduling.views.calendar_links import instant_text

pytestmark = pytest.mark.django_db

BOOK = "/schedule/book/"
PATIENTS = "/schedule/book/patients/"
FIND = "/schedule/find/"


@pytest.fixture
def office() -> Office:
    return make_office(providers=2)


@pytest.fixture
def desk() -> Client:
    return desk_client()[0]


def slot(office: Office, hour: int = 9, minute: int = 0, **extra: object) -> dict[str, object]:
    return {
        "provider": office.provider.pk,
        "location": office.place.pk,
        "start": instant_text(office.at(hour, minute)),
        **extra,
    }


def booking(office: Office, hour: int = 9, minute: int = 0, **extra: object) -> dict[str, object]:
    values = {
        "patient": office.patient.pk, "appointment_type": office.kind.pk, "reason": "Cough",
        "note": "Mother calls back",
    }  # fmt: skip
    return slot(office, hour, minute, **{**values, **extra})


def test_the_booking_panel_names_the_slot_and_the_types_the_provider_sees(
    desk: Client, office: Office
):
    # given a type only another provider sees
    other_only = f.appointment_type(30, name="Stress test")
    other_only.providers.add(office.providers[1])
    # when the desk opens the 9:00 slot
    response = desk.get(BOOK, slot(office), headers=HTMX)
    # then the panel (no page chrome) names the slot and offers the provider's types
    html = response.content.decode()
    assert response.status_code == 200
    assert "<nav" not in html
    assert "Book Mon, " in text_of(response)
    assert "· 9:00 AM Avery Adoc0, MD · " in text_of(response)
    assert f">{office.kind.name} (20 min)</option>" in html
    assert "Stress test" not in html
    assert 'id="book-q"' in html


def test_without_javascript_the_panel_is_a_whole_page(desk: Client, office: Office):
    response = desk.get(BOOK, slot(office))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="sidenav"' in html
    assert 'id="calendar-panel-body"' in html


def test_a_broken_slot_link_says_so(desk: Client, office: Office):
    response = desk.get(BOOK, {"provider": office.provider.pk, "start": "yesterday"}, headers=HTMX)
    assert response.status_code == 400
    assert "This slot link is incomplete or out of date" in text_of(response)


def test_the_patient_search_is_a_post_and_audits_who_was_shown(desk: Client, office: Office):
    # given a second Smithers
    sister = make_patient(first_name="Jolene", last_name="Smithers", birth_date=dt.date(2019, 5, 2))
    # when the desk types "smithers jo"
    response = desk.post(PATIENTS, {"q": "smithers jo"}, headers=HTMX)
    # then both are offered as radios belonging to the booking form
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="patient" value="{office.patient.pk}" form="book-form"' in html
    assert f'name="patient" value="{sister.pk}" form="book-form"' in html
    assert "2 found: choose one." in text_of(response)
    # and the search is audited with the ids shown, never the text typed
    entry = AuditEntry.objects.filter(action="search").latest("id")
    assert sorted(entry.detail["shown"]) == sorted([office.patient.pk, sister.pk])
    assert entry.detail["source"] == "booking"
    assert "smithers" not in str(entry.detail).lower()
    # and a GET is refused: search text never goes in a URL
    assert desk.get(PATIENTS, {"q": "smithers"}).status_code == 405


def test_booking_from_the_panel_creates_the_appointment_and_refreshes_the_boards(
    desk: Client, office: Office
):
    # when
    response = desk.post(BOOK, booking(office), headers=HTMX)
    # then
    assert response.status_code == 200
    assert response["HX-Trigger"] == "calendar-changed"
    appointment = Appointment.objects.get()
    assert (appointment.patient, appointment.provider, appointment.location) == (
        office.patient, office.provider, office.place,
    )  # fmt: skip
    assert appointment.starts_at == office.at(9)
    assert appointment.ends_at == office.at(9, 20)
    assert (appointment.reason, appointment.note, appointment.overbook) == (
        "Cough", "Mother calls back", False,
    )  # fmt: skip
    assert appointment.booked_by.username == "desk"
    assert "Smithers, Jonah is booked Mon, " in text_of(response)
    assert f'href="/schedule/appointments/{appointment.pk}/"' in response.content.decode()


def test_without_javascript_booking_redirects_to_the_appointment(desk: Client, office: Office):
    response = desk.post(BOOK, booking(office))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/schedule/appointments/{appointment.pk}/"


def test_a_taken_slot_is_refused_in_plain_words_and_nothing_is_lost(desk: Client, office: Office):
    # given someone else booked 9:00-9:20 a moment ago
    taken = office.book_raw(9, patient=make_patient(first_name="Quick"))
    # when the desk books 9:10
    response = desk.post(BOOK, booking(office, 9, 10), headers=HTMX)
    # then 409, the reason and the conflict's time (not its patient), everything kept
    text, html = text_of(response), response.content.decode()
    assert response.status_code == 409
    assert "Not booked. That time is already booked for this provider." in text
    assert "Already booked 9:00 AM\N{EN DASH}9:20 AM" in text
    assert "Quick" not in text
    assert f'value="{office.patient.pk}" form="book-form" checked' in html
    assert f'<option value="{office.kind.pk}" selected>' in html
    assert 'value="Cough"' in html
    assert 'value="Mother calls back"' in html
    assert list(Appointment.objects.all()) == [taken]


def test_a_type_the_provider_does_not_see_is_refused_in_plain_words(desk: Client, office: Office):
    # given a type only the second provider sees
    cardiology = f.appointment_type(30, name="Echo")
    cardiology.providers.add(office.providers[1])
    # when the desk books it with the first
    response = desk.post(BOOK, booking(office, appointment_type=cardiology.pk), headers=HTMX)
    # then
    assert response.status_code == 422
    assert "This provider does not see that type of visit; choose another." in text_of(response)
    assert Appointment.objects.count() == 0


def test_a_refused_booking_says_why(desk: Client, office: Office):
    # given the patient is recorded as deceased
    Patient.objects.filter(pk=office.patient.pk).update(
        status="deceased", deceased_date=dt.date(2026, 1, 2)
    )
    # when
    response = desk.post(BOOK, booking(office), headers=HTMX)
    # then the service's reason, in plain words, and nothing booked
    assert response.status_code == 422
    assert "Not booked. The patient is recorded as deceased." in text_of(response)
    assert Appointment.objects.count() == 0


def test_booking_outside_the_session_is_refused_by_the_service(desk: Client, office: Office):
    response = desk.post(BOOK, booking(office, 14), headers=HTMX)
    assert response.status_code == 409
    assert "Not booked." in text_of(response)
    assert Appointment.objects.count() == 0


def test_the_patient_must_be_chosen(desk: Client, office: Office):
    data = booking(office)
    del data["patient"]
    response = desk.post(BOOK, data, headers=HTMX)
    assert response.status_code == 422
    assert "Find and choose the patient." in text_of(response)
    assert Appointment.objects.count() == 0


def test_prep_instructions_come_in_the_patients_language(desk: Client, office: Office):
    # given instructions in English and Spanish, and a patient who prefers Spanish
    AppointmentTypeInstruction.objects.create(
        appointment_type=office.kind, language="en", text="Bring the vaccination card."
    )
    AppointmentTypeInstruction.objects.create(
        appointment_type=office.kind, language="es", text="Traiga la cartilla de vacunación."
    )
    spanish = make_patient(first_name="Lucia", preferred_language="es")
    french = make_patient(first_name="Anais", preferred_language="fr")
    # when the type and the patient are chosen
    for_lucia = desk.get(
        "/schedule/book/prep/", {"appointment_type": office.kind.pk, "patient": spanish.pk}
    )
    for_anais = desk.get(
        "/schedule/book/prep/", {"appointment_type": office.kind.pk, "patient": french.pk}
    )
    # then
    assert "Preparation instructions (Spanish) Traiga la cartilla de vacunación." in text_of(
        for_lucia
    )
    assert (
        "Preparation instructions (English: none in the patient's language) "
        "Bring the vaccination card."
    ) in text_of(for_anais)
    # and the booking confirmation repeats them for the phone call
    done = desk.post(BOOK, booking(office, patient=spanish.pk), headers=HTMX)
    assert "Traiga la cartilla de vacunación." in text_of(done)


def test_an_overbook_can_be_chosen_where_the_session_allows_it(desk: Client, office: Office):
    # given a session allowing one overbook and 9:00 taken
    office.provider.sessions.update(overbook_limit=1)
    office.book_raw(9, patient=make_patient(first_name="Early"))
    panel = desk.get(BOOK, slot(office), headers=HTMX)
    assert "This session allows 1 overbook a day." in text_of(panel)
    # when the desk books 9:00 as an overbook
    response = desk.post(BOOK, booking(office, overbook="on"), headers=HTMX)
    # then
    assert response.status_code == 200
    assert Appointment.objects.filter(overbook=True, patient=office.patient).count() == 1


def test_billing_cannot_book(office: Office):
    client, _ = signed_in(Role.BILLING, "biller")
    assert client.get(BOOK, slot(office)).status_code == 403
    assert client.post(BOOK, booking(office)).status_code == 403
    assert client.post(PATIENTS, {"q": "smithers"}).status_code == 403
    assert Appointment.objects.count() == 0


def test_first_available_lists_the_earliest_slots_across_providers(desk: Client, office: Office):
    # given the first provider's Monday 8:00 taken
    office.book_raw(8)
    # when the desk searches that Monday
    response = desk.get(
        FIND,
        {"appointment_type": office.kind.pk, "start": office.day, "end": office.day},
        headers={**HTMX, "HX-Target": "find-results"},
    )
    # then the earliest open slots, by time, each with a booking link carrying the type
    text, html = text_of(response), response.content.decode()
    assert response.status_code == 200
    assert text.startswith("First open slots")
    assert "8:00 AM Avery Bdoc1, MD" in text
    assert "8:00 AM Avery Adoc0, MD" not in text
    assert f"appointment_type={office.kind.pk}" in html
    assert html.count('class="btn btn-primary" href="/schedule/book/?') == 12


def test_first_available_with_a_patient_books_in_one_click(desk: Client, office: Office):
    # given the finder opened for Jonah, mornings only, Mondays only
    query = {
        "appointment_type": office.kind.pk, "start": office.day, "end": office.day + dt.timedelta(
            days=6), "weekdays": [0], "part": "morning", "patient": office.patient.pk,
        "providers": [office.providers[1].pk],
    }  # fmt: skip
    response = desk.get(FIND, query, headers=HTMX)
    html = response.content.decode()
    assert "For Smithers, Jonah (4 y)" in text_of(response)
    assert "for Jonah" in text_of(response)
    assert "Avery Adoc0" not in text_of(response).split("First open slots")[1]
    # when the desk clicks the first "Book ... for Jonah"
    form = html[html.index('<form method="post" action="/schedule/book/"') :]
    form = form[: form.index("</form>")]
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    booked = desk.post(BOOK, values, headers=HTMX)
    # then the appointment exists for Jonah with the second provider at 8:00 on Monday
    assert booked.status_code == 200
    appointment = Appointment.objects.get()
    assert (appointment.patient, appointment.provider) == (office.patient, office.providers[1])
    assert appointment.starts_at == office.at(8)


def test_the_finder_explains_a_bad_search(desk: Client, office: Office):
    response = desk.get(
        FIND,
        {"appointment_type": office.kind.pk, "start": office.day, "end": office.day - dt.timedelta(
            days=1)},
        headers={**HTMX, "HX-Target": "find-results"},
    )  # fmt: skip
    assert "Check the search. To: The last day comes before the first." in text_of(response)


def test_without_javascript_the_finder_is_a_page_keeping_the_providers_chosen(
    desk: Client, office: Office
):
    response = desk.get(FIND, {"providers": office.providers[1].pk, "location": office.place.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="sidenav"' in html
    assert f'value="{office.providers[1].pk}" id="id_providers_1" checked' in html
