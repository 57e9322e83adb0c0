"""The pages: open and count my drawer (a shortage needs a reason), the day page with its
refusal reasons, close and reopen, the day sheet PDF/CSV and the deposit slip; refunds asked
for and approved; a malformed date is a 400; the day page is a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from medoffice.audit.models import AuditEntry
from medoffice.billing.choices import DayStatus, DrawerStatus, RefundStatus
from medoffice.billing.models import BusinessDay, CashDrawer, Refund
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card, cash, check
from medoffice.core.pdf import pdf_text

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _count_form(**extra: str) -> dict[str, str]:
    return {"action": "count", "d_100": "1", "d_20": "1", "checks_total": "35.00",
            "check_count": "1", **extra}  # fmt: skip


def test_open_and_count_my_drawer_with_a_five_dollar_shortage(office: Office) -> None:
    desk = _client(office.desk)
    assert "Open your drawer" in desk.get("/billing/drawer/").content.decode()
    assert (
        desk.post("/billing/drawer/", {"action": "open", "opening_float": "100.00"}).status_code
        == 302
    )
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("25.00"),
                 check("35.00", "77")])  # fmt: skip
    page = desk.get("/billing/drawer/").content.decode()
    assert "$125.00" in page
    preview = desk.post("/billing/drawer/", {**_count_form(), "action": "preview"})
    text = preview.content.decode()
    assert "Counted cash: <strong>$120.00</strong>" in text
    assert 'name="reason"' in text
    refused = desk.post("/billing/drawer/", _count_form())
    assert refused.status_code == 400
    assert "cash short $5.00" in refused.content.decode()
    assert CashDrawer.objects.get().status == DrawerStatus.OPEN
    saved = desk.post("/billing/drawer/", _count_form(reason="Change error"))
    assert saved.status_code == 302
    drawer = CashDrawer.objects.get()
    assert (drawer.status, drawer.cash_over_short) == (DrawerStatus.COUNTED, Decimal("-5.00"))


def test_the_day_page_lists_what_blocks_the_close_then_closes_and_reopens(
    office: Office, django_assert_max_num_queries: Any
) -> None:
    desk, manager = _client(office.desk), _client(office.manager)
    desk.post("/billing/drawer/", {"action": "open", "opening_float": "100.00"})
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("20.00"), card("40.00")])
    url = f"/billing/days/{office.today.isoformat()}/"
    with django_assert_max_num_queries(30) as few:
        page = manager.get(url)
    text = page.content.decode()
    assert "Drawers still to be counted: Robin Sample." in text
    for n in range(10):
        post_payment(office.patient, acting_user=office.desk, tenders=[cash("1.00"),
                     check("2.00", f"5{n}"), card("3.00")])  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert manager.get(url).status_code == 200
    refused = manager.post(url + "close/")
    assert refused.status_code == 400
    assert BusinessDay.objects.get(date=office.today).status == DayStatus.OPEN
    desk.post("/billing/drawer/", {"action": "count", "d_100": "1", "d_20": "1", "d_10": "1",
                                   "checks_total": "20.00", "check_count": "10"})  # fmt: skip
    manager.post(url + "settlement/", {"terminal_id": "T1", "batch_total": "70.00",
                                       "batch_count": "11"})  # fmt: skip
    assert manager.post(url + "close/").status_code == 302
    assert BusinessDay.objects.get(date=office.today).status == DayStatus.CLOSED
    assert "Reopen the day" in manager.get(url).content.decode()
    sheet = manager.get(url + "day-sheet.pdf")
    assert sheet["Content-Type"] == "application/pdf"
    assert "Day sheet" in pdf_text(sheet.content)
    slip = " ".join(pdf_text(manager.get(url + "deposit-slip.pdf").content).split())
    assert "Bank deposit slip" in slip
    assert "Cash deposited $30.00" in slip
    assert "Total deposit $50.00" in slip
    csv = manager.get(url + "day-sheet.csv")
    assert "payments by method,,Cash,30.00" in csv.content.decode()
    assert manager.post(url + "reopen/", {"reason": ""}).status_code == 400
    assert manager.post(url + "reopen/", {"reason": "Late check"}).status_code == 302
    assert BusinessDay.objects.get(date=office.today).status == DayStatus.OPEN


def test_the_desk_may_not_close_and_a_bad_date_is_400(office: Office) -> None:
    desk, manager = _client(office.desk), _client(office.manager)
    assert desk.post(f"/billing/days/{office.today.isoformat()}/close/").status_code == 403
    assert manager.get("/billing/days/2025-13-40/").status_code == 400
    assert manager.get("/billing/days/nope/day-sheet.pdf").status_code == 400
    assert manager.get("/billing/days/").status_code == 200


def test_a_refund_is_asked_for_and_approved(office: Office) -> None:
    desk, manager = _client(office.desk), _client(office.manager)
    desk.post("/billing/drawer/", {"action": "open", "opening_float": "50.00"})
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("30.00")])
    form = desk.get(f"/billing/refunds/new/?patient={office.patient.pk}").content.decode()
    assert "$30.00" in form
    too_much = desk.post("/billing/refunds/new/", {"patient": office.patient.pk,
                         "amount": "31.00", "method": "cash", "reason": "x"})  # fmt: skip
    assert too_much.status_code == 400
    assert Refund.objects.count() == 0
    asked = desk.post("/billing/refunds/new/", {"patient": office.patient.pk, "amount": "10.00",
                      "method": "cash", "reason": "Overpaid"})  # fmt: skip
    assert asked.status_code == 302
    refund = Refund.objects.get()
    assert "Overpaid" in manager.get("/billing/refunds/").content.decode()
    assert desk.post(f"/billing/refunds/{refund.pk}/approve/").status_code == 403
    assert manager.post(f"/billing/refunds/{refund.pk}/approve/").status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.POSTED
    assert AuditEntry.objects.filter(action="read", detail__what="refunds").exists()
