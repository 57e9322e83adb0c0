"""The patient API refusing: no sign-in, no permission, unknown ids, merged records, bad input.

Every refusal is problem details naming what is wrong, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.patients.models import Patient, PatientAlert
from medoffice.patients.tests.factories import make_patient
from medoffice.patients.tests.test_api import PROBLEM, Api, data, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk() -> Api:
    return Api(make_user("desk", roles=(Role.FRONT_DESK,)))


def fields_of(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    return [error["field"] for error in data(response)["errors"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/patients/"),
        ("post", "/api/patients/"),
        ("get", "/api/patients/1"),
        ("patch", "/api/patients/1"),
        ("post", "/api/patients/search"),
        ("post", "/api/patients/duplicates"),
        ("get", "/api/patients/1/alerts"),
        ("post", "/api/patients/1/alerts"),
        ("post", "/api/patients/1/alerts/1/resolve"),
    ],
)
def test_every_operation_needs_authentication(client: Client, method: str, path: str) -> None:
    if method == "get":
        response = client.get(path)
    else:
        response = getattr(client, method)(path, b"{}", content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_a_role_that_may_only_view_cannot_register_or_change() -> None:
    # given a clinician (view only) and a patient
    clinician = Api(make_user("clinician", roles=(Role.CLINICAL,)))
    patient = make_patient(last_name="Unchanged")
    alerts_path = f"/api/patients/{patient.pk}/alerts"
    # when
    created = clinician.call("post", "/api/patients/", registration())
    changed = clinician.call("patch", f"/api/patients/{patient.pk}", {"last_name": "Changed"})
    alerted = clinician.call("post", alerts_path, {"kind": "other", "message": "x"})
    # then every write is refused and nothing changed
    assert [r.status_code for r in (created, changed, alerted)] == [403, 403, 403]
    assert data(created)["title"] == "Forbidden"
    assert list(Patient.objects.values_list("last_name", flat=True)) == ["Unchanged"]
    assert not PatientAlert.objects.exists()
    assert not AuditEntry.objects.filter(action__in=("update", "read")).exists()
    # while reading is allowed
    assert clinician.call("get", f"/api/patients/{patient.pk}").status_code == 200


def test_a_role_without_patient_permissions_cannot_read_or_search() -> None:
    admin = Api(make_user("admin", roles=(Role.ADMIN,)))
    patient = make_patient()
    assert admin.call("get", "/api/patients/").status_code == 403
    assert admin.call("get", f"/api/patients/{patient.pk}").status_code == 403
    assert admin.call("post", "/api/patients/search", {"q": "sample"}).status_code == 403
    assert not AuditEntry.objects.filter(action__in=("read", "search")).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/patients/999999"),
        ("patch", "/api/patients/999999"),
        ("get", "/api/patients/999999/alerts"),
        ("post", "/api/patients/999999/alerts/1/resolve"),
    ],
)
def test_unknown_patient_is_404_problem(desk: Api, method: str, path: str) -> None:
    response = desk.call(method, path, {} if method == "patch" else None)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert data(response)["detail"] == "No patient with id 999999."


def test_resolving_another_patients_alert_is_404(desk: Api) -> None:
    owner, other = make_patient(), make_patient()
    alert = PatientAlert.objects.create(
        patient=owner, kind="other", message="Call back", created_at=timezone.now()
    )
    response = desk.call("post", f"/api/patients/{other.pk}/alerts/{alert.pk}/resolve")
    assert response.status_code == 404
    assert PatientAlert.objects.get().resolved_at is None


def test_merged_record_cannot_be_changed(desk: Api) -> None:
    # given a record merged into another
    kept, merged = make_patient(), make_patient(last_name="Merged")
    Patient.objects.filter(pk=merged.pk).update(status="merged", merged_into=kept)
    # when
    response = desk.call("patch", f"/api/patients/{merged.pk}", {"last_name": "Changed"})
    alerted = desk.call(
        "post", f"/api/patients/{merged.pk}/alerts", {"kind": "other", "message": "x"}
    )
    # then
    assert response.status_code == 409
    problem = data(response)
    assert problem["type"] == "https://medoffice.example/problems/merged-record"
    assert (problem["merged_into"], problem["detail"]) == (
        kept.pk,
        "This record was merged into another; edit the kept record.",
    )
    assert alerted.status_code == 409
    assert Patient.objects.get(pk=merged.pk).last_name == "Merged"
    assert not AuditEntry.objects.filter(action="update").exists()


def address(**change: str) -> dict[str, Any]:
    row = {"line1": "1 Main St", "city": "Troy", "state": "NY", "zip_code": "12180"}
    return {"addresses": [{**row, **change}]}


FUTURE = (timezone.localdate() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": FUTURE}, "birth_date"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"birth_date": "03/14/1982"}, "birth_date"),
        ({"birth_date": "1982-02-30"}, "birth_date"),
        ({"birth_date": 19820314}, "birth_date"),
        ({"phones": [{"kind": "mobile", "number": "555-12"}]}, "phones.0.number"),
        ({"phones": [{"kind": "mobile", "number": "(555) 012-3456"}]}, "phones.0.number"),
        ({"phones": [{"kind": "pager", "number": "5552017788"}]}, "phones.0.kind"),
        (address(zip_code="1234"), "addresses.0.zip_code"),
        (address(state="ZZ"), "addresses.0.state"),
        (address(line1=""), "addresses.0.line1"),
        ({"email": "not-an-address"}, "email"),
        ({"ssn": "123-45-678"}, "ssn"),
        ({"ssn": "000-12-3456"}, "ssn"),
        ({"sex": "robot"}, "sex"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"status": "merged"}, "status"),
        ({"last_name": "  "}, "last_name"),
        ({"phone": "5552017788"}, "phone"),
        ({"guarantor_id": 999999, "guarantor_relationship": "mother"}, "guarantor_id"),
        ({"guarantor_relationship": "mother"}, "guarantor_id"),
        ({"primary_care_provider_id": 999999}, "primary_care_provider_id"),
        ({"deceased_date": "2020-01-01"}, "status"),
        (
            {"emergency_contacts": [{"name": "Me", "relationship": "self", "phone": "5552017788"}]},
            "emergency_contacts.0.relationship",
        ),
        (
            {"responsible_party": {"first_name": "A", "last_name": "B", "zip_code": "9"},
             "guarantor_relationship": "mother"},
            "responsible_party.zip_code",
        ),
    ],
)  # fmt: skip
def test_malformed_registration_is_422_naming_the_field(
    desk: Api, change: dict[str, Any], field: str
) -> None:
    # when
    response = desk.call("post", "/api/patients/", registration(**change))
    # then
    assert fields_of(response) == [field]
    assert data(response)["errors"][0]["message"]
    assert not Patient.objects.exists()


def test_a_date_the_desk_would_type_is_refused_with_the_iso_form(desk: Api) -> None:
    response = desk.call("post", "/api/patients/", registration(birth_date="03/14/1982"))
    assert data(response)["errors"] == [
        {"field": "birth_date", "message": "Write the date as YYYY-MM-DD, e.g. 1982-03-14."}
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": None}, "birth_date"),
        ({"last_name": ""}, "last_name"),
        ({"race": ["9999-9"]}, "race.0"),
        (
            {"phones": [{"id": 999999, "kind": "home", "number": "5552017700"}]},
            "phones.0.id",
        ),
        ({"mrn": "12345678"}, "mrn"),
    ],
)
def test_malformed_change_is_422_and_changes_nothing(
    desk: Api, change: dict[str, Any], field: str
) -> None:
    patient = make_patient(last_name="Kept")
    response = desk.call("patch", f"/api/patients/{patient.pk}", change)
    assert fields_of(response) == [field]
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.last_name, stored.mrn, stored.birth_date) == (
        "Kept",
        patient.mrn,
        patient.birth_date,
    )
    assert not AuditEntry.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"q": "x" * 401}, "q"),
        ({"q": "smith", "limit": 0}, "limit"),
        ({"q": "smith", "limit": 51}, "limit"),
        ({"limit": 5}, "q"),
    ],
)
def test_malformed_search_is_422(desk: Api, body: dict[str, Any], field: str) -> None:
    assert fields_of(desk.call("post", "/api/patients/search", body)) == [field]
    assert not AuditEntry.objects.filter(action="search").exists()


def test_the_422_answer_does_not_echo_the_search_text(desk: Api) -> None:
    response = desk.call("post", "/api/patients/search", {"q": "Quintero" + "x" * 400})
    assert b"Quintero" not in response.content


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "gossip", "message": "x"}, "kind"),
        ({"kind": "other", "severity": "loud", "message": "x"}, "severity"),
        ({"kind": "other", "message": "x" * 301}, "message"),
        ({"kind": "other", "message": " "}, "message"),
    ],
)
def test_malformed_alert_is_422(desk: Api, body: dict[str, Any], field: str) -> None:
    patient = make_patient()
    assert fields_of(desk.call("post", f"/api/patients/{patient.pk}/alerts", body)) == [field]
    assert not PatientAlert.objects.exists()


def test_malformed_duplicate_check_is_422(desk: Api) -> None:
    body = {"last_name": "Okafor", "first_name": "Chidi", "phones": ["12"], "ssn": "12"}
    assert fields_of(desk.call("post", "/api/patients/duplicates", body)) == [
        "phones.0",
        "ssn",
    ]
