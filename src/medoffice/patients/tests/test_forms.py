"""The registration / edit forms: what they hand the service and where its errors land."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from medoffice.patients import queries
from medoffice.patients.forms import DuplicateProbeForm, parse_ids
from medoffice.patients.forms_page import PatientForms
from medoffice.patients.tests.records_support import (
    make_record,
    page_data,
    registration_data,
)

pytestmark = pytest.mark.django_db


def _valid(data) -> PatientForms:
    forms = PatientForms(data)
    assert forms.is_valid(), forms.error_summary()
    return forms


def test_service_arguments_from_a_registration():
    # given: a blank extra phone row and a blank previous-name row, as the page sends them
    kwargs = _valid(registration_data(race=["2106-3"])).service_kwargs()
    # then
    assert kwargs["last_name"] == "Quillfeather"
    assert kwargs["birth_date"] == dt.date(1984, 3, 14)
    assert kwargs["race"] == ["2106-3"]
    assert kwargs["ssn"] == ""
    assert kwargs["guarantor"] is None
    assert kwargs["responsible_party"] is None
    assert kwargs["phones"] == [
        {
            "kind": "mobile",
            "number": "(555) 201-7788",
            "extension": "",
            "is_primary": False,
            "sms_consent": True,
            "voicemail_consent": False,
        },
    ]
    assert kwargs["previous_names"] == []
    assert "status" not in kwargs
    assert "deceased_date" not in kwargs


def test_dates_typed_the_american_way_are_read():
    kwargs = _valid(registration_data(birth_date="03/14/1984")).service_kwargs()
    assert kwargs["birth_date"] == dt.date(1984, 3, 14)


def test_service_errors_land_on_the_row_the_desk_typed():
    # given: the first phone row removed, so the service's row 0 is the page's row 1
    data = registration_data(**{"phones-0-DELETE": "on", "phones-1-number": "555 1"})
    forms = _valid(data)
    kwargs = forms.service_kwargs()
    assert [row["number"] for row in kwargs["phones"]] == ["555 1"]
    # when
    forms.apply_errors(
        ValidationError(
            {
                "phones.0.number": ["Bad number."],
                "phones": ["Mark only one as primary."],
                "responsible_party.zip_code": ["Bad ZIP."],
                "ssn": ["Bad SSN."],
                "mrn": ["Something internal."],
            }
        )
    )
    # then
    phone_forms = forms.formsets["phones"].forms
    assert phone_forms[1].errors["number"] == ["Bad number."]
    assert "number" not in phone_forms[0].errors
    assert forms.formsets["phones"].non_form_errors() == ["Mark only one as primary."]
    assert forms.party.errors["zip_code"] == ["Bad ZIP."]
    assert forms.patient.errors["ssn"] == ["Bad SSN."]
    assert forms.patient.non_field_errors() == ["Something internal."]
    labels = [(item["label"], item["anchor"]) for item in forms.error_summary()]
    assert ("Phone 2 Number", "id_phones-1-number") in labels
    assert ("Guarantor ZIP code", "id_party-zip_code") in labels


def test_a_message_without_field_goes_on_top():
    forms = _valid(registration_data())
    forms.service_kwargs()
    forms.apply_errors(ValidationError("This record was merged into another."))
    assert forms.patient.non_field_errors() == ["This record was merged into another."]


def test_generic_django_messages_name_the_field():
    forms = _valid(registration_data())
    forms.service_kwargs()
    forms.apply_errors(
        ValidationError({"emergency_contacts.0.relationship": ["This field cannot be blank."]})
    )
    contact = forms.formsets["emergency_contacts"].forms[0]
    assert contact.errors["relationship"] == ["Relationship is required."]


def test_party_counts_only_when_chosen():
    data = registration_data(
        guarantor_relationship="self", guarantor_kind="party", **{"party-birth_date": "not a date"}
    )
    assert _valid(data).service_kwargs()["responsible_party"] is None
    data["guarantor_relationship"] = "guardian"
    assert not PatientForms(data).is_valid()


def test_edit_form_round_trips_the_record_and_keeps_row_ids():
    patient = make_record(ssn="321-54-9876", phones=[{"kind": "home", "number": "555 201 4455"}])
    data = page_data(PatientForms(patient=queries.get_patient(patient.pk)))
    forms = PatientForms(data, patient=patient)
    assert forms.is_valid(), forms.error_summary()
    kwargs = forms.service_kwargs()
    assert kwargs["ssn"] is None  # blank keeps the SSN on file
    assert kwargs["phones"][0]["id"] == patient.phones.get().pk
    assert kwargs["phones"][0]["number"] == "(555) 201-4455"
    assert kwargs["status"] == "active"


@pytest.mark.parametrize(
    ("typed", "remove", "expected"),
    [("", False, None), ("", True, ""), ("234-56-7890", False, "234-56-7890")],
)
def test_edit_ssn_keep_remove_or_replace(typed, remove, expected):
    patient = make_record(ssn="321-54-9876")
    data = page_data(PatientForms(patient=queries.get_patient(patient.pk)))
    data["ssn"] = typed
    if remove:
        data["remove_ssn"] = "on"
    forms = PatientForms(data, patient=patient)
    assert forms.is_valid()
    assert forms.service_kwargs()["ssn"] == expected


def test_edit_form_hides_remove_ssn_when_there_is_none():
    patient = make_record()
    forms = PatientForms(patient=patient)
    assert forms.patient.fields["remove_ssn"].widget.is_hidden


def test_inactive_provider_stays_selectable_only_for_its_patients():
    from medoffice.practice.tests.factories import ProviderFactory

    retired = ProviderFactory(active=False)
    patient = make_record(primary_care_provider=retired)
    assert retired in PatientForms(patient=patient).patient.fields["primary_care_provider"].queryset
    assert retired not in PatientForms().patient.fields["primary_care_provider"].queryset


def test_parse_ids():
    assert parse_ids(["12,15", "3", "x,,7;"]) == [3, 12, 15]
    assert parse_ids([]) == []


def test_duplicate_probe_reads_phones_and_skips_junk():
    probe = DuplicateProbeForm(
        {
            "last_name": "Marchetti",
            "first_name": "Lena",
            "birth_date": "31/31/2000",
            "phones-0-number": "(555) 310-4422",
            "phones-1-number": "12",
            "phones-2-number": "555 310 9999",
            "phones-2-DELETE": "on",
            "other": "x",
        }
    )
    person = probe.person()
    assert person is not None
    assert (person.last, person.first, person.birth_date) == ("Marchetti", "Lena", None)
    assert person.phones == frozenset({"5553104422"})


def test_duplicate_probe_without_date_or_phone_has_nothing_to_compare():
    assert DuplicateProbeForm({"last_name": "Marchetti"}).person() is None
