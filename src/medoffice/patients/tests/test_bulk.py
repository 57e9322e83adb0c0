"""Bulk import: the same records as registration, all-or-nothing validation, families, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from medoffice.audit.models import AuditEntry
from medoffice.core import phones
from medoffice.core.identifiers import mrn_is_valid
from medoffice.patients import bulk, bulk_rows, services, validation
from medoffice.patients.models import MrnCounter, Patient, PatientSearchKey
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

SKIP = {"id", "mrn", "created_at", "updated_at", "patient"}


def _row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "last_name": " García-López ",
        "first_name": "Zoë",
        "middle_name": "Inés",
        "preferred_name": "Zo",
        "birth_date": dt.date(1982, 3, 14),
        "sex": "female",
        "email": "Zoe.Garcia@Example.COM",
        "preferred_language": "es",
        "interpreter_needed": True,
        "race": ["2106-3"],
        "ethnicity": "2135-2",
        "ssn": "123-45-6789",
        "preferred_contact_method": "sms",
        "phones": [
            {"kind": "mobile", "number": "(555) 201-7788", "sms_consent": True},
            {"kind": "home", "number": "+15552017700", "voicemail_consent": True},
        ],
        "addresses": [
            {"line1": "12 Elm St", "city": "Riverbend", "state": "ny", "zip_code": "12401"}
        ],
        "emergency_contacts": [
            {"name": "Luis López", "relationship": "spouse", "phone": "555.201.7701"}
        ],
        "previous_names": [{"kind": "maiden", "last_name": "O'Brien", "until": "2010-06-01"}],
    }
    row.update(overrides)
    return row


def _stored(patient_id: int) -> dict[str, Any]:
    patient = Patient.objects.get(pk=patient_id)
    values = {k: v for k, v in model_to_dict(patient).items() if k not in SKIP}
    values["ssn"] = patient.ssn
    for name, (model, _fields) in validation.CHILDREN.items():
        values[name] = [
            {k: v for k, v in model_to_dict(obj).items() if k not in SKIP}
            | {"digits": getattr(obj, "digits", None), "local": getattr(obj, "local_digits", None)}
            for obj in model.objects.filter(patient_id=patient_id).order_by("pk")
        ]
    values["keys"] = sorted(
        PatientSearchKey.objects.filter(patient_id=patient_id).values_list("key", "birth_date")
    )
    return values


def test_bulk_stores_what_registration_stores():
    # given the same row registered one by one
    registered = services.register_patient(acting_user=None, acknowledged_duplicates=True, **_row())
    # when it is imported in bulk
    (imported_id,) = bulk.import_patients([_row()], acting_user=None)
    # then every field, child row, search key and the SSN digest are the same
    imported = Patient.objects.get(pk=imported_id)
    assert _stored(imported_id) == _stored(registered.pk)
    assert imported.ssn_digest == registered.ssn_digest != ""
    assert (imported.ssn, imported.ssn_last4) == ("123456789", "6789")
    assert imported.phones.get(kind="mobile").digits == "5552017788"
    assert imported.phones.get(kind="mobile").local_digits == "2017788"
    assert mrn_is_valid(imported.mrn)
    assert int(imported.mrn[:7]) == int(registered.mrn[:7]) + 1
    assert ("obrien zoe", dt.date(1982, 3, 14)) in _stored(imported_id)["keys"]


def test_a_minimal_row_gets_the_registration_defaults():
    row = {"last_name": "Ng", "first_name": "Al", "birth_date": "2001-02-03", "sex": "male"}
    registered = services.register_patient(acting_user=None, acknowledged_duplicates=True, **row)
    (imported_id,) = bulk.import_patients([row], acting_user=None)
    assert _stored(imported_id) == _stored(registered.pk)
    assert Patient.objects.get(pk=imported_id).birth_date == dt.date(2001, 2, 3)


def test_families_link_to_their_guarantor_in_the_same_import_or_an_existing_one():
    # given a grandparent already registered
    grandma = make_patient(last_name="Smith", first_name="Ruth")
    rows = [
        _row(key="mom", last_name="Smith", first_name="Rachel", ssn=""),
        _row(
            key="kid",
            last_name="Smith",
            first_name="Jonah",
            birth_date=dt.date(2021, 5, 2),
            guarantor_key="mom",
            guarantor_relationship="mother",
            ssn="",
        ),
        _row(last_name="Smith", first_name="Pat", ssn="", guarantor_id=grandma.pk,
             guarantor_relationship="child"),
    ]  # fmt: skip
    # when
    mom_id, kid_id, pat_id = bulk.import_patients(rows, acting_user=None)
    # then
    kid = Patient.objects.get(pk=kid_id)
    assert (kid.guarantor_id, kid.guarantor_relationship) == (mom_id, "mother")
    assert Patient.objects.get(pk=pat_id).guarantor_id == grandma.pk
    assert Patient.objects.get(pk=mom_id).guarantor_id is None
    assert kid.addresses.get().line1 == Patient.objects.get(pk=mom_id).addresses.get().line1


def test_one_bad_row_refuses_the_whole_import():
    # given
    before = (Patient.objects.count(), AuditEntry.objects.count(), MrnCounter.objects.count())
    rows = [_row(), _row(phones=[{"kind": "mobile", "number": "555-12"}]), _row()]
    # when
    with pytest.raises(ValidationError) as refused:
        bulk.import_patients(rows, acting_user=None)
    # then the message names the row and the field, and nothing was written
    assert refused.value.messages == [
        "row 2, phones.0.number: A US phone number has 10 digits: area code and number, "
        "e.g. 555 201 7788."
    ]
    after = (Patient.objects.count(), AuditEntry.objects.count(), MrnCounter.objects.count())
    assert after == before


def test_every_rule_of_registration_is_checked():
    rows = [
        _row(birth_date=dt.date.today() + dt.timedelta(days=3)),
        _row(ssn="666-12-3456", last_name=""),
        _row(addresses=[{"line1": "1 A St", "city": "X", "state": "ZZ", "zip_code": "1240"}]),
        _row(guarantor_key="nobody", guarantor_relationship="mother"),
        _row(guarantor_relationship="mother"),
        _row(sex="robot", email="not-an-email", race=["9999-9"]),
        _row(deceased_date=dt.date(2020, 1, 1)),
        _row(key="a"),
        _row(key="a", mrn="12345678"),
        _row(responsible_party={"first_name": "X"}),
        _row(
            phones=[{"kind": "pager", "number": "(555) 201-7788", "extension": "12a"}],
            emergency_contacts=[{"name": "Me", "relationship": "self", "phone": "5552017701"}],
        ),
    ]
    with pytest.raises(ValidationError) as refused:
        bulk.import_patients(rows, acting_user=None)
    assert refused.value.messages == [
        "row 1, birth_date: The date of birth is in the future.",
        "row 2, last_name: This field cannot be blank.",
        "row 2, ssn: That SSN cannot have been issued; check the digits.",
        "row 3, addresses.0.state: ZZ is not a US state code (e.g. NY).",
        "row 3, addresses.0.zip_code: A ZIP code is 5 digits or ZIP+4 (12345-6789).",
        "row 4, guarantor_key: no row of this import has that key.",
        "row 5, guarantor: Choose the guarantor (a patient) or enter the responsible party.",
        "row 6, sex: Value 'robot' is not a valid choice.",
        "row 6, email: Enter a valid email address.",
        "row 6, race: 9999-9 is not a race code of this list.",
        "row 7, status: Set the status to deceased with a date of death.",
        "row 9, mrn: not a patient field that a bulk import takes.",
        "row 9, key: another row of this import has that key.",
        "row 10, responsible_party: not a patient field that a bulk import takes.",
        "row 11, phones.0.extension: An extension is 1 to 8 digits.",
        "row 11, phones.0.kind: Value 'pager' is not a valid choice.",
        "row 11, emergency_contacts.0.relationship: "
        "An emergency contact is someone other than the patient.",
    ]
    assert not Patient.objects.exists()


def test_guarantor_keys_and_ids_must_exist():
    merged_away = 987654
    rows = [
        _row(guarantor_key="nobody", guarantor_relationship="mother"),
        _row(guarantor_id=merged_away, guarantor_relationship="spouse"),
    ]
    with pytest.raises(ValidationError) as refused:
        bulk.import_patients(rows, acting_user=None)
    assert refused.value.messages == [
        "row 1, guarantor_key: no row of this import has that key.",
        "row 2, guarantor: no such record (or it was merged).",
    ]


def test_one_audit_entry_per_batch_naming_the_ids():
    rows = [_row(first_name=f"Kid{i}", ssn="") for i in range(5)]
    ids = bulk.import_patients(rows, acting_user=None, batch_size=2)
    entries = AuditEntry.objects.filter(target_type="patients.patient").order_by("id")
    assert [(e.action, e.detail) for e in entries] == [
        ("create", {"bulk": 2, "first_id": ids[0], "last_id": ids[1]}),
        ("create", {"bulk": 2, "first_id": ids[2], "last_id": ids[3]}),
        ("create", {"bulk": 1, "first_id": ids[4], "last_id": ids[4]}),
    ]
    assert ids == sorted(ids)
    assert len(set(Patient.objects.filter(pk__in=ids).values_list("mrn", flat=True))) == 5


def test_ids_continue_after_deleted_records_without_reusing_them():
    first = bulk.import_patients([_row(ssn="")], acting_user=None)
    Patient.objects.filter(pk__in=first).delete()
    second = bulk.import_patients([_row(ssn="")], acting_user=None)
    later = Patient.objects.create(
        mrn="12345674", last_name="A", first_name="B", birth_date=dt.date(2000, 1, 1), sex="male"
    )
    assert first[0] < second[0] < later.pk


def test_an_empty_import_writes_nothing():
    assert bulk.import_patients([], acting_user=None) == []
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "text", ["+15552017788", "+12125550100", "(555) 201-7788", "555.201.7788", "+1 555 201 7788"]
)
def test_the_e164_shortcut_gives_what_to_e164_gives(text):
    assert bulk_rows._e164(text) == phones.to_e164(text)


@pytest.mark.parametrize(
    "bad",
    [
        {"birth_date": dt.date.today() + dt.timedelta(days=3)},
        {"ssn": "666-12-3456", "last_name": ""},
        {"addresses": [{"line1": "1 A St", "city": "X", "state": "ZZ", "zip_code": "1240"}]},
        {"sex": "robot", "email": "not-an-email", "race": ["9999-9"]},
        {"deceased_date": dt.date(2020, 1, 1), "first_name": "x" * 101},
        {"phones": [{"kind": "pager", "number": "555-12", "extension": "12a"}]},
        {"emergency_contacts": [{"name": "", "relationship": "self", "phone": ""}]},
        {"guarantor_relationship": "mother"},
    ],
)
def test_a_bad_row_gets_the_messages_registration_gives(bad):
    # given the messages of the service for the same row
    with pytest.raises(ValidationError) as by_service:
        services.register_patient(acting_user=None, **_row(**bad))
    expected = sorted(
        f"{field}: {message}"
        for field, messages in by_service.value.message_dict.items()
        for message in messages
    )
    # when the row is imported in bulk
    with pytest.raises(ValidationError) as by_import:
        bulk.import_patients([_row(**bad)], acting_user=None)
    # then
    assert sorted(m.removeprefix("row 1, ") for m in by_import.value.messages) == expected
