"""The payments journal (filters, totals, what each payment paid) and the CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.billing.services.aging import aging_report
from medoffice.billing.services.journal import (
    aging_csv,
    journal_csv,
    journal_totals,
    payments_journal,
    safe_cell,
)
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import TenderIn, post_payment
from medoffice.billing.tests.factories import Office, card
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db
D = Decimal


def hsa(amount: str) -> TenderIn:
    return TenderIn(method="hsa", amount=D(amount), card_last4="1111", approval_code="H1",
                    entry_mode="terminal")  # fmt: skip


def two_payments(office: Office):
    post_charge(office.patient, acting_user=office.desk, patient_amount="80.00",
                appointment=office.visit)  # fmt: skip
    first = post_payment(
        office.patient, acting_user=office.desk, appointment=office.visit,
        tenders=[card("30.00"), hsa("20.00")], purpose="copay",
    ).payment  # fmt: skip
    other = make_user("casey", roles=(Role.FRONT_DESK,))
    second = post_payment(office.patient, acting_user=other, tenders=[card("45.00")],
                          received_on=office.today - dt.timedelta(days=3)).payment  # fmt: skip
    return first, second, other


def test_the_journal_lists_each_payment_with_methods_and_what_it_paid(office):
    first, second, _ = two_payments(office)
    rows = payments_journal(office.today - dt.timedelta(days=7), office.today)
    assert [r.receipt_number for r in rows] == [first.receipt_number, second.receipt_number]
    row = rows[0]
    assert (row.patient_name, row.mrn, row.purpose, row.amount) == (
        "Quinn, Avery", office.patient.mrn, "Copay", D("50.00"),
    )  # fmt: skip
    assert row.tenders == [("Card", D("30.00")), ("HSA/FSA card", D("20.00"))]
    assert row.received_by == "robin"
    assert row.applied_to == [f"Visit {office.today:%m/%d/%Y} 50.00"]
    # the second was received three days ago: the payment dates are what is filtered on
    assert [r.receipt_number for r in payments_journal(office.today, office.today)] == [
        first.receipt_number
    ]


def test_the_journal_filters_by_user_and_method_and_totals_by_method(office):
    first, second, other = two_payments(office)
    start = office.today - dt.timedelta(days=7)
    assert [r.payment_id for r in payments_journal(start, office.today, user=other)] == [second.pk]
    assert [r.payment_id for r in payments_journal(start, office.today, method="hsa")] == [first.pk]
    assert payments_journal(start, office.today, method="cash") == []
    totals = journal_totals(payments_journal(start, office.today))
    assert (totals.count, totals.total) == (2, D("95.00"))
    assert totals.by_method == {"Card": D("75.00"), "HSA/FSA card": D("20.00")}


def test_the_journal_costs_the_same_queries_for_1_or_6_payments(office, django_assert_num_queries):
    post_payment(office.patient, acting_user=office.desk, tenders=[card("5.00")])
    with django_assert_num_queries(3):
        assert len(payments_journal(office.today, office.today)) == 1
    for _ in range(5):
        post_payment(make_patient(), acting_user=office.desk, tenders=[card("5.00")])
    with django_assert_num_queries(3):
        assert len(payments_journal(office.today, office.today)) == 6


def test_journal_csv_has_plain_amounts_and_a_column_per_method(office):
    first, _, _ = two_payments(office)
    rows = list(csv.reader(io.StringIO(journal_csv(payments_journal(office.today, office.today)))))
    assert rows[0][:7] == ["Date", "Time", "Receipt", "Patient", "MRN", "Purpose", "Amount"]
    line = dict(zip(rows[0], rows[1], strict=True))
    assert (line["Receipt"], line["Amount"], line["Card"], line["HSA/FSA"], line["Cash"]) == (
        first.receipt_number, "50.00", "30.00", "20.00", "0.00",
    )  # fmt: skip
    assert line["Date"] == office.today.isoformat()


@pytest.mark.parametrize(
    ("value", "written"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM", "'@SUM"),
     ("\tx", "'\tx"), ("Quinn", "Quinn"), (None, "")],
)  # fmt: skip
def test_cells_that_look_like_formulas_are_quoted(value, written):
    assert safe_cell(value) == written


def test_aging_csv_quotes_a_formula_name_and_writes_plain_decimals(office):
    sneaky = make_patient(first_name="x", last_name="=cmd|' /C calc'!A0")
    post_charge(sneaky, acting_user=office.desk, patient_amount="1234.50",
                posted_on=office.today - dt.timedelta(days=45))  # fmt: skip
    post_payment(office.patient, acting_user=office.desk, tenders=[card("10.00")])
    rows = list(csv.reader(io.StringIO(aging_csv(aging_report(office.today)))))
    assert rows[0] == ["Patient", "MRN", "0-30", "31-60", "61-90", "91-120", "Over 120",
                       "Credit", "Balance", "Pending insurance", "Collections flag",
                       "Last payment"]  # fmt: skip
    assert rows[1] == ["'=cmd|' /C calc'!A0, x", sneaky.mrn, "0.00", "1234.50", "0.00", "0.00",
                       "0.00", "0.00", "1234.50", "0.00", "", ""]  # fmt: skip
    assert rows[2][7:9] == ["10.00", "-10.00"]
    assert rows[2][-1] == office.today.isoformat()
