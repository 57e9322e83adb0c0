"""Registration and edits through the service: normalization, validation, keys, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from medoffice.audit.models import AuditEntry
from medoffice.core.identifiers import mrn_is_valid
from medoffice.patients import services
from medoffice.patients.errors import PossibleDuplicates
from medoffice.patients.models import Patient, PatientPhone, PatientSearchKey, ResponsibleParty
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_register_normalizes_and_indexes_the_patient():
    # when
    patient = make_patient(
        last_name="  Núñez-O'Brien ",
        first_name="José",
        email="Jose@Example.COM",
        ssn="123-45-6789",
        phones=[{"kind": "mobile", "number": "(555) 201-7788", "sms_consent": True}],
    )
    # then
    patient = Patient.objects.get(pk=patient.pk)
    assert mrn_is_valid(patient.mrn)
    assert patient.last_name == "Núñez-O'Brien"
    assert patient.email == "jose@example.com"
    assert patient.ssn == "123456789"
    assert patient.ssn_masked == "***-**-6789"
    phone = PatientPhone.objects.get(patient=patient)
    assert (phone.number, phone.digits, phone.local_digits, phone.is_primary) == (
        "+15552017788", "5552017788", "2017788", True,
    )  # fmt: skip
    keys = set(PatientSearchKey.objects.filter(patient=patient).values_list("key", flat=True))
    assert {"nunez obrien jose", "obrien jose", "jose nunez obrien"} <= keys
    entry = AuditEntry.objects.filter(action="create", patient_id=patient.pk).get()
    assert {"ssn", "phones"} <= set(entry.fields)
    assert "123" not in str(entry.detail)


def test_ssn_is_encrypted_at_rest():
    patient = make_patient(ssn="123-45-6789")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM patients_patient WHERE id = %s", [patient.pk])
        stored = cursor.fetchone()[0]
    assert "123456789" not in stored
    assert stored.startswith("gAAAA")


def test_mrns_are_consecutive_and_unique():
    first, second = make_patient(), make_patient()
    assert int(second.mrn[:7]) == int(first.mrn[:7]) + 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", dt.date(2999, 1, 1), "in the future"),
        ("birth_date", dt.date(1850, 1, 1), "more than 125 years"),
        ("email", "not-an-email", "valid email"),
        ("ssn", "12-345", "nine digits"),
        ("ssn", "666-12-3456", "cannot have been issued"),
        ("sex", "robot", "not a valid choice"),
    ],
)
def test_register_refuses_bad_values(field, value, message):
    before = Patient.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_patient(**{field: value})
    assert message in " ".join(caught.value.message_dict[field])
    assert Patient.objects.count() == before


def test_bad_phone_is_named_by_its_row():
    with pytest.raises(ValidationError) as caught:
        make_patient(phones=[{"kind": "home", "number": "555-0101"}])
    assert "10 digits" in caught.value.message_dict["phones.0.number"][0]


def test_possible_duplicate_stops_registration_until_acknowledged():
    existing = make_patient(last_name="Smith", first_name="Jonah", birth_date=dt.date(2022, 3, 14))
    with pytest.raises(PossibleDuplicates) as caught:
        make_patient(
            last_name="smith", first_name="Jon", birth_date=dt.date(2022, 3, 14),
            acknowledged_duplicates=(),
        )  # fmt: skip
    assert [c.patient.pk for c in caught.value.candidates] == [existing.pk]
    # when the desk confirms they are different people
    make_patient(
        last_name="Smith", first_name="Jon", birth_date=dt.date(2022, 3, 14),
        acknowledged_duplicates=[existing.pk],
    )  # fmt: skip
    assert Patient.objects.filter(last_name__iexact="smith").count() == 2


def test_update_audits_only_changed_fields_and_rebuilds_keys():
    patient = make_patient(last_name="Lopez", first_name="Maria")
    services.update_patient(
        patient,
        acting_user=None,
        last_name="Smith",
        previous_names=[{"kind": "maiden", "last_name": "Lopez"}],
        email="",
    )
    entry = AuditEntry.objects.filter(action="update", patient_id=patient.pk).get()
    assert entry.fields == ["last_name", "previous_names"]
    keys = set(PatientSearchKey.objects.filter(patient=patient).values_list("key", flat=True))
    assert {"smith maria", "lopez maria"} <= keys


def test_guarantor_may_be_another_patient_or_a_responsible_party():
    mother = make_patient(last_name="Smith", first_name="Alicia")
    child = make_patient(
        last_name="Smith", first_name="Jonah", guarantor_relationship="mother", guarantor=mother
    )
    assert list(mother.dependents.all()) == [child]
    with pytest.raises(ValidationError) as caught:
        make_patient(guarantor_relationship="parent")
    assert "guarantor" in caught.value.message_dict
    other = make_patient(
        guarantor_relationship="father",
        responsible_party={"first_name": "Sam", "last_name": "Lee", "phone": "555 201 9999"},
    )
    assert other.responsible_party.phone == "+15552019999"
    services.update_patient(other, acting_user=None, guarantor_relationship="self")
    assert ResponsibleParty.objects.count() == 0


def test_alerts_are_added_and_resolved_with_audit():
    patient = make_patient()
    alert = services.add_alert(
        patient, acting_user=None, kind="collections", message="Sent to agency"
    )
    services.resolve_alert(alert, acting_user=None)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert (
        AuditEntry.objects.filter(
            patient_id=patient.pk, target_type="patients.patientalert"
        ).count()
        == 2
    )


def test_child_rows_are_checked_before_the_database_sees_them():
    before = Patient.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_patient(
            phones=[{"kind": "work", "number": "555 201 7788", "extension": "12a"}],
            emergency_contacts=[{"name": "Me", "relationship": "self", "phone": "555 201 7789"}],
        )
    errors = caught.value.message_dict
    assert errors["phones.0.extension"] == ["An extension is 1 to 8 digits."]
    assert errors["emergency_contacts.0.relationship"] == [
        "An emergency contact is someone other than the patient."
    ]
    assert Patient.objects.count() == before
