"""The patient API: what a program does with patients, as the desk does it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from medoffice.accounts import services as account_services
from medoffice.accounts.choices import Role
from medoffice.accounts.models import User
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.core.identifiers import mrn_is_valid
from medoffice.patients.models import Patient, PatientAlert, PatientPhone
from medoffice.patients.rules.query import TOO_SHORT
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


class Api:
    """A program calling the API with a bearer token."""

    def __init__(self, user: User) -> None:
        _, raw = account_services.create_api_token(user=user, name="tests", acting_user=None)
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def call(self, method: str, path: str, body: Any = None) -> Any:
        send = getattr(self.client, method)
        if body is None:
            return send(path)
        return send(path, orjson.dumps(body), content_type="application/json")


def data(response: Any) -> Any:
    return orjson.loads(response.content)


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "last_name": "Quintero",
        "first_name": "Marisol",
        "birth_date": "1982-03-14",
        "sex": "female",
        "phones": [{"kind": "mobile", "number": "(555) 201-7788", "sms_consent": True}],
    }
    body.update(overrides)
    return body


@pytest.fixture
def desk() -> Api:
    return Api(make_user("desk", roles=(Role.FRONT_DESK,)))


@pytest.fixture
def clinician() -> Api:
    return Api(make_user("clinician", roles=(Role.CLINICAL,)))


def test_register_answers_201_with_location_and_the_full_record(desk: Api) -> None:
    # given
    provider = ProviderFactory()
    body = registration(
        ssn="123-45-6789",
        email="Marisol@Example.com",
        preferred_language="es",
        interpreter_needed=True,
        race=["2106-3"],
        primary_care_provider_id=provider.pk,
        addresses=[{"line1": "1 Main St", "city": "Albany", "state": "ny", "zip_code": "12207"}],
        emergency_contacts=[{"name": "Ana Q", "relationship": "sibling", "phone": "5552017799"}],
    )
    # when
    response = desk.call("post", "/api/patients/", body)
    # then
    assert response.status_code == 201
    record = data(response)
    patient = Patient.objects.get()
    assert response["Location"] == f"/api/patients/{patient.pk}"
    assert record["id"] == patient.pk
    assert mrn_is_valid(record["mrn"])
    assert (record["email"], record["ssn_last4"], record["race"]) == (
        "marisol@example.com",
        "6789",
        ["2106-3"],
    )
    assert "ssn" not in record
    assert b"123456789" not in response.content
    assert record["primary_care_provider_id"] == provider.pk
    assert record["phones"][0]["number"] == "+15552017788"
    assert record["phones"][0]["display"] == "(555) 201-7788"
    assert record["phones"][0]["sms_consent"] is True
    assert record["addresses"][0]["state"] == "NY"
    assert record["emergency_contacts"][0]["phone_display"] == "(555) 201-7799"
    assert [a["kind"] for a in record["alerts"]] == ["interpreter"]
    created = AuditEntry.objects.get(action="create", target_type="patients.patient")
    assert created.actor_username == "desk"
    assert {"ssn", "phones", "addresses", "email"} <= set(created.fields)


def test_register_with_session_needs_the_csrf_token() -> None:
    # given a signed-in browser
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("desk", roles=(Role.FRONT_DESK,)))
    payload = orjson.dumps(registration())
    # when it posts without the token: refused, nothing written
    refused = browser.post("/api/patients/", payload, content_type="application/json")
    assert refused.status_code == 403
    assert Patient.objects.count() == 0
    # when it sends the token
    token = _get_new_csrf_string()
    browser.cookies["csrftoken"] = token
    accepted = browser.post(
        "/api/patients/", payload, content_type="application/json", headers={"X-CSRFToken": token}
    )
    # then
    assert accepted.status_code == 201
    assert Patient.objects.get().last_name == "Quintero"


def test_possible_duplicate_answers_409_until_acknowledged(desk: Api) -> None:
    # given a patient with the same name and birth date
    existing = make_patient(
        last_name="Quintero", first_name="Marisol", birth_date=dt.date(1982, 3, 14)
    )
    # when
    refused = desk.call("post", "/api/patients/", registration())
    # then nothing is written and the candidate is listed
    assert refused.status_code == 409
    assert refused["Content-Type"] == PROBLEM
    problem = data(refused)
    assert problem["type"] == "https://medoffice.example/problems/possible-duplicates"
    assert problem["title"] == "Possible duplicate patients"
    [candidate] = problem["candidates"]
    assert (candidate["id"], candidate["mrn"], candidate["birth_date"]) == (
        existing.pk,
        existing.mrn,
        "1982-03-14",
    )
    assert candidate["name"] == "Quintero, Marisol"
    assert candidate["points"] >= 50
    assert "Same date of birth" in candidate["reasons"]
    assert Patient.objects.count() == 1
    shown = AuditEntry.objects.get(action="search")
    assert shown.detail["shown"] == [existing.pk]
    assert shown.detail["kinds"] == ["duplicate-check"]
    # when the desk acknowledges the candidate
    accepted = desk.call(
        "post", "/api/patients/", registration(acknowledged_duplicates=[existing.pk])
    )
    # then
    assert accepted.status_code == 201
    assert Patient.objects.count() == 2


def test_acknowledging_with_true_registers(desk: Api) -> None:
    make_patient(last_name="Quintero", first_name="Marisol", birth_date=dt.date(1982, 3, 14))
    response = desk.call("post", "/api/patients/", registration(acknowledged_duplicates=True))
    assert response.status_code == 201


def test_acknowledging_only_some_candidates_is_still_409(desk: Api) -> None:
    # given two candidates
    first = make_patient(
        last_name="Quintero", first_name="Marisol", birth_date=dt.date(1982, 3, 14)
    )
    second = make_patient(
        last_name="Quintero", first_name="Marisol", birth_date=dt.date(1982, 3, 14)
    )
    # when only one is acknowledged
    response = desk.call("post", "/api/patients/", registration(acknowledged_duplicates=[first.pk]))
    # then
    assert response.status_code == 409
    assert {c["id"] for c in data(response)["candidates"]} == {first.pk, second.pk}
    assert Patient.objects.count() == 2


def test_read_answers_the_whole_record_and_is_audited(desk: Api) -> None:
    # given
    guarantor = make_patient()
    patient = make_patient(ssn="123-45-6789", guarantor_relationship="mother", guarantor=guarantor)
    PatientAlert.objects.create(
        patient=patient, kind="collections", severity="critical", message="Balance in collections",
        created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )  # fmt: skip
    # when
    response = desk.call("get", f"/api/patients/{patient.pk}")
    # then
    assert response.status_code == 200
    record = data(response)
    assert (record["id"], record["mrn"], record["status"]) == (patient.pk, patient.mrn, "active")
    assert (record["guarantor_relationship"], record["guarantor_id"]) == ("mother", guarantor.pk)
    assert record["responsible_party"] is None
    assert record["merged_into"] is None
    assert record["ssn_last4"] == "6789"
    assert b"123-45-6789" not in response.content
    assert record["alerts"] == [
        {
            "kind": "collections",
            "label": "Balance in collections",
            "message": "Balance in collections",
            "severity": "critical",
            "alert_id": PatientAlert.objects.get().pk,
        }
    ]
    read = AuditEntry.objects.get(action="read")
    assert (read.patient_id, read.actor_username, read.detail) == (
        patient.pk,
        "desk",
        {"what": "api"},
    )


def test_read_of_a_merged_record_names_the_kept_one(desk: Api) -> None:
    kept, merged = make_patient(), make_patient()
    Patient.objects.filter(pk=merged.pk).update(status="merged", merged_into=kept)
    record = data(desk.call("get", f"/api/patients/{merged.pk}"))
    assert (record["status"], record["merged_into"]) == ("merged", kept.pk)
    assert record["alerts"][0]["kind"] == "merged"


def test_patch_changes_only_the_fields_sent(desk: Api) -> None:
    # given
    patient = make_patient(email="old@example.com", ssn="123-45-6789", preferred_name="Robbie")
    phone_ids = list(PatientPhone.objects.filter(patient=patient).values_list("pk", flat=True))
    # when
    response = desk.call("patch", f"/api/patients/{patient.pk}", {"email": "New@Example.com"})
    # then
    assert response.status_code == 200
    record = data(response)
    assert record["email"] == "new@example.com"
    assert (record["last_name"], record["preferred_name"], record["ssn_last4"]) == (
        patient.last_name,
        "Robbie",
        "6789",
    )
    assert [p["id"] for p in record["phones"]] == phone_ids
    changed = AuditEntry.objects.get(action="update")
    assert (changed.fields, changed.actor_username, changed.patient_id) == (
        ["email"],
        "desk",
        patient.pk,
    )


def test_patch_child_list_updates_adds_and_removes_rows(desk: Api) -> None:
    # given two phones
    patient = make_patient(
        phones=[
            {"kind": "mobile", "number": "5552010001", "sms_consent": True, "is_primary": True},
            {"kind": "home", "number": "5552010002"},
        ]
    )
    kept, dropped = PatientPhone.objects.filter(patient=patient).order_by("pk")
    # when one is changed, one left out and one added
    response = desk.call(
        "patch",
        f"/api/patients/{patient.pk}",
        {"phones": [
            {"id": kept.pk, "kind": "mobile", "number": "(555) 201-0009", "is_primary": True},
            {"kind": "work", "number": "555 201 0003", "extension": "12"},
        ]},
    )  # fmt: skip
    # then
    assert response.status_code == 200
    rows = {p.pk: p for p in PatientPhone.objects.filter(patient=patient)}
    assert dropped.pk not in rows
    assert (rows[kept.pk].number, rows[kept.pk].sms_consent) == ("+15552010009", True)
    [added] = [p for pk, p in rows.items() if pk != kept.pk]
    assert (added.kind, added.number, added.extension) == ("work", "+15552010003", "12")
    assert AuditEntry.objects.get(action="update").fields == ["phones"]


def test_patch_empty_ssn_removes_it(desk: Api) -> None:
    patient = make_patient(ssn="123-45-6789")
    record = data(desk.call("patch", f"/api/patients/{patient.pk}", {"ssn": ""}))
    assert record["ssn_last4"] == ""
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.ssn, stored.ssn_digest) == ("", "")
    assert AuditEntry.objects.get(action="update").fields == ["ssn"]


def test_patch_names_a_guarantor_in_place_of_the_responsible_party(desk: Api) -> None:
    # given a child whose mother is not a patient here
    party = {"first_name": "Lena", "last_name": "Quintero", "phone": "555-201-4455"}
    created = desk.call(
        "post",
        "/api/patients/",
        registration(guarantor_relationship="mother", responsible_party=party),
    )
    child = data(created)
    assert child["responsible_party"]["phone"] == "+15552014455"
    mother = make_patient(first_name="Lena")
    # when the mother registers and becomes the guarantor
    response = desk.call("patch", f"/api/patients/{child['id']}", {"guarantor_id": mother.pk})
    # then
    record = data(response)
    assert (record["guarantor_id"], record["responsible_party"]) == (mother.pk, None)
    assert set(AuditEntry.objects.get(action="update").fields) == {
        "guarantor",
        "responsible_party",
    }


def test_search_finds_by_name_and_phone_and_audits_ids_only(desk: Api) -> None:
    # given
    patient = make_patient(
        last_name="Quintero", phones=[{"kind": "mobile", "number": "(555) 201-7788"}]
    )
    make_patient(last_name="Other")
    # when
    by_name = desk.call("post", "/api/patients/search", {"q": "quintero", "limit": 5})
    by_phone = desk.call("post", "/api/patients/search", {"q": "(555) 201-7788"})
    # then
    assert by_name.status_code == 200
    hits = data(by_name)["items"]
    assert [(h["id"], h["mrn"], h["matched"]) for h in hits] == [(patient.pk, patient.mrn, "name")]
    assert hits[0]["phone_display"] == "(555) 201-7788"
    assert [(h["id"], h["matched"]) for h in data(by_phone)["items"]] == [(patient.pk, "phone")]
    first, second = AuditEntry.objects.filter(action="search").order_by("id")
    assert (first.detail["shown"], first.detail["source"]) == ([patient.pk], "api")
    assert first.detail["kinds"] == data(by_name)["kinds"]
    assert "quintero" not in str(first.detail).lower()
    assert "7788" not in str(second.detail)


def test_search_of_one_letter_answers_a_hint(desk: Api) -> None:
    make_patient(last_name="Quintero")
    answer = data(desk.call("post", "/api/patients/search", {"q": "q"}))
    assert (answer["items"], answer["message"]) == ([], TOO_SHORT)


def test_search_text_is_never_taken_from_the_url(desk: Api) -> None:
    response = desk.call("get", "/api/patients/search?q=quintero")
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="search").exists()


def test_list_pages_through_patients_and_audits_the_ids_shown(
    desk: Api, django_assert_max_num_queries: Any
) -> None:
    # given
    made = [make_patient(last_name=f"Lister{n:02d}") for n in range(25)]
    inactive = make_patient(last_name="Asleep", status="inactive")
    # when
    # token, permissions, count, the page, its phones, the audit entry: not one per patient
    with django_assert_max_num_queries(12):
        response = desk.call("get", "/api/patients/?limit=20&offset=0")
    # then
    page = data(response)
    assert response.status_code == 200
    assert (page["count"], len(page["items"])) == (26, 20)
    assert page["items"][0]["last_name"] == "Asleep"
    assert page["items"][1]["phone"] == PatientPhone.objects.get(patient=made[0]).number
    assert page["next"].endswith("limit=20&offset=20")
    listed = AuditEntry.objects.get(action="search")
    assert listed.detail["shown"] == [item["id"] for item in page["items"]]
    assert (listed.detail["kinds"], listed.detail["source"]) == (["list"], "api")
    only = data(desk.call("get", "/api/patients/?status=inactive"))
    assert [item["id"] for item in only["items"]] == [inactive.pk]


def test_list_filters_by_updated_since(desk: Api) -> None:
    older, newer = make_patient(), make_patient()
    Patient.objects.filter(pk=older.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = data(desk.call("get", "/api/patients/?updated_since=2021-01-01T00:00:00Z"))
    assert [item["id"] for item in page["items"]] == [newer.pk]


def test_read_runs_a_bounded_number_of_queries(
    desk: Api, django_assert_max_num_queries: Any
) -> None:
    patient = make_patient(
        phones=[{"kind": "mobile", "number": f"555201{n:04d}"} for n in range(1, 6)],
        addresses=[
            {"line1": f"{n} Elm St", "city": "Troy", "state": "NY", "zip_code": "12180"}
            for n in range(3)
        ],
    )
    # token, permissions, the record and its five row sets, the audit entry: not one per row
    with django_assert_max_num_queries(15):
        response = desk.call("get", f"/api/patients/{patient.pk}")
    assert len(data(response)["phones"]) == 5


def test_duplicate_check_lists_candidates_and_audits_them(desk: Api) -> None:
    # given
    existing = make_patient(last_name="Okafor", first_name="Chidi", birth_date=dt.date(1990, 6, 1))
    # when
    response = desk.call(
        "post",
        "/api/patients/duplicates",
        {"last_name": "Okafor", "first_name": "Chidi", "birth_date": "1990-06-01"},
    )
    # then
    assert response.status_code == 200
    assert [c["id"] for c in data(response)["candidates"]] == [existing.pk]
    entry = AuditEntry.objects.get(action="search")
    assert (entry.detail["shown"], entry.detail["kinds"]) == ([existing.pk], ["duplicate-check"])
    assert "Okafor" not in str(entry.detail)
    excluded = desk.call(
        "post",
        "/api/patients/duplicates",
        {"last_name": "Okafor", "first_name": "Chidi", "birth_date": "1990-06-01",
         "exclude_id": existing.pk},
    )  # fmt: skip
    assert data(excluded) == {"candidates": []}


def test_alerts_are_added_listed_and_resolved(desk: Api) -> None:
    # given
    patient = make_patient()
    base = f"/api/patients/{patient.pk}/alerts"
    # when
    added = desk.call(
        "post", base, {"kind": "collections", "severity": "critical", "message": "See billing"}
    )
    # then
    assert added.status_code == 201
    alert = data(added)
    assert (alert["kind"], alert["label"], alert["active"]) == (
        "collections",
        "Balance in collections",
        True,
    )
    assert [a["id"] for a in data(desk.call("get", base))] == [alert["id"]]
    # when resolved
    resolved = desk.call("post", f"{base}/{alert['id']}/resolve")
    # then it leaves the banner but stays on file
    assert resolved.status_code == 200
    assert data(resolved)["active"] is False
    assert data(desk.call("get", base)) == []
    assert [a["id"] for a in data(desk.call("get", f"{base}?include_resolved=true"))] == [
        alert["id"]
    ]
    assert data(desk.call("get", f"/api/patients/{patient.pk}"))["alerts"] == []
    assert AuditEntry.objects.filter(action="read", detail__what="api-alerts").count() == 3


def test_openapi_document_lists_every_patient_operation(client: Client) -> None:
    document = data(client.get("/api/openapi.json"))
    paths = document["paths"]
    expected = {
        "/api/patients/": {"get", "post"},
        "/api/patients/{patient_id}": {"get", "patch"},
        "/api/patients/search": {"post"},
        "/api/patients/duplicates": {"post"},
        "/api/patients/{patient_id}/alerts": {"get", "post"},
        "/api/patients/{patient_id}/alerts/{alert_id}/resolve": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            success = "201" if "201" in operation["responses"] else "200"
            assert "schema" in operation["responses"][success]["content"]["application/json"]
            if method in ("patch",) or (method == "post" and "resolve" not in path):
                assert "requestBody" in operation, (method, path)
    schemas = document["components"]["schemas"]
    assert "PatientIn" in schemas
    assert "PatientPatch" in schemas
    assert schemas["SearchIn"]["properties"]["q"]["maxLength"] == 400
