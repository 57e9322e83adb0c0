from __future__ import annotations

import pytest

from medoffice.audit import services
from medoffice.audit.choices import AuditAction
from medoffice.audit.tests.factories import StaffUserFactory, grant

pytestmark = pytest.mark.django_db


def test_api_lists_entries_for_a_patient(client) -> None:
    user = StaffUserFactory(username="apiuser1")
    grant(user, "accounts.use_api")
    user = grant(user, "accounts.view_audit_report")
    services.record(AuditAction.READ, actor=user, patient_id=3)
    services.record(AuditAction.READ, actor=user, patient_id=4)
    client.force_login(user)

    response = client.get("/api/audit/entries", {"patient_id": 3})

    assert response.status_code == 200
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    assert [(e["id"], e["patient_id"], e["action"]) for e in items] == [(1, 3, "read")]


def test_api_refuses_without_the_audit_right(client) -> None:
    user = grant(StaffUserFactory(username="apiuser2"), "accounts.use_api")
    client.force_login(user)

    response = client.get("/api/audit/entries")

    assert response.status_code == 403
