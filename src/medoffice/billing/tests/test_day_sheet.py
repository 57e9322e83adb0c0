"""Given any mix of charges, payments, adjustments, transfers, reversals and refunds in a day,
the day sheet's figures add up to the ledger, by kind, provider, user and method; the deposit
is the counted cash less the floats plus the checks; the sheet is a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medoffice.billing.choices import EntryKind
from medoffice.billing.errors import BillingError
from medoffice.billing.models import LedgerEntry
from medoffice.billing.services.day_sheet import day_sheet, day_sheet_csv
from medoffice.billing.services.drawers import count_drawer, open_drawer
from medoffice.billing.services.ledger import (
    post_adjustment,
    post_charge,
    reverse_entry,
    transfer_to_patient,
)
from medoffice.billing.services.payments import post_payment
from medoffice.billing.services.refunds import approve_refund, request_refund
from medoffice.billing.tests.factories import Office, card, cash, check

AMOUNTS = st.integers(1, 50_000).map(lambda c: Decimal(c) / 100)
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["charge", "cash", "check", "card", "adjust", "transfer", "reverse", "refund"]
        ),
        AMOUNTS,
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


def _apply(office: Office, op: str, amount: Decimal, flag: bool) -> None:
    desk, patient = office.desk, office.patient
    visit = office.visit if flag else None
    if op == "charge":
        post_charge(patient, acting_user=desk, patient_amount=amount,
                    insurance_amount=amount * 2, appointment=visit)  # fmt: skip
    elif op in ("cash", "check", "card"):
        tender = cash(str(amount)) if op == "cash" else card(str(amount))
        if op == "check":
            tender = check(str(amount))
        post_payment(patient, acting_user=desk, tenders=[tender])
    elif op == "adjust":
        post_adjustment(patient, acting_user=office.manager, amount=amount, lowers=flag,
                        reason="Courtesy", appointment=visit)  # fmt: skip
    elif op == "transfer":
        transfer_to_patient(patient, acting_user=desk, amount=amount, reason="EOB")
    elif op == "reverse":
        last = LedgerEntry.objects.filter(kind=EntryKind.CHARGE, reversed_by__isnull=True).last()
        if last is not None:
            reverse_entry(last, acting_user=office.manager, reason="Wrong code")
    elif op == "refund":
        try:
            refund = request_refund(patient, acting_user=desk, amount=amount, method="cash",
                                    reason="Overpaid")  # fmt: skip
        except BillingError:
            return
        approve_refund(refund, acting_user=office.manager)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_the_day_sheet_adds_up_to_the_ledger(office: Office, ops: list[Any]) -> None:
    with transaction.atomic():
        open_drawer(acting_user=office.desk, opening_float="50.00")
        for op in ops:
            _apply(office, *op)
        sheet = day_sheet(office.today)
        day_entries = LedgerEntry.objects.filter(posted_on=office.today)
        assert sheet.totals.net == sum((e.amount for e in day_entries), Decimal("0"))
        for kind in sheet.totals.amounts:
            got = sum((e.amount for e in day_entries if e.kind == kind), Decimal("0"))
            assert sheet.totals.amounts[kind] == got
        assert sheet.payments_collected == -sheet.totals.amounts["payment"]
        assert sheet.adds_up
        assert sheet.totals.amounts["transfer"] == 0
        transaction.set_rollback(True)


def test_by_provider_user_and_method_with_the_deposit(office: Office) -> None:
    drawer = open_drawer(acting_user=office.desk, opening_float="100.00")
    post_charge(office.patient, acting_user=office.desk, patient_amount="30.00",
                insurance_amount="120.00", appointment=office.visit)  # fmt: skip
    post_charge(office.patient, acting_user=office.manager, patient_amount="15.00")
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("20.00", "40.00")])
    post_payment(office.patient, acting_user=office.desk, tenders=[check("35.00", "1201")])
    post_payment(office.patient, acting_user=office.manager, tenders=[card("12.50")])
    count_drawer(drawer, acting_user=office.desk, denominations={"100": 1, "20": 1, "0.25": 0},
                 checks_total="35.00", check_count=1)  # fmt: skip
    sheet = day_sheet(office.today)
    assert sheet.totals.charges == Decimal("165.00")
    assert sheet.totals.payments == Decimal("-67.50")
    assert sheet.payments_by_method == {
        "cash": Decimal("20.00"), "check": Decimal("35.00"), "card": Decimal("12.50"),
        "hsa": Decimal("0.00"),
    }  # fmt: skip
    [reyes, none] = sheet.by_provider
    assert (reyes.label, reyes.totals.charges) == ("Dana Reyes, MD", Decimal("150.00"))
    assert reyes.totals.net == Decimal("120.00")  # the cash and $10 of the check paid the visit
    assert (none.label, none.totals.net) == ("No provider", Decimal("-22.50"))
    by_user = {line.key: line for line in sheet.by_user}
    assert by_user[office.desk.pk].collected["cash"] == Decimal("20.00")
    assert by_user[office.manager.pk].collected["card"] == Decimal("12.50")
    assert by_user[office.manager.pk].totals.charges == Decimal("15.00")
    deposit = sheet.deposit
    assert (deposit.counted_cash, deposit.floats_kept, deposit.cash) == (
        Decimal("120.00"), Decimal("100.00"), Decimal("20.00")
    )  # fmt: skip
    assert deposit.checks == [("1201", Decimal("35.00"))]
    assert deposit.total == Decimal("55.00")
    assert deposit.exact
    assert deposit.by_denomination == {"20": 1}  # the $100 bill stays as the float
    text = day_sheet_csv(office.today)
    assert "totals,,Charges,165.00\r\n" in text
    assert "payments by method,,Check,35.00\r\n" in text
    assert "deposit,,Total,55.00\r\n" in text


def test_the_day_sheet_is_a_fixed_number_of_queries(
    office: Office, django_assert_max_num_queries: Any
) -> None:
    open_drawer(acting_user=office.desk, opening_float="10.00")
    for n in range(3):
        post_payment(office.patient, acting_user=office.desk, tenders=[cash("5.00"),
                     check("7.00", f"90{n}")])  # fmt: skip
    with django_assert_max_num_queries(12) as few:
        day_sheet(office.today)
    for n in range(20):
        post_payment(office.patient, acting_user=office.desk, tenders=[cash("1.00"),
                     check("2.00", f"80{n}"), card("3.00")])  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        sheet = day_sheet(office.today)
    assert sheet.payments_by_method["cash"] == Decimal("35.00")


@pytest.mark.parametrize("name", ["=HYPERLINK()", "+1", "@x"])
def test_csv_cells_are_not_formulas(name: str) -> None:
    from medoffice.billing.services.day_sheet import _safe

    assert _safe(name) == "'" + name
    assert _safe("-5.00") == "-5.00"
