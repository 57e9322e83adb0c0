"""The API: referrals and prior authorizations created, read, changed; submit, decision, links,
alerts; 404/409/422 as problem details; in the OpenAPI document; query counts on lists."""

from __future__ import annotations

from typing import Any

import pytest

from medoffice.accounts.choices import Role
from medoffice.authorizations import services
from medoffice.authorizations.models import PriorAuthorization, Referral
from medoffice.authorizations.tests.factories import PCP_NPI, Clinic, make_clinic
from medoffice.insurance.tests.factories import make_coverage
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.tests.api_client import PROBLEM, Api, api_for, data

pytestmark = pytest.mark.django_db
BASE = "/api/authorizations"


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


@pytest.fixture
def api(clinic: Clinic) -> Api:
    return Api(clinic.desk)


def _referral_body(clinic: Clinic, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patient_id": clinic.patient.pk, "direction": "incoming", "number": "R-321",
        "referring_name": "Adaeze Okonkwo, MD", "referring_npi": PCP_NPI,
        "to_provider_id": clinic.hart.pk, "coverage_id": clinic.coverage.pk,
        "visits_authorized": 2, "start_date": clinic.today.isoformat(),
        "end_date": clinic.day(60).isoformat(), "diagnosis_codes": ["R07.9"],
    }  # fmt: skip
    body.update(changes)
    return body


def test_a_referral_is_recorded_read_changed_and_counts_a_visit(clinic, api):
    made = api.call("post", f"{BASE}/referrals", _referral_body(clinic))
    assert made.status_code == 201, made.content
    body = data(made)
    assert (body["number"], body["specialty"], body["visits_left"]) == ("R-321", "cardiology", 2)
    changed = api.call("patch", f"{BASE}/referrals/{body['id']}", {"visits_authorized": 4})
    assert data(changed)["visits_authorized"] == 4
    appointment = clinic.appointment()
    counted = api.call("post", f"{BASE}/referrals/{body['id']}/visits",
                       {"appointment_id": appointment.pk})  # fmt: skip
    assert (counted.status_code, data(counted)["visits_left"]) == (201, 3)
    again = api.call("post", f"{BASE}/referrals/{body['id']}/visits",
                     {"appointment_id": appointment.pk})  # fmt: skip
    assert again.status_code == 409
    assert again["Content-Type"] == PROBLEM
    assert data(again)["detail"] == "This appointment already counts against Referral R-321."
    removed = api.call("delete", f"{BASE}/referrals/{body['id']}/visits/{appointment.pk}")
    assert removed.status_code == 204
    got = data(api.call("get", f"{BASE}/referrals/{body['id']}"))
    assert got["visits_used"] == 0


def test_referral_problems_answer_404_and_422_with_the_field(clinic, api):
    assert api.call("get", f"{BASE}/referrals/999").status_code == 404
    bad = api.call("post", f"{BASE}/referrals", _referral_body(clinic, referring_npi="1234567890"))
    assert bad.status_code == 422
    assert data(bad)["errors"] == [
        {"field": "referring_npi",
         "message": "This NPI's check digit does not match: check the ten digits."}
    ]  # fmt: skip
    unknown = api.call("post", f"{BASE}/referrals", _referral_body(clinic, to_provider_id=999))
    assert data(unknown)["errors"] == [
        {"field": "to_provider_id", "message": "No provider with id 999."}
    ]
    assert Referral.objects.count() == 0


def test_the_referral_list_costs_the_same_queries_for_1_or_6(
    clinic, api, django_assert_max_num_queries
):
    clinic.referral()
    with django_assert_max_num_queries(30) as one:
        assert len(data(api.call("get", f"{BASE}/referrals?patient={clinic.patient.pk}"))) == 1
    for n in range(5):
        clinic.referral(number=f"R-7{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(data(api.call("get", f"{BASE}/referrals"))) == 6


def _authorization_body(clinic: Clinic) -> dict[str, Any]:
    return {
        "patient_id": clinic.patient.pk, "requesting_provider_id": clinic.hart.pk,
        "services": [{"code": "93015", "units": 1}], "diagnoses": ["R07.9", "I20.9"],
        "appointment_type_id": clinic.stress_test.pk,
        "effective_from": clinic.today.isoformat(), "effective_to": clinic.day(30).isoformat(),
    }  # fmt: skip


def test_an_authorization_is_drafted_faxed_approved_and_linked(clinic, api):
    made = api.call("post", f"{BASE}/prior-authorizations", _authorization_body(clinic))
    assert made.status_code == 201, made.content
    body = data(made)
    assert (body["status"], body["coverage_id"], body["payer_id"]) == (
        "draft", clinic.coverage.pk, clinic.payer.pk,
    )  # fmt: skip
    assert body["services"][0]["code"] == "93015"
    assert body["diagnoses"] == ["R07.9", "I20.9"]
    pk = body["id"]
    sent = api.call("post", f"{BASE}/prior-authorizations/{pk}/submit", {})
    assert (data(sent)["status"], data(sent)["submitted_via"]) == ("submitted", "fax")
    twice = api.call("post", f"{BASE}/prior-authorizations/{pk}/submit", {})
    assert twice.status_code == 409
    missing = api.call(
        "post", f"{BASE}/prior-authorizations/{pk}/decision", {"decision": "approved"}
    )
    assert missing.status_code == 422
    approved = api.call("post", f"{BASE}/prior-authorizations/{pk}/decision",
                        {"decision": "approved", "certification_number": "AUTH-77"})  # fmt: skip
    assert (data(approved)["status"], data(approved)["units_left"]) == ("approved", 1)
    appointment = clinic.appointment(kind=clinic.stress_test)
    linked = api.call("post", f"{BASE}/prior-authorizations/{pk}/appointments",
                      {"appointment_id": appointment.pk})  # fmt: skip
    assert linked.status_code == 201
    got = data(api.call("get", f"{BASE}/prior-authorizations/{pk}"))
    assert (got["appointment_ids"], got["units_left"]) == ([appointment.pk], 0)
    gone = api.call("delete", f"{BASE}/prior-authorizations/{pk}/appointments/{appointment.pk}")
    assert gone.status_code == 204


def test_bad_codes_answer_422_and_an_edit_after_sending_409(clinic, api):
    body = _authorization_body(clinic)
    body["services"] = [{"code": "9301X", "units": 1}]
    bad = api.call("post", f"{BASE}/prior-authorizations", body)
    assert bad.status_code == 422
    assert PriorAuthorization.objects.count() == 0
    draft = clinic.authorization()
    services.submit_authorization(draft, acting_user=clinic.desk, via="fax")
    edit = api.call("patch", f"{BASE}/prior-authorizations/{draft.pk}", {"diagnoses": ["I25.10"]})
    assert edit.status_code == 409
    notes = api.call("patch", f"{BASE}/prior-authorizations/{draft.pk}", {"notes": "Called"})
    assert data(notes)["notes"] == "Called"


def test_the_authorization_list_costs_the_same_queries_for_1_or_6(
    clinic, api, django_assert_max_num_queries
):
    clinic.approved()
    with django_assert_max_num_queries(30) as one:
        assert len(data(api.call("get", f"{BASE}/prior-authorizations"))) == 1
    for n in range(5):
        other = make_patient()
        covered = make_coverage(other, clinic.hmo, member_id=f"SUN8000{n}",
                                effective_date=clinic.day(-10))  # fmt: skip
        clinic.approved(number=f"AUTH-8{n}", patient=other, coverage=covered)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(data(api.call("get", f"{BASE}/prior-authorizations"))) == 6


def test_alerts_and_roles(clinic, api):
    clinic.approved(effective_to=clinic.day(5))
    clinic.referral(visits_authorized=1)
    found = data(api.call("get", f"{BASE}/alerts"))
    assert [a["kind"] for a in found] == ["authorization_expiring", "referral_visits"]
    nurse = api_for("nurse", Role.CLINICAL)
    assert nurse.call("get", f"{BASE}/alerts").status_code == 200
    refused = nurse.call("post", f"{BASE}/referrals", _referral_body(clinic, number="R-9"))
    assert refused.status_code == 403


def test_the_operations_are_in_the_openapi_document(api):
    paths = data(api.call("get", "/api/openapi.json"))["paths"]
    for path in (
        f"{BASE}/referrals", f"{BASE}/referrals/{{referral_id}}",
        f"{BASE}/referrals/{{referral_id}}/visits", f"{BASE}/prior-authorizations",
        f"{BASE}/prior-authorizations/{{authorization_id}}",
        f"{BASE}/prior-authorizations/{{authorization_id}}/submit",
        f"{BASE}/prior-authorizations/{{authorization_id}}/decision",
        f"{BASE}/prior-authorizations/{{authorization_id}}/appointments",
        f"{BASE}/prior-authorizations/{{authorization_id}}/appointments/{{appointment_id}}",
        f"{BASE}/alerts",
    ):  # fmt: skip
        assert path in paths, path
