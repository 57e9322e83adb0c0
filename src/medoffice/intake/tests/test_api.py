"""The intake API: templates, forms due, links, signed forms, apply; role-gated; in OpenAPI."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.accounts.choices import Role
from medoffice.audit.models import AuditEntry
from medoffice.intake.models import FormRequest
from medoffice.intake.tests.factories import signed_forms
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.tests.api_client import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return api_for("desk", Role.FRONT_DESK)


def test_templates_list_the_standard_set(desk):
    answer = desk.call("get", "/api/intake/templates")
    assert answer.status_code == 200
    by_code = {t["code"]: t for t in answer.json()}
    assert list(by_code) == [
        "registration",
        "npp-acknowledgment",
        "consent-to-treat",
        "financial-policy",
        "medical-history",
    ]
    assert by_code["consent-to-treat"]["renewal"] == "expires"
    assert by_code["consent-to-treat"]["renew_after_months"] == 12
    assert by_code["npp-acknowledgment"]["version"] == 1


def test_forms_due_for_a_patient(desk):
    patient = make_patient()
    signed_forms(patient, ["registration", "financial-policy"])
    answer = desk.call("get", f"/api/intake/patients/{patient.pk}/due?on=2026-12-03")
    assert [d["template_code"] for d in answer.json()] == [
        "npp-acknowledgment",
        "consent-to-treat",
        "medical-history",
    ]
    assert desk.call("get", "/api/intake/patients/999999/due").status_code == 404


def test_create_link_returns_the_url_once(desk):
    patient = make_patient()
    answer = desk.call(
        "post", f"/api/intake/patients/{patient.pk}/links", {"forms": ["npp-acknowledgment"]}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["url"].startswith("http://testserver/intake/f/")
    assert body["forms"] == ["npp-acknowledgment"]
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    assert FormRequest.objects.get().token_hash != token


def test_create_link_with_unknown_forms_is_refused(desk):
    patient = make_patient()
    answer = desk.call("post", f"/api/intake/patients/{patient.pk}/links", {"forms": ["nope"]})
    assert answer.status_code == 422
    assert FormRequest.objects.count() == 0


def test_clinical_may_read_but_not_create_links_or_apply():
    nurse = api_for("nurse", Role.CLINICAL)
    patient = make_patient()
    (submission,) = signed_forms(patient, ["registration"])
    assert nurse.call("get", f"/api/intake/patients/{patient.pk}/submissions").status_code == 200
    assert nurse.call("post", f"/api/intake/patients/{patient.pk}/links", {}).status_code == 403
    assert nurse.call("post", f"/api/intake/submissions/{submission.pk}/apply").status_code == 403
    assert FormRequest.objects.count() == 1
    assert Patient.objects.get(pk=patient.pk).email == ""


def test_submissions_list_is_audited_and_query_count_is_flat(desk):
    patient = make_patient()
    signed_forms(patient, ["npp-acknowledgment"])
    url = f"/api/intake/patients/{patient.pk}/submissions"
    desk.call("get", url)
    with CaptureQueriesContext(connection) as few:
        desk.call("get", url)
    signed_forms(patient, ["financial-policy", "consent-to-treat"])
    with CaptureQueriesContext(connection) as many:
        answer = desk.call("get", url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(answer.json()) == 3
    entry = AuditEntry.objects.filter(patient_id=patient.pk, action="read").latest("pk")
    assert entry.detail["what"] == "intake forms (API)"


def test_apply_through_the_api(desk):
    patient = make_patient()
    (submission,) = signed_forms(patient, ["registration"])
    answer = desk.call("post", f"/api/intake/submissions/{submission.pk}/apply")
    assert answer.status_code == 200
    assert answer.json()["review_status"] == "applied"
    assert Patient.objects.get(pk=patient.pk).email == "robin.sample@example.com"
    again = desk.call("post", f"/api/intake/submissions/{submission.pk}/apply")
    assert again.json()["review_status"] == "applied"


def test_intake_operations_are_in_the_openapi_document(desk):
    paths = desk.call("get", "/api/openapi.json").json()["paths"]
    for path in (
        "/api/intake/templates",
        "/api/intake/patients/{patient_id}/due",
        "/api/intake/patients/{patient_id}/links",
        "/api/intake/patients/{patient_id}/submissions",
        "/api/intake/submissions/{submission_id}/apply",
    ):
        assert path in paths
