"""Given a patient with a credit, when a refund is asked for and a manager decides, then the
money goes back once, from the right place, and the ledger raises the balance by it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.billing import queries
from medoffice.billing.choices import EntryKind, RefundStatus
from medoffice.billing.errors import DayClosedError, RefundError
from medoffice.billing.models import LedgerEntry, Payment, Refund
from medoffice.billing.services.day_close import close_day
from medoffice.billing.services.drawers import count_drawer, drawer_expectation, open_drawer
from medoffice.billing.services.payments import TenderIn, post_payment
from medoffice.billing.services.refunds import approve_refund, decline_refund, request_refund
from medoffice.billing.tests.days_support import FakeTerminal, terminal
from medoffice.billing.tests.factories import Office, card, cash

__all__ = ["terminal"]


def _prepaid(office: Office, tender: TenderIn) -> Payment:
    return post_payment(office.patient, acting_user=office.desk, tenders=[tender]).payment


def test_a_cash_refund_comes_out_of_the_requesters_drawer(office: Office) -> None:
    drawer = open_drawer(acting_user=office.desk, opening_float="100.00")
    _prepaid(office, cash("50.00"))
    refund = request_refund(office.patient, acting_user=office.desk, amount="20.00",
                            method="cash", reason="Overpaid the copay")  # fmt: skip
    assert refund.status == RefundStatus.PENDING
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 0
    approved = approve_refund(refund, acting_user=office.manager, note="ok")
    assert (approved.status, approved.drawer_id) == (RefundStatus.POSTED, drawer.pk)
    entry = LedgerEntry.objects.get(kind=EntryKind.REFUND)
    assert (entry.amount, entry.bucket, entry.refund_id) == (Decimal("20.00"), "patient", refund.pk)
    assert queries.balance_of(office.patient.pk).patient_owes == Decimal("-30.00")
    assert drawer_expectation(drawer).expected_cash == Decimal("130.00")
    again = approve_refund(refund, acting_user=office.manager)
    assert again.status == RefundStatus.POSTED
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert AuditEntry.objects.filter(detail__refund="approved").count() == 1


def test_more_than_the_credit_is_refused_and_nothing_saved(office: Office) -> None:
    open_drawer(acting_user=office.desk, opening_float="0")
    _prepaid(office, cash("30.00"))
    request_refund(office.patient, acting_user=office.desk, amount="20.00", method="cash",
                   reason="first")  # fmt: skip
    with pytest.raises(RefundError, match=r"credit available to refund is \$10.00"):
        request_refund(office.patient, acting_user=office.desk, amount="10.01", method="cash",
                       reason="second")  # fmt: skip
    assert Refund.objects.count() == 1


def test_against_a_payment_never_more_than_is_left_of_it(office: Office) -> None:
    open_drawer(acting_user=office.desk, opening_float="0")
    first = _prepaid(office, cash("10.00"))
    _prepaid(office, cash("40.00"))
    with pytest.raises(RefundError, match=r"Only \$10.00 of receipt R"):
        request_refund(office.patient, acting_user=office.desk, amount="15.00", method="cash",
                       reason="x", payment=first)  # fmt: skip
    assert Refund.objects.count() == 0


def test_a_card_refund_needs_a_card_payment_and_goes_to_the_terminal(
    office: Office, terminal: FakeTerminal
) -> None:
    open_drawer(acting_user=office.desk, opening_float="0")
    paid_cash = _prepaid(office, cash("20.00"))
    with pytest.raises(RefundError, match="choose the payment"):
        request_refund(office.patient, acting_user=office.desk, amount="5.00", method="card",
                       reason="x")  # fmt: skip
    with pytest.raises(RefundError, match="was not paid by card"):
        request_refund(office.patient, acting_user=office.desk, amount="5.00", method="card",
                       reason="x", payment=paid_cash)  # fmt: skip
    paid_card = _prepaid(office, card("35.00", last4="1881"))
    refund = request_refund(office.patient, acting_user=office.desk, amount="35.00",
                            method="card", reason="Visit cancelled", payment=paid_card)  # fmt: skip
    approved = approve_refund(refund, acting_user=office.manager)
    assert (approved.card_last4, approved.approval_code) == ("1881", "RF9")
    assert terminal.refunds == [(Decimal("35.00"), f"refund-{refund.pk}", "")]


def test_only_a_manager_approves_and_a_decline_posts_nothing(office: Office) -> None:
    open_drawer(acting_user=office.desk, opening_float="0")
    _prepaid(office, cash("20.00"))
    refund = request_refund(office.patient, acting_user=office.desk, amount="20.00",
                            method="check", reason="Moving away")  # fmt: skip
    with pytest.raises(RefundError, match="Only a manager"):
        approve_refund(refund, acting_user=office.desk, check_number="5001")
    with pytest.raises(RefundError, match="refund check number"):
        approve_refund(refund, acting_user=office.manager)
    with pytest.raises(RefundError, match="Say why"):
        decline_refund(refund, acting_user=office.manager, note=" ")
    declined = decline_refund(refund, acting_user=office.manager, note="Balance due next week")
    assert declined.status == RefundStatus.DECLINED
    with pytest.raises(RefundError, match="declined"):
        approve_refund(refund, acting_user=office.manager, check_number="5001")
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 0


def test_no_refund_into_a_closed_day(office: Office) -> None:
    drawer = open_drawer(acting_user=office.desk, opening_float="0")
    _prepaid(office, cash("20.00"))
    refund = request_refund(office.patient, acting_user=office.desk, amount="5.00",
                            method="cash", reason="x")  # fmt: skip
    count_drawer(drawer, acting_user=office.desk, denominations={"20": 1}, checks_total="0",
                 check_count=0)  # fmt: skip
    close_day(office.today, acting_user=office.manager)
    with pytest.raises((DayClosedError, RefundError)):
        approve_refund(refund, acting_user=office.manager)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING
