"""The API: open and count my drawer (409 for an unexplained shortage), the day's summary, close
with a key (a retry replays), reopen; a settlement recorded; refunds asked for and approved;
a malformed date is 400; the refund list is a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from medoffice.billing.models import BusinessDay, LedgerEntry, Refund
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card, cash
from medoffice.scheduling.tests.api_client import PROBLEM, Api, data

pytestmark = pytest.mark.django_db
BASE = "/api/billing"


def test_drawer_count_close_and_reopen(office: Office) -> None:
    desk, manager = Api(office.desk), Api(office.manager)
    opened = desk.call("post", f"{BASE}/drawers", {"opening_float": "100.00"}, key="open-1")
    assert opened.status_code == 201, opened.content
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("25.00"), card("10.00")])
    mine = data(desk.call("get", f"{BASE}/drawers/mine"))
    assert (mine["expected_cash"], mine["card_total"]) == ("125.00", "10.00")
    short = desk.call("post", f"{BASE}/drawers/mine/count",
                      {"denominations": {"100": 1, "20": 1}}, key="count-1")  # fmt: skip
    assert short.status_code == 409
    assert short["Content-Type"] == PROBLEM
    assert "cash short $5.00" in data(short)["detail"]
    counted = desk.call("post", f"{BASE}/drawers/mine/count",
                        {"denominations": {"100": 1, "20": 1}, "reason": "Change error"},
                        key="count-2")  # fmt: skip
    assert data(counted)["cash_over_short"] == "-5.00"
    day = office.today.isoformat()
    blocked = manager.call("post", f"{BASE}/days/{day}/close", {}, key="close-1")
    assert blocked.status_code == 409
    assert "no card settlement" in data(blocked)["detail"]
    batch = {"terminal_id": "T1", "batch_total": "10.00", "batch_count": 1}
    settled = manager.call("post", f"{BASE}/days/{day}/settlements", batch)
    assert settled.status_code == 201
    closed = manager.call("post", f"{BASE}/days/{day}/close", {}, key="close-2")
    assert (closed.status_code, data(closed)["status"]) == (200, "closed")
    again = manager.call("post", f"{BASE}/days/{day}/close", {}, key="close-2")
    assert again["Idempotent-Replayed"] == "true"
    summary = data(manager.call("get", f"{BASE}/days/{day}"))
    assert summary["sheet"]["payments_by_method"]["cash"] == "25.00"
    assert summary["sheet"]["deposit"]["cash"] == "20.00"
    csv = manager.call("get", f"{BASE}/days/{day}/sheet.csv")
    assert "payments by method,,Card,10.00" in csv.content.decode()
    assert desk.call("post", f"{BASE}/days/{day}/reopen", {"reason": "x"}).status_code == 403
    reopened = manager.call("post", f"{BASE}/days/{day}/reopen", {"reason": "Late check"})
    assert data(reopened)["status"] == "open"
    assert manager.call("get", f"{BASE}/days/2025-02-30").status_code == 400


def test_refunds_requested_listed_and_approved_once(
    office: Office, django_assert_max_num_queries: Any
) -> None:
    desk, manager = Api(office.desk), Api(office.manager)
    desk.call("post", f"{BASE}/drawers", {"opening_float": "0"})
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("40.00")])
    too_much = desk.call("post", f"{BASE}/refunds", {"patient_id": office.patient.pk,
                         "amount": "40.01", "method": "cash", "reason": "x"})  # fmt: skip
    assert too_much.status_code == 409
    assert Refund.objects.count() == 0
    for n in range(3):
        made = desk.call("post", f"{BASE}/refunds", {"patient_id": office.patient.pk,
                         "amount": "5.00", "method": "cash", "reason": f"r{n}"})  # fmt: skip
        assert made.status_code == 201, made.content
    with django_assert_max_num_queries(12):
        listed = data(manager.call("get", f"{BASE}/refunds"))
    assert [r["amount"] for r in listed] == ["5.00", "5.00", "5.00"]
    first = listed[0]["id"]
    path = f"{BASE}/refunds/{first}/approve"
    assert desk.call("post", path, {}).status_code == 403
    approved = manager.call("post", path, {"note": "ok"}, key="a-1")
    assert data(approved)["status"] == "posted"
    manager.call("post", path, {"note": "ok"}, key="a-2")
    assert LedgerEntry.objects.filter(kind="refund").count() == 1
    declined = manager.call("post", f"{BASE}/refunds/{listed[1]['id']}/decline", {"note": "no"})
    assert data(declined)["status"] == "declined"
    assert not BusinessDay.objects.filter(status="closed").exists()
