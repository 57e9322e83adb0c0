from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from medoffice.audit import queries, services
from medoffice.audit.choices import AuditAction, AuditOutcome
from medoffice.audit.models import AuditEntry
from medoffice.audit.tests.factories import StaffUserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(client):
    user = grant(StaffUserFactory(username="manager1"), "accounts.view_audit_report")
    client.force_login(user)
    return user


def test_sign_in_is_recorded(client) -> None:
    user = StaffUserFactory(username="frontdesk2")

    client.force_login(user)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.outcome) == (AuditAction.LOGIN, user.pk, "success")


def test_sign_out_is_recorded(client) -> None:
    user = StaffUserFactory(username="frontdesk3")
    client.force_login(user)

    client.logout()

    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor_id")) == [
        (AuditAction.LOGIN, user.pk),
        (AuditAction.LOGOUT, user.pk),
    ]


def test_failed_sign_in_is_recorded_without_the_password() -> None:
    StaffUserFactory(username="frontdesk4")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.9")

    assert authenticate(request, username="frontdesk4", password="wrong-secret") is None

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_id is None
    assert entry.outcome == AuditOutcome.FAILURE
    assert entry.detail == {"username": "frontdesk4"}
    assert entry.ip_address == "10.0.0.9"
    assert "wrong-secret" not in str(entry.detail)


def test_request_context_fills_in_actor_and_request_id(client, auditor) -> None:
    response = client.get(
        reverse("audit:export"), HTTP_USER_AGENT="TestBrowser/1.0", HTTP_X_REQUEST_ID="req-12345678"
    )

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert response["X-Request-ID"] == "req-12345678"
    assert (entry.actor_id, entry.user_agent, entry.request_id, entry.ip_address) == (
        auditor.pk,
        "TestBrowser/1.0",
        "req-12345678",
        "127.0.0.1",
    )


def test_search_entries_filters() -> None:
    alice = StaffUserFactory(username="alice")
    bob = StaffUserFactory(username="bob")
    services.record(AuditAction.READ, actor=alice, patient_id=1)
    services.record(AuditAction.READ, actor=bob, patient_id=2)
    services.record(AuditAction.UPDATE, actor=alice, patient_id=2, fields=["phone"])
    today = timezone.localdate()

    def ids(**kwargs: object) -> list[int]:
        return list(queries.search_entries(**kwargs).values_list("id", flat=True))  # type: ignore[arg-type]

    assert ids() == [3, 2, 1]
    assert ids(actor_id=alice.pk) == [3, 1]
    assert ids(patient_id=2) == [3, 2]
    assert ids(action=AuditAction.READ, patient_id=2) == [2]
    assert ids(start=today, end=today) == [3, 2, 1]
    assert ids(start=today + timedelta(days=1)) == []
    assert ids(end=today - timedelta(days=1)) == []


def test_report_lists_filtered_entries_and_highlights_emergency(client, auditor) -> None:
    services.record(AuditAction.READ, actor=auditor, patient_id=41)
    services.record(AuditAction.EMERGENCY_ACCESS, actor=auditor, patient_id=42)

    response = client.get(reverse("audit:report"), {"patient_id": 42})

    assert response.status_code == 200
    page = response.context["page"]
    assert [e.patient_id for e in page.object_list] == [42]
    assert b'<span class="badge badge-danger">Emergency access</span>' in response.content


def test_report_runs_the_chain_check(client, auditor) -> None:
    response = client.get(reverse("audit:report"), {"verify": "1"})

    assert response.context["verification"] == services.VerifyResult(ok=True, checked=1)
    assert b"Intact" in response.content


def test_csv_export_is_itself_recorded(client, auditor) -> None:
    services.record(AuditAction.UPDATE, actor=auditor, patient_id=5, fields=["=cmd", "phone"])

    response = client.get(reverse("audit:export"), {"patient_id": 5})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["id", "occurred_at", "actor_username", "action"]
    assert [(r[0], r[3], r[7], r[8]) for r in rows[1:]] == [("2", "update", "5", "'=cmd;phone")]
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (export.actor_id, export.patient_id) == (auditor.pk, 5)
    assert export.detail == {"format": "csv", "rows": 1, "filters": {"patient_id": "5"}}
    assert services.verify_chain().ok is True


def test_staff_without_the_right_are_refused(client) -> None:
    client.force_login(StaffUserFactory(username="frontdesk5"))
    before = AuditEntry.objects.count()

    report = client.get(reverse("audit:report"))
    export = client.get(reverse("audit:export"))

    assert (report.status_code, export.status_code) == (403, 403)
    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("audit:export"))

    assert response.status_code == 302
    assert AuditEntry.objects.count() == 0


def test_lockout_is_recorded() -> None:
    from axes.signals import user_locked_out

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.7")

    user_locked_out.send(sender="axes", request=request, username="frontdesk6", ip_address="x")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.detail, entry.ip_address) == (
        AuditAction.LOCKED_OUT,
        AuditOutcome.DENIED,
        {"username": "frontdesk6"},
        "10.0.0.7",
    )
