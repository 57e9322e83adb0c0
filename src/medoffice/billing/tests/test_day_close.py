"""Given a day of takings, when the manager closes it, then every drawer must be counted, a
$5 shortage explained and the card batch matched; the closed day refuses postings until a
manager reopens it with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.billing.choices import DayStatus, DrawerStatus
from medoffice.billing.errors import DayClosedError, DayCloseError
from medoffice.billing.models import BusinessDay, CardSettlement, CashDrawer, DayEvent, Payment
from medoffice.billing.services.day_close import (
    close_day,
    day_summary,
    fetch_settlement,
    record_settlement,
    reopen_day,
)
from medoffice.billing.services.drawers import count_drawer, open_drawer
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.days_support import FakeTerminal, terminal
from medoffice.billing.tests.factories import Office, card, cash
from medoffice.integrations.card_terminals import Settlement

__all__ = ["terminal"]


def _takings(office: Office) -> CashDrawer:
    drawer = open_drawer(acting_user=office.desk, opening_float="100.00")
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("25.00"), card("40.00")])
    return drawer


def _count(office: Office, drawer: CashDrawer, reason: str = "", **counts: int) -> None:
    count_drawer(drawer, acting_user=office.desk, denominations=counts or {"100": 1, "20": 1,
                 "5": 1}, checks_total="0", check_count=0, reason=reason)  # fmt: skip


def test_a_day_with_a_five_dollar_shortage_closes_once_explained(office: Office) -> None:
    drawer = _takings(office)
    with pytest.raises(DayCloseError, match=r"Drawers still to be counted: Robin Sample\."):
        close_day(office.today, acting_user=office.manager)
    _count(office, drawer, reason="Five short: change error at noon", **{"100": 1, "20": 1})
    record_settlement(office.today, acting_user=office.manager, terminal_id="T1",
                      batch_total="40.00", batch_count=1)  # fmt: skip
    summary = day_summary(office.today)
    assert summary.problems() == []
    assert summary.drawers[0].cash_over_short == Decimal("-5.00")
    closed = close_day(office.today, acting_user=office.manager)
    assert (closed.status, closed.closed_by) == (DayStatus.CLOSED, office.manager)
    assert closed.day_sheet["payments_by_method"]["cash"] == "25.00"
    assert closed.day_sheet["drawers"][0]["cash_over_short"] == "-5.00"
    drawer.refresh_from_db()
    assert drawer.status == DrawerStatus.CLOSED
    assert DayEvent.objects.filter(day=closed, kind="closed").count() == 1
    assert AuditEntry.objects.filter(detail__day="closed").count() == 1


def test_an_unexplained_shortage_blocks_the_close_and_nothing_changes(office: Office) -> None:
    drawer = _takings(office)
    _count(office, drawer, reason="short", **{"100": 1, "20": 1})
    CashDrawer.objects.filter(pk=drawer.pk).update(discrepancy_reason="x")  # reason given...
    summary = day_summary(office.today)
    assert summary.unexplained == []
    with pytest.raises(DayCloseError, match=r"no card settlement is recorded"):
        close_day(office.today, acting_user=office.manager)
    assert BusinessDay.objects.get(date=office.today).status == DayStatus.OPEN
    assert DayEvent.objects.count() == 0
    drawer.refresh_from_db()
    assert drawer.status == DrawerStatus.COUNTED


def test_a_card_difference_closes_only_with_a_reason(office: Office) -> None:
    drawer = _takings(office)
    _count(office, drawer)
    record_settlement(office.today, acting_user=office.manager, terminal_id="T1",
                      batch_total="35.00", batch_count=1)  # fmt: skip
    with pytest.raises(DayCloseError, match=r"differ by \$5.00: say why"):
        close_day(office.today, acting_user=office.manager)
    closed = close_day(office.today, acting_user=office.manager,
                       card_difference_reason="Processor fee taken from the batch")  # fmt: skip
    assert closed.card_settlement_note == "Processor fee taken from the batch"
    assert closed.day_sheet["card_difference"] == "5.00"


def test_only_a_manager_closes(office: Office) -> None:
    with pytest.raises(DayCloseError, match="Only a manager"):
        close_day(office.today, acting_user=office.desk)
    assert not BusinessDay.objects.filter(status=DayStatus.CLOSED).exists()


def test_a_closed_day_refuses_a_payment_until_reopened(office: Office) -> None:
    drawer = _takings(office)
    _count(office, drawer)
    record_settlement(office.today, acting_user=office.manager, terminal_id="T1",
                      batch_total="40.00", batch_count=1)  # fmt: skip
    close_day(office.today, acting_user=office.manager)
    with pytest.raises(DayClosedError, match="are closed"):
        post_payment(office.patient, acting_user=office.desk, tenders=[card("10.00")])
    with pytest.raises(DayCloseError, match="already closed"):
        close_day(office.today, acting_user=office.manager)
    with pytest.raises(DayClosedError):
        record_settlement(office.today, acting_user=office.manager, terminal_id="T1",
                          batch_total="41.00", batch_count=1)  # fmt: skip
    assert Payment.objects.count() == 1
    with pytest.raises(DayCloseError, match="Say why"):
        reopen_day(office.today, acting_user=office.manager, reason="")
    with pytest.raises(DayCloseError, match="Only a manager"):
        reopen_day(office.today, acting_user=office.desk, reason="oops")
    reopened = reopen_day(office.today, acting_user=office.manager, reason="Late card payment")
    assert reopened.status == DayStatus.OPEN
    drawer.refresh_from_db()
    assert drawer.status == DrawerStatus.COUNTED
    post_payment(office.patient, acting_user=office.desk, tenders=[card("10.00")])
    assert [e.kind for e in DayEvent.objects.all()] == ["closed", "reopened"]
    assert DayEvent.objects.get(kind="reopened").reason == "Late card payment"
    assert AuditEntry.objects.filter(detail__day="reopened").count() == 1


def test_the_settlement_is_fetched_from_the_terminal(
    office: Office, terminal: FakeTerminal
) -> None:
    assert fetch_settlement(office.today, acting_user=office.manager) is None
    terminal.batch = Settlement("FAKE-1", office.today, Decimal("40.00"), 1, "B-77")
    found = fetch_settlement(office.today, acting_user=office.manager)
    assert found is not None
    assert (found.batch_total, found.batch_ref, found.source) == (
        Decimal("40.00"), "B-77", "terminal"
    )  # fmt: skip
    terminal.batch = Settlement("FAKE-1", office.today, Decimal("45.00"), 2, "B-77")
    fetch_settlement(office.today, acting_user=office.manager)
    assert CardSettlement.objects.get().batch_total == Decimal("45.00")


@pytest.mark.parametrize("total", ["-1", "abc", "1.234"])
def test_a_malformed_batch_total_is_refused(office: Office, total: str) -> None:
    with pytest.raises(Exception, match=r"mount|decimal|negative"):
        record_settlement(office.today, acting_user=office.manager, terminal_id="T1",
                          batch_total=total, batch_count=1)  # fmt: skip
    assert CardSettlement.objects.count() == 0


def test_a_past_day_with_nothing_closes(office: Office) -> None:
    day = office.today - dt.timedelta(days=3)
    closed = close_day(day, acting_user=office.manager)
    assert closed.day_sheet["totals"]["net"] == "0.00"
