"""The coverage API: a program does with coverages what the desk does, reads audited, refusals as
problem details (404, 409, 422) that leave nothing changed, a fixed query count on the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medoffice.audit.models import AuditEntry
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.insurance.models import Coverage
from medoffice.insurance.services import coverages as services
from medoffice.insurance.tests.factories import make_coverage, make_payer, make_plan
from medoffice.insurance.tests.factories_more import (
    VALID_MBI,
    Api,
    clinical_user,
    data,
    desk_user,
    medicare_plan,
    picture_upload,
)
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def desk() -> Api:
    return Api(desk_user())


def _body(patient, plan, **overrides):
    body = {
        "patient_id": patient.pk,
        "plan_id": plan.pk,
        "member_id": "1EG4-TE5-MK73",
        "effective_date": "2026-01-01",
    }
    body.update(overrides)
    return body


def test_post_adds_a_coverage_with_201_location_and_the_normalized_mbi(desk):
    # given
    patient = make_patient()
    plan = medicare_plan()
    # when
    response = desk.call("post", "/api/insurance/coverages", _body(patient, plan))
    # then
    assert response.status_code == 201
    answer = data(response)
    coverage = Coverage.objects.get()
    assert response["Location"] == f"/api/insurance/coverages/{coverage.pk}"
    assert (answer["member_id"], answer["order"], answer["plan_type"]) == (VALID_MBI, 1, "medicare")
    assert answer["subscriber"]["relationship"] == "18"


def test_a_wrong_mbi_answers_422_naming_the_position(desk):
    response = desk.call(
        "post",
        "/api/insurance/coverages",
        _body(make_patient(), medicare_plan(), member_id="SEG4TE5MK73"),
    )
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    errors = data(response)["errors"]
    assert errors[0]["field"] == "member_id"
    assert "1st character of the MBI must be a digit from 1 to 9" in errors[0]["message"]
    assert not Coverage.objects.exists()


def test_unknown_references_and_fields_answer_422(desk):
    patient = make_patient()
    plan = make_plan()
    cases = [
        _body(patient, plan, plan_id=999_999),
        _body(patient, plan, patient_id=999_999),
        _body(patient, plan, relationship="01", subscriber_patient_id=999_999),
        _body(patient, plan, colour="blue"),
        _body(patient, plan, relationship="01"),
    ]
    answers = [desk.call("post", "/api/insurance/coverages", body) for body in cases]
    assert [a.status_code for a in answers] == [422] * 5
    fields = [sorted(e["field"] for e in data(a)["errors"]) for a in answers]
    assert fields[0] == ["plan_id"]
    assert fields[1] == ["patient_id"]
    assert fields[2] == ["subscriber_patient_id"]
    assert fields[4] == ["subscriber_birth_date", "subscriber_first_name", "subscriber_last_name"]
    assert not Coverage.objects.exists()


def test_a_second_active_primary_answers_409_and_nothing_changes(desk):
    patient = make_patient()
    make_coverage(patient)
    plan = make_plan(make_payer("Beacon", "BCN01"), "Gold")
    response = desk.call("post", "/api/insurance/coverages", _body(patient, plan, member_id="B1"))
    assert (response.status_code, response["Content-Type"]) == (409, PROBLEM)
    assert "already has an active primary coverage" in data(response)["detail"]
    assert Coverage.objects.count() == 1


def test_get_patch_end_and_delete(desk):
    # given
    coverage = make_coverage()
    path = f"/api/insurance/coverages/{coverage.pk}"
    # when / then: read, audited
    read = desk.call("get", path)
    assert (read.status_code, data(read)["member_id"]) == (200, "ACM123456789")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.patient_id) == ("read", coverage.patient_id)
    # change
    patched = desk.call("patch", path, {"group_number": "G-7", "end_date": None})
    assert (patched.status_code, data(patched)["group_number"]) == (200, "G-7")
    assert desk.call("patch", path, {"member_id": None}).status_code == 422
    # end
    today = timezone.localdate().isoformat()
    ended = desk.call("post", f"{path}/end", {"end_date": today})
    assert (ended.status_code, data(ended)["status"], data(ended)["end_date"]) == (
        200,
        "ended",
        today,
    )
    assert desk.call("post", f"{path}/end", {"end_date": today}).status_code == 409
    # remove (entered in error)
    assert desk.call("delete", path).status_code == 204
    coverage.refresh_from_db()
    assert coverage.status == "removed"
    assert desk.call("delete", path).status_code == 409
    assert desk.call("patch", path, {"group_number": "G-8"}).status_code == 409


def test_end_before_the_effective_date_is_422(desk):
    coverage = make_coverage()
    response = desk.call(
        "post", f"/api/insurance/coverages/{coverage.pk}/end", {"end_date": "2025-12-31"}
    )
    assert response.status_code == 422
    assert data(response)["errors"][0]["field"] == "end_date"
    coverage.refresh_from_db()
    assert coverage.status == "active"


def test_unknown_coverage_or_patient_is_404(desk):
    for method, path in (
        ("get", "/api/insurance/coverages/999999"),
        ("delete", "/api/insurance/coverages/999999"),
        ("get", "/api/insurance/patients/999999/coverages"),
    ):
        response = desk.call(method, path)
        assert (response.status_code, response["Content-Type"]) == (404, PROBLEM), path


def test_the_list_is_paginated_audited_and_its_query_count_fixed(desk):
    # given
    one = make_patient()
    make_coverage(one)
    three = make_patient()
    for order, name in ((1, "A"), (2, "B"), (3, "C")):
        coverage = make_coverage(
            three, make_plan(make_payer(name, name + "1")), order=order, member_id=f"{name}123"
        )
        services.attach_card(coverage, "front", acting_user=None, upload=picture_upload())
    make_coverage(
        three, make_plan(make_payer("D", "D1")), status="ended", end_date=dt.date(2026, 2, 1)
    )

    def listed(patient, query=""):
        with CaptureQueriesContext(connection) as queries:
            response = desk.call("get", f"/api/insurance/patients/{patient.pk}/coverages{query}")
        return response, len(queries)

    # when
    listed(one)
    _, few = listed(one)
    response, many = listed(three)
    # then
    assert many == few
    answer = data(response)
    assert (answer["count"], answer["limit"], answer["offset"]) == (3, 50, 0)
    assert [c["member_id"] for c in answer["items"]] == ["A123", "B123", "C123"]
    assert answer["items"][0]["cards"][0]["side"] == "front"
    everything = data(listed(three, "?include_ended=true&limit=2")[0])
    assert (everything["count"], len(everything["items"])) == (4, 2)
    assert everything["next"].endswith("limit=2&offset=2")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.patient_id, entry.detail) == (
        "read",
        three.pk,
        {"what": "coverages (API)"},
    )


def test_clinical_staff_read_but_cannot_write(client):
    coverage = make_coverage()
    nurse = Api(clinical_user())
    path = f"/api/insurance/coverages/{coverage.pk}"
    assert nurse.call("get", path).status_code == 200
    assert nurse.call("patch", path, {"group_number": "X"}).status_code == 403
    assert nurse.call("delete", path).status_code == 403
    body = _body(make_patient(), make_plan(make_payer("B", "B1")), member_id="X12")
    assert nurse.call("post", "/api/insurance/coverages", body).status_code == 403
    coverage.refresh_from_db()
    assert (coverage.group_number, coverage.status) == ("", "active")


def test_the_openapi_document_lists_the_insurance_paths(client: Client):
    import orjson

    paths = orjson.loads(client.get("/api/openapi.json").content)["paths"]
    for path, methods in {
        "/api/insurance/payers": {"get", "post"},
        "/api/insurance/payers/{payer_id}": {"get", "patch"},
        "/api/insurance/plans": {"get", "post"},
        "/api/insurance/patients/{patient_id}/coverages": {"get"},
        "/api/insurance/coverages": {"post"},
        "/api/insurance/coverages/{coverage_id}": {"get", "patch", "delete"},
        "/api/insurance/coverages/{coverage_id}/end": {"post"},
    }.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
