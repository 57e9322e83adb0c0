"""Registration, the duplicate warning, editing and the patient page, through the staff UI."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from medoffice.audit.models import AuditEntry
from medoffice.patients.models import EmergencyContact, Patient, PatientAddress, PatientPhone
from medoffice.patients.tests.records_support import (
    clinical_user,
    desk_user,
    make_record,
    management,
    registration_data,
    signed_in,
)

pytestmark = pytest.mark.django_db

REGISTER = "/patients/register/"


@pytest.fixture
def desk(client):
    return signed_in(client, desk_user())


def _error_of(body: str, field_id: str) -> str:
    """The text of the error block rendered next to the field with that id."""
    match = re.search(rf'id="{re.escape(field_id)}_error">(.*?)</div>', body, re.S)
    return re.sub(r"<[^>]+>", " ", match[1]).strip() if match else ""


def test_register_page_starts_on_the_last_name_with_blank_rows(desk):
    # when
    response = desk.get(REGISTER)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<input[^>]*name="last_name"[^>]*autofocus', body)
    assert 'name="phones-TOTAL_FORMS" value="1"' in body
    assert 'name="ssn"' in body
    assert "<script>" not in body
    assert " style=" not in body
    assert "onclick" not in body


def test_register_creates_the_patient_with_its_rows_and_audits_the_fields(desk):
    # when
    response = desk.post(REGISTER, registration_data(ssn="123-45-6789", email="A@Example.com"))
    # then
    patient = Patient.objects.get(last_name="Quillfeather")
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert (patient.first_name, patient.birth_date, patient.email, patient.ssn_last4) == (
        "Avery",
        dt.date(1984, 3, 14),
        "a@example.com",
        "6789",
    )
    phone = PatientPhone.objects.get(patient=patient)
    assert (phone.number, phone.is_primary, phone.sms_consent) == ("+15552017788", True, True)
    address = PatientAddress.objects.get(patient=patient)
    assert (address.city, address.state, address.zip_code) == ("Springfield", "IL", "62701")
    contact = EmergencyContact.objects.get(patient=patient)
    assert (contact.name, contact.phone) == ("Jordan Quillfeather", "+15552017799")
    entry = AuditEntry.objects.get(action="create", patient_id=patient.pk)
    assert {"last_name", "birth_date", "phones", "addresses", "emergency_contacts", "ssn"} <= set(
        entry.fields
    )
    assert "previous_names" not in entry.fields
    page = desk.get(response["Location"])
    assert "Patient registered." in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"phones-0-number": "555-12"}, "id_phones-0-number", "10 digits"),
        ({"addresses-0-zip_code": "1234"}, "id_addresses-0-zip_code", "5 digits"),
        ({"addresses-0-state": "ZZ"}, "id_addresses-0-state", "ZZ is not a US state code"),
        ({"email": "avery@@example"}, "id_email", "valid email"),
        ({"birth_date": "2999-01-01"}, "id_birth_date", "in the future"),
        ({"ssn": "12-345"}, "id_ssn", "nine digits"),
        ({"emergency_contacts-0-phone": "12"}, "id_emergency_contacts-0-phone", "phone"),
    ],
)
def test_each_error_shows_at_its_field_and_keeps_what_was_typed(desk, overrides, field_id, message):
    # given
    before = Patient.objects.count()
    data = registration_data(**overrides)
    # when
    response = desk.post(REGISTER, data)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert message in _error_of(body, field_id)
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', body) or re.search(
        rf'aria-invalid="true"[^>]*id="{field_id}"', body
    )
    typed = next(iter(overrides.values()))
    assert f'value="{typed}"' in body
    assert 'value="Quillfeather"' in body
    assert 'value="12 Elm Street"' in body
    assert "Please correct" in body
    assert Patient.objects.count() == before


def test_missing_required_fields_are_named(desk):
    # when
    response = desk.post(REGISTER, registration_data(last_name="", sex=""))
    # then
    body = response.content.decode()
    assert "Enter the last name." in _error_of(body, "id_last_name")
    assert "Choose the legal sex." in _error_of(body, "id_sex")
    assert Patient.objects.count() == 0


def test_a_row_missing_its_street_says_which_field(desk):
    response = desk.post(REGISTER, registration_data(**{"addresses-0-line1": ""}))
    assert "Street is required." in _error_of(response.content.decode(), "id_addresses-0-line1")


def test_a_removed_row_is_not_saved(desk):
    # given: the second phone row filled in, then removed
    data = registration_data(**{"phones-1-number": "555 201 0000", "phones-1-DELETE": "on"})
    # when
    desk.post(REGISTER, data)
    # then
    patient = Patient.objects.get(last_name="Quillfeather")
    assert list(patient.phones.values_list("number", flat=True)) == ["+15552017788"]


def test_possible_duplicate_blocks_then_acknowledged_registers(desk):
    # given: the same person already on file
    existing = make_record(
        last_name="Quillfeather", first_name="Avery", birth_date=dt.date(1984, 3, 14)
    )
    # when: saved the first time
    first = desk.post(REGISTER, registration_data())
    # then: nothing saved, the candidate listed with its facts and a confirmation box
    body = first.content.decode()
    assert first.status_code == 200
    assert Patient.objects.count() == 1
    assert existing.mrn in body
    assert "Same date of birth" in body
    assert "Similar name" in body
    assert "03/14/1984" in body
    assert f'href="/patients/{existing.pk}/" target="_blank"' in body
    assert f'name="acknowledged_duplicates" value="{existing.pk}"' in body
    shown = AuditEntry.objects.get(action="search", detail__source="registration")
    assert shown.detail["shown"] == [existing.pk]
    assert shown.detail["kinds"] == ["duplicate-check"]
    # when: saved again without ticking the box
    again = desk.post(REGISTER, registration_data())
    assert again.status_code == 200
    assert Patient.objects.count() == 1
    # when: the desk confirms it is a different person
    done = desk.post(REGISTER, registration_data(acknowledged_duplicates=str(existing.pk)))
    # then
    assert done.status_code == 302
    assert Patient.objects.filter(last_name="Quillfeather").count() == 2


def test_acknowledging_a_different_record_does_not_pass(desk):
    existing = make_record(
        last_name="Quillfeather", first_name="Avery", birth_date=dt.date(1984, 3, 14)
    )
    other = make_record()
    response = desk.post(REGISTER, registration_data(acknowledged_duplicates=str(other.pk)))
    assert response.status_code == 200
    assert f'value="{existing.pk}"' in response.content.decode()
    assert Patient.objects.filter(last_name="Quillfeather").count() == 1


def test_live_duplicate_check_returns_the_panel_before_saving(desk):
    # given
    existing = make_record(
        last_name="Marchetti",
        first_name="Lena",
        phones=[{"kind": "home", "number": "555 310 4422"}],
    )
    # when: the desk has typed the name and a phone number only
    response = desk.post(
        reverse("patients:check_duplicates"),
        {"last_name": "Marchetti", "first_name": "Lena", "phones-0-number": "(555) 310-4422"},
        HTTP_HX_REQUEST="true",
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert existing.mrn in body
    assert "Same phone number" in body
    assert "(555) 310-4422" in body
    entry = AuditEntry.objects.get(action="search")
    assert entry.detail["shown"] == [existing.pk]
    assert entry.detail["source"] == "registration"


def test_live_duplicate_check_ignores_what_cannot_be_read(desk):
    make_record(last_name="Marchetti", first_name="Lena")
    response = desk.post(
        reverse("patients:check_duplicates"),
        {"last_name": "Marchetti", "birth_date": "14/14/2000", "phones-0-number": "12"},
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert not AuditEntry.objects.filter(action="search").exists()


def test_live_duplicate_check_is_post_only_and_for_registering_staff(client):
    signed_in(client, clinical_user())
    assert client.post(reverse("patients:check_duplicates"), {"last_name": "X"}).status_code == 403
    signed_in(client, desk_user())
    assert client.get(reverse("patients:check_duplicates")).status_code == 405


def test_clinical_staff_cannot_register_and_nothing_is_created(client):
    signed_in(client, clinical_user())
    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, registration_data()).status_code == 403
    assert Patient.objects.count() == 0


def test_anonymous_visitor_is_sent_to_sign_in(client):
    patient = make_record()
    for url in (REGISTER, f"/patients/{patient.pk}/", f"/patients/{patient.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_guarantor_can_be_another_patient(desk):
    # given
    parent = make_record(last_name="Okafor", first_name="Ngozi")
    data = registration_data(
        last_name="Okafor",
        first_name="Chidi",
        birth_date="2015-06-01",
        guarantor_relationship="mother",
        guarantor_kind="patient",
        guarantor=str(parent.pk),
    )
    # when
    response = desk.post(REGISTER, data)
    # then
    child = Patient.objects.get(first_name="Chidi")
    assert response.status_code == 302
    assert (child.guarantor_id, child.guarantor_relationship) == (parent.pk, "mother")
    assert child.responsible_party_id is None
    page = desk.get(f"/patients/{parent.pk}/").content.decode()
    assert f'href="/patients/{child.pk}/"' in page
    assert "this patient is their mother" in page


def test_guarantor_can_be_a_responsible_party(desk):
    data = registration_data(
        guarantor_relationship="guardian",
        guarantor_kind="party",
        **{
            "party-first_name": "Morgan",
            "party-last_name": "Reyes",
            "party-zip_code": "10001",
            "party-phone": "555 201 3344",
            "party-state": "ny",
        },
    )
    response = desk.post(REGISTER, data)
    patient = Patient.objects.get(last_name="Quillfeather")
    assert response.status_code == 302
    party = patient.responsible_party
    assert (party.first_name, party.phone, party.state) == ("Morgan", "+15552013344", "NY")


def test_responsible_party_errors_show_on_the_sub_form(desk):
    data = registration_data(
        guarantor_relationship="guardian",
        guarantor_kind="party",
        **{"party-first_name": "Morgan", "party-last_name": "Reyes", "party-zip_code": "1"},
    )
    body = desk.post(REGISTER, data).content.decode()
    assert "5 digits" in _error_of(body, "id_party-zip_code")
    assert 'value="Morgan"' in body
    assert Patient.objects.count() == 0


def test_guarantor_required_when_not_self(desk):
    data = registration_data(guarantor_relationship="father", guarantor_kind="patient")
    body = desk.post(REGISTER, data).content.decode()
    assert "Choose the guarantor" in body
    assert Patient.objects.count() == 0


def test_plain_post_pick_fills_the_guarantor_without_saving(desk):
    parent = make_record(last_name="Okafor", first_name="Ngozi")
    data = registration_data(guarantor_relationship="mother", guarantor_pick=str(parent.pk))
    response = desk.post(REGISTER, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="guarantor" value="{parent.pk}"' in body
    assert "Okafor, Ngozi" in body
    assert "Please correct" not in body
    assert Patient.objects.count() == 1


def test_registration_with_empty_rows_only(desk):
    data = registration_data(**management("addresses", 1), **management("emergency_contacts", 1))
    data.update(
        {
            "addresses-0-line1": "",
            "addresses-0-city": "",
            "addresses-0-state": "",
            "addresses-0-zip_code": "",
            "emergency_contacts-0-name": "",
            "emergency_contacts-0-relationship": "",
            "emergency_contacts-0-phone": "",
        }
    )
    assert desk.post(REGISTER, data).status_code == 302
    patient = Patient.objects.get(last_name="Quillfeather")
    assert (patient.addresses.count(), patient.emergency_contacts.count()) == (0, 0)


def test_guarantor_lookup_lists_patients_and_audits_them(desk):
    # given
    parent = make_record(last_name="Okafor", first_name="Ngozi", birth_date=dt.date(1980, 2, 3))
    # when
    response = desk.post(
        reverse("patients:guarantor_lookup"), {"guarantor_query": "okafor ng"}, HTTP_HX_REQUEST="1"
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="guarantor_pick" value="{parent.pk}"' in body
    assert "DOB 02/03/1980" in body
    assert parent.mrn in body
    entry = AuditEntry.objects.get(action="search")
    assert entry.detail["shown"] == [parent.pk]
    assert entry.detail["source"] == "guarantor-lookup"


def test_guarantor_lookup_explains_an_unusable_query(desk):
    response = desk.post(reverse("patients:guarantor_lookup"), {"guarantor_query": "o"})
    assert response.status_code == 200
    assert 'class="muted"' in response.content.decode()
    assert not AuditEntry.objects.filter(action="search").exists()


def test_plain_post_find_shows_hits_inside_the_page(desk):
    parent = make_record(last_name="Okafor", first_name="Ngozi")
    data = registration_data(
        guarantor_relationship="mother", guarantor_find="1", guarantor_query="Okafor"
    )
    body = desk.post(REGISTER, data).content.decode()
    assert f'name="guarantor_pick" value="{parent.pk}"' in body
    assert 'value="Okafor"' in body
    assert "Please correct" not in body
    assert Patient.objects.count() == 1
