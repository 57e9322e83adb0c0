"""The patient page (audited, fixed query count) and the edit page (audited field changes)."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.patients import queries, services
from medoffice.patients.forms_page import PatientForms
from medoffice.patients.models import Patient, ResponsibleParty
from medoffice.patients.tests.records_support import (
    clinical_user,
    desk_user,
    make_record,
    page_data,
    signed_in,
)
from medoffice.practice.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    return signed_in(client, desk_user())


def _full_patient(**overrides):
    values = {
        "last_name": "Quillfeather",
        "first_name": "Avery",
        "middle_name": "Jo",
        "birth_date": dt.date(1984, 3, 14),
        "ssn": "123-45-6789",
        "race": ["2106-3", "2028-9"],
        "phones": [
            {"kind": "mobile", "number": "555 201 7788", "is_primary": True},
            {"kind": "work", "number": "555 201 7700", "extension": "12"},
        ],
        "addresses": [
            {"line1": "12 Elm Street", "city": "Springfield", "state": "IL", "zip_code": "62701"}
        ],
        "emergency_contacts": [
            {"name": "Jordan Quillfeather", "relationship": "spouse", "phone": "555 201 7799"}
        ],
        "previous_names": [{"kind": "maiden", "last_name": "Brightwater"}],
    }
    values.update(overrides)
    return make_record(**values)


def test_patient_page_shows_the_record_and_audits_the_read(desk):
    # given
    provider = ProviderFactory(first_name="Imani", last_name="Okoro")
    patient = _full_patient(primary_care_provider=provider)
    # when
    response = desk.get(f"/patients/{patient.pk}/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Quillfeather, Avery J.",
        "03/14/1984",
        patient.mrn,
        "(555) 201-7788",
        "(555) 201-7700 ext. 12",
        "12 Elm Street",
        "Springfield, IL 62701",
        "Jordan Quillfeather",
        "Brightwater",
        "Imani Okoro, MD",
        "White, Asian",
        "***-**-6789",
        "The patient is their own guarantor.",
    ):
        assert text in body, text
    assert "123-45-6789" not in body
    assert "123456789" not in body
    assert "Quillfeather" not in body.split("<title>")[1].split("</title>")[0]
    read = AuditEntry.objects.get(action="read", patient_id=patient.pk)
    assert read.detail == {"what": "chart"}


def test_patient_page_runs_the_same_queries_however_full_the_record(
    desk, django_assert_max_num_queries
):
    # given: a sparse record and a full one (rows, dependents, alerts)
    sparse = make_record()
    full = _full_patient()
    for n in range(3):
        make_record(first_name=f"Kid{n}", guarantor_relationship="mother", guarantor=full)
        services.add_alert(full, acting_user=None, kind="other", message=f"Note {n}")
    desk.get(f"/patients/{sparse.pk}/")  # warm the permission cache of the session

    def count(patient):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert desk.get(f"/patients/{patient.pk}/").status_code == 200
        return len(ctx.captured_queries)

    # when / then
    assert count(full) == count(sparse)
    with django_assert_max_num_queries(24):  # 22 today; room for the merge actions
        desk.get(f"/patients/{full.pk}/")


def test_family_and_guarantor_links(desk):
    parent = make_record(last_name="Okafor", first_name="Ngozi")
    child = make_record(
        last_name="Okafor", first_name="Chidi", guarantor_relationship="mother", guarantor=parent
    )
    body = desk.get(f"/patients/{child.pk}/").content.decode()
    assert f'href="/patients/{parent.pk}/">Okafor, Ngozi</a>' in body
    assert "the patient's mother, MRN" in body


def test_merged_record_says_where_it_went(desk):
    kept = make_record(last_name="Vantongeren", first_name="Iris")
    merged = make_record(last_name="Vantongeren", first_name="Iris")
    Patient.objects.filter(pk=merged.pk).update(status="merged", merged_into=kept)
    body = desk.get(f"/patients/{merged.pk}/").content.decode()
    assert f"merged into Vantongeren, Iris (MRN {kept.mrn})" in body
    assert f'href="/patients/{kept.pk}/">open Vantongeren, Iris</a>' in body
    assert f'href="/patients/{merged.pk}/edit/"' not in body
    edit = desk.get(f"/patients/{merged.pk}/edit/")
    assert edit.status_code == 302
    assert edit["Location"] == f"/patients/{merged.pk}/"


def test_unknown_patient_is_404(desk):
    assert desk.get("/patients/999999/").status_code == 404
    assert desk.get("/patients/999999/edit/").status_code == 404


def test_edit_page_is_prefilled_without_the_ssn_and_audited(desk):
    patient = _full_patient()
    body = desk.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert 'value="Quillfeather"' in body
    assert 'value="1984-03-14"' in body
    assert 'value="(555) 201-7788"' in body
    assert 'name="phones-0-id" value="' in body
    assert "On file: ***-**-6789. Leave blank to keep it." in body
    assert "123-45-6789" not in body
    assert "123456789" not in body
    assert AuditEntry.objects.get(action="read", patient_id=patient.pk).detail == {
        "what": "edit form"
    }


def _page(patient):
    return page_data(PatientForms(patient=queries.get_patient(patient.pk)))


def test_saving_the_edit_page_unchanged_changes_nothing(desk):
    patient = _full_patient()
    response = desk.post(f"/patients/{patient.pk}/edit/", _page(patient))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="update", patient_id=patient.pk).exists()
    assert Patient.objects.get(pk=patient.pk).ssn_last4 == "6789"


def test_edit_saves_and_audits_the_changed_fields(desk):
    # given
    patient = _full_patient()
    data = _page(patient)
    data.update({"first_name": "Averie", "phones-1-number": "555 201 7701", "phones-0-DELETE": ""})
    # when
    response = desk.post(f"/patients/{patient.pk}/edit/", data)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"
    saved = Patient.objects.get(pk=patient.pk)
    assert saved.first_name == "Averie"
    assert sorted(saved.phones.values_list("number", flat=True)) == [
        "+15552017701",
        "+15552017788",
    ]
    entry = AuditEntry.objects.get(action="update", patient_id=patient.pk)
    assert sorted(entry.fields) == ["first_name", "phones"]
    assert "Changes saved." in desk.get(response["Location"]).content.decode()


def test_edit_removes_a_row_and_the_ssn(desk):
    patient = _full_patient()
    data = _page(patient)
    data.update({"phones-1-DELETE": "on", "remove_ssn": "on"})
    desk.post(f"/patients/{patient.pk}/edit/", data)
    saved = Patient.objects.get(pk=patient.pk)
    assert list(saved.phones.values_list("number", flat=True)) == ["+15552017788"]
    assert (saved.ssn, saved.ssn_last4) == ("", "")
    entry = AuditEntry.objects.get(action="update", patient_id=patient.pk)
    assert sorted(entry.fields) == ["phones", "ssn"]


def test_edit_replaces_the_ssn_and_marks_a_death(desk):
    patient = _full_patient()
    data = _page(patient)
    data.update({"ssn": "234-56-7890", "status": "deceased", "deceased_date": "2026-01-02"})
    desk.post(f"/patients/{patient.pk}/edit/", data)
    saved = Patient.objects.get(pk=patient.pk)
    assert (saved.ssn_last4, saved.status, saved.deceased_date) == (
        "7890",
        "deceased",
        dt.date(2026, 1, 2),
    )


def test_edit_errors_show_at_the_field(desk):
    patient = _full_patient()
    data = _page(patient)
    data.update({"addresses-0-zip_code": "ABCDE", "deceased_date": "2020-01-01"})
    body = desk.post(f"/patients/{patient.pk}/edit/", data).content.decode()
    assert "5 digits" in body
    assert 'value="ABCDE"' in body
    assert "Set the status to deceased" in body
    assert Patient.objects.get(pk=patient.pk).addresses.get().zip_code == "62701"


def test_edit_from_responsible_party_to_self_drops_the_party(desk):
    patient = make_record(
        guarantor_relationship="guardian",
        responsible_party={"first_name": "Morgan", "last_name": "Reyes"},
    )
    data = _page(patient)
    assert data["party-first_name"] == "Morgan"
    assert data["guarantor_kind"] == "party"
    data["guarantor_relationship"] = "self"
    desk.post(f"/patients/{patient.pk}/edit/", data)
    saved = Patient.objects.get(pk=patient.pk)
    assert (saved.guarantor_relationship, saved.responsible_party_id) == ("self", None)
    assert ResponsibleParty.objects.count() == 0


def test_clinical_staff_can_read_but_not_edit(client):
    patient = _full_patient()
    signed_in(client, clinical_user())
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403
    response = client.post(f"/patients/{patient.pk}/edit/", {"first_name": "Changed"})
    assert response.status_code == 403
    assert Patient.objects.get(pk=patient.pk).first_name == "Avery"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_staff_without_patient_access_must_break_the_glass(client):
    # given: a login with emergency access but no patient permission
    from medoffice.accounts.tests.factories import staff_user

    patient = _full_patient()
    signed_in(client, staff_user("accounts.emergency_access"))
    # when
    response = client.get(f"/patients/{patient.pk}/")
    # then: the emergency-access form, and no chart read recorded
    assert response.status_code == 403
    assert "emergency_reason" in response.content.decode()
    assert "Quillfeather" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="read", patient_id=patient.pk).exists()


def test_missing_guarantor_links_to_the_look_up(desk):
    from medoffice.patients.tests.records_support import registration_data

    data = registration_data(guarantor_relationship="father", guarantor_kind="patient")
    body = desk.post("/patients/register/", data).content.decode()
    assert '<a href="#guarantor-query">Guarantor</a>: Choose the guarantor' in body
