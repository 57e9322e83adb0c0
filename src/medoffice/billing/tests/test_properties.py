"""Property-based: for any sequence of charges, payments, write-offs, transfers, refunds and
reversals, every account's balance equals the sum of its entries (and an independent model of
what was posted), and each day sheet adds up to that day's ledger.

Each example runs inside a transaction that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medoffice.billing import queries
from medoffice.billing.errors import BillingError, RefundError
from medoffice.billing.models import LedgerEntry
from medoffice.billing.services import ledger, refunds
from medoffice.billing.services.day_sheet import day_sheet
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card, make_office
from medoffice.patients.tests.factories import make_patient

cents = st.integers(min_value=1, max_value=50_000).map(lambda n: Decimal(n) / 100)
days_ago = st.integers(min_value=0, max_value=3)
who = st.integers(min_value=0, max_value=1)
operation = st.one_of(
    st.tuples(st.just("charge"), who, days_ago, cents, cents),
    st.tuples(st.just("payment"), who, days_ago, cents),
    st.tuples(st.just("writeoff"), who, days_ago, cents),
    st.tuples(st.just("transfer"), who, days_ago, cents),
    st.tuples(st.just("reverse"), who, st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("refund"), who, cents),
)


class Model:
    """What the balances must be, computed without the database."""

    def __init__(self) -> None:
        self.owes: dict[int, Decimal] = defaultdict(Decimal)
        self.pending: dict[int, Decimal] = defaultdict(Decimal)

    def add(self, patient_id: int, bucket: str, amount: Decimal) -> None:
        (self.owes if bucket == "patient" else self.pending)[patient_id] += amount


def _apply(office: Office, patients: list[Any], op: tuple[Any, ...], model: Model) -> None:
    kind, n = op[0], op[1]
    patient = patients[n]
    if kind == "reverse":
        candidates = list(
            LedgerEntry.objects.filter(patient=patient, kind__in=["charge", "adjustment"])
            .filter(reversed_by__isnull=True)
            .order_by("id")
        )
        if not candidates:
            return
        entry = candidates[op[2] % len(candidates)]
        ledger.reverse_entry(entry, acting_user=office.desk, reason="property test")
        model.add(patient.pk, entry.bucket, -entry.amount)
        return
    if kind == "refund":
        _refund(office, patient, op[2], model)
        return
    day = office.today - dt.timedelta(days=op[2])
    if kind == "charge":
        ledger.post_charge(patient, acting_user=office.desk, patient_amount=op[3],
                           insurance_amount=op[4], posted_on=day)  # fmt: skip
        model.add(patient.pk, "patient", op[3])
        model.add(patient.pk, "insurance", op[4])
    elif kind == "payment":
        post_payment(patient, acting_user=office.desk, tenders=[card(str(op[3]))], received_on=day)
        model.add(patient.pk, "patient", -op[3])
    elif kind == "writeoff":
        ledger.post_adjustment(patient, acting_user=office.desk, amount=op[3], lowers=True,
                               reason="small balance")  # fmt: skip
        model.add(patient.pk, "patient", -op[3])
    elif kind == "transfer":
        ledger.transfer_to_patient(patient, acting_user=office.desk, amount=op[3],
                                   reason="insurance paid less")  # fmt: skip
        model.add(patient.pk, "insurance", -op[3])
        model.add(patient.pk, "patient", op[3])


def _refund(office: Office, patient: Any, amount: Decimal, model: Model) -> None:
    """Give back part of a credit by check; more than the credit must be refused, unchanged."""
    credit = -model.owes[patient.pk]
    before = queries.sum_of_entries(patient.pk)
    try:
        refund = refunds.request_refund(
            patient, acting_user=office.desk, amount=amount, method="check", reason="overpaid"
        )
    except RefundError:
        assert amount > credit
        assert queries.sum_of_entries(patient.pk) == before
        return
    assert amount <= credit
    refunds.approve_refund(refund, acting_user=office.manager, check_number="5001")
    model.add(patient.pk, "patient", amount)


def _assert_day_sheets_add_up(office: Office) -> None:
    for back in range(4):
        day = office.today - dt.timedelta(days=back)
        sheet = day_sheet(day)
        entries = LedgerEntry.objects.filter(posted_on=day)
        assert sheet.totals.net == sum((e.amount for e in entries), Decimal("0"))
        for kind in ("charge", "payment", "adjustment", "refund", "transfer", "reversal"):
            of_kind = sum((e.amount for e in entries if e.kind == kind), Decimal("0"))
            assert sheet.totals.amounts[kind] == of_kind
        assert sum(sheet.payments_by_method.values(), Decimal("0")) == -sheet.totals.payments
        assert sheet.adds_up


@pytest.fixture
def people(db: None) -> tuple[Office, list[Any]]:
    office = make_office()
    return office, [office.patient, make_patient(first_name="Blake", last_name="Ortiz")]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_balances_are_the_sum_of_entries_for_any_sequence(
    people: tuple[Office, list[Any]], ops: list[tuple[Any, ...]]
) -> None:
    office, patients = people
    with transaction.atomic():
        model = Model()
        for op in ops:
            try:
                with transaction.atomic():
                    _apply(office, patients, op, model)
            except BillingError as exc:
                pytest.fail(f"refused: {op}: {exc}")
        for patient in patients:
            balance = queries.balance_of(patient.pk)
            assert balance.patient_owes == model.owes[patient.pk]
            assert balance.pending_insurance == model.pending[patient.pk]
            total = queries.sum_of_entries(patient.pk)
            assert total == model.owes[patient.pk] + model.pending[patient.pk]
            by_visit = queries.visit_balances(patient.pk).values()
            assert sum((b.patient_owes for b in by_visit), Decimal("0")) == balance.patient_owes
        _assert_day_sheets_add_up(office)
        transaction.set_rollback(True)
