"""The merge API: history, merging, refusals as 409 problems, undo, the duplicates worklist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medoffice.accounts import services as account_services
from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.patients.merging import merge_patients
from medoffice.patients.models import Patient, PatientMerge
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

BASE = "/api/patient-merges"
LIST = f"{BASE}/"
PROBLEM = "application/problem+json"
REASON = "Same person: registered under her maiden name"
BORN = dt.date(1984, 6, 2)


class Api:
    """A program calling the API with a bearer token."""

    def __init__(self, username: str, role: str) -> None:
        user = make_user(username, roles=(role,))
        _, raw = account_services.create_api_token(user=user, name="tests", acting_user=None)
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, orjson.dumps(body), content_type="application/json")


@pytest.fixture
def manager() -> Api:
    return Api("manager", Role.MANAGER)


@pytest.fixture
def pair() -> tuple[Patient, Patient]:
    email = "maria@example.test"  # the same e-mail under both names
    kept = make_patient(last_name="Smith", first_name="Maria", birth_date=BORN, email=email)
    other = make_patient(last_name="Lopez", first_name="Maria", birth_date=BORN, email=email)
    return kept, other


def test_front_desk_is_forbidden_and_nothing_changes(pair):
    kept, other = pair
    desk = Api("desk", Role.FRONT_DESK)
    body = {"survivor_id": kept.pk, "duplicate_id": other.pk, "reason": REASON}
    response = desk.post(LIST, body)
    assert response.status_code == 403
    assert response["Content-Type"].startswith(PROBLEM)
    assert desk.get(LIST).status_code == 403
    assert desk.get(f"{BASE}/candidates").status_code == 403
    assert PatientMerge.objects.count() == 0
    assert Patient.objects.get(pk=other.pk).status == "active"


def test_merge_answers_201_with_what_moved(manager, pair):
    kept, other = pair
    body = {"survivor_id": kept.pk, "duplicate_id": other.pk, "reason": REASON}
    response = manager.post(LIST, body)
    assert response.status_code == 201
    merge = PatientMerge.objects.get()
    assert response["Location"] == f"{BASE}/{merge.pk}"
    data = response.json()
    assert data["survivor"] == {
        "id": kept.pk,
        "mrn": kept.mrn,
        "name": "Smith, Maria",
        "birth_date": "1984-06-02",
        "status": "active",
    }
    assert data["duplicate"]["status"] == "merged"
    assert data["moved"]["patients.patientphone.patient"] == 1
    assert data["added"] == {"patients.previousname": 1}
    assert (data["merged_by"], data["active"], data["undone_at"]) == ("manager", True, None)
    assert AuditEntry.objects.filter(action="merge", actor_username="manager").count() == 2


def test_refused_merge_is_a_409_problem_and_changes_nothing(manager, pair):
    kept, other = pair
    response = manager.post(LIST, {"survivor_id": kept.pk, "duplicate_id": other.pk, "reason": "x"})
    assert response.status_code == 409
    assert response["Content-Type"].startswith(PROBLEM)
    assert "at least 10 characters" in response.json()["detail"]
    response = manager.post(
        LIST, {"survivor_id": kept.pk, "duplicate_id": kept.pk, "reason": REASON}
    )
    assert response.status_code == 409
    assert PatientMerge.objects.count() == 0
    assert Patient.objects.get(pk=other.pk).status == "active"


def test_unknown_patient_is_404(manager, pair):
    kept, _ = pair
    body = {"survivor_id": kept.pk, "duplicate_id": 999999, "reason": REASON}
    response = manager.post(LIST, body)
    assert response.status_code == 404
    assert response.json()["detail"] == "No patient with id 999999."


def test_undo_through_the_api_and_not_twice(manager, pair):
    kept, other = pair
    merge = merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    response = manager.post(f"{BASE}/{merge.pk}/undo", {"reason": "Two different people"})
    assert response.status_code == 200
    data = response.json()
    assert (data["active"], data["undone_by"], data["undo_reason"]) == (
        False,
        "manager",
        "Two different people",
    )
    assert data["duplicate"]["status"] == "active"
    again = manager.post(f"{BASE}/{merge.pk}/undo", {"reason": "Two different people"})
    assert again.status_code == 409
    assert again.json()["detail"] == f"Merge #{merge.pk} was already undone."


def test_history_is_paginated_newest_first_and_audited(manager, django_assert_max_num_queries):
    first = merge_patients(
        survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
    )
    with CaptureQueriesContext(connection) as one:
        manager.get(LIST)
    merges = [first]
    for _ in range(3):
        merges.append(
            merge_patients(
                survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
            )
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = manager.get(f"{LIST}?limit=3")
    data = response.json()
    assert data["count"] == 4
    assert [m["id"] for m in data["items"]] == [m.pk for m in reversed(merges)][:3]
    assert data["next"].endswith("limit=3&offset=3")
    shown = AuditEntry.objects.filter(action="search", detail__source="api-merges").first()
    assert len(shown.detail["shown"]) == 6


def test_history_for_one_patient_and_detail(manager, pair):
    kept, other = pair
    mine = merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    merge_patients(
        survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
    )
    data = manager.get(f"{LIST}?patient_id={other.pk}").json()
    assert [m["id"] for m in data["items"]] == [mine.pk]
    detail = manager.get(f"{BASE}/{mine.pk}")
    assert detail.json()["reason"] == REASON
    reads = AuditEntry.objects.filter(action="read", detail__what="merge")
    assert sorted(reads.values_list("patient_id", flat=True)) == sorted([kept.pk, other.pk])
    assert manager.get(f"{BASE}/999999").status_code == 404


def test_candidates_list_the_worklist(manager, pair):
    kept, other = pair
    response = manager.get(f"{BASE}/candidates?limit=10")
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["next"], data["crowded_dates"]) == (1, None, 0)
    item = data["items"][0]
    assert (item["keep"]["id"], item["other"]["id"], item["points"]) == (kept.pk, other.pk, 70)
    assert item["reasons"] == [
        "Same date of birth",
        "Similar first name, different last name (a name change?)",
        "Same email address",
    ]
    shown = AuditEntry.objects.get(action="search", detail__source="api-duplicates")
    assert sorted(shown.detail["shown"]) == sorted([kept.pk, other.pk])
    assert manager.get(f"{BASE}/candidates?limit=0").status_code == 422
