"""Aging, first in first out: the pure rules (with hypothesis) and the report read in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medoffice.billing import choices
from medoffice.billing.rules.aging import (
    Aging,
    CollectionsFlag,
    Movement,
    age,
    bucket_index,
    collections_flag,
)
from medoffice.billing.services.aging import aging_report, aging_totals
from medoffice.billing.services.ledger import post_adjustment, post_charge, reverse_entry
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import card
from medoffice.patients.tests.factories import make_patient

D = Decimal
AS_OF = dt.date(2026, 6, 30)


def ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


def test_buckets_are_0_30_31_60_61_90_91_120_and_over_120_days():
    assert [bucket_index(n) for n in (0, 30, 31, 60, 61, 90, 91, 120, 121, 400)] == [
        0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]  # fmt: skip


def test_debits_age_from_their_date_and_credits_pay_the_oldest_first():
    # given charges 10, 45, 100 and 130 days ago and a payment today that covers the oldest
    moves = [
        Movement(ago(10), D("40.00")),
        Movement(ago(45), D("30.00")),
        Movement(ago(100), D("20.00")),
        Movement(ago(130), D("50.00")),
        Movement(ago(0), D("-60.00")),
    ]
    # when
    aging = age(moves, AS_OF)
    # then the 130-day charge is paid and $10 is left of the 100-day one
    assert aging == Aging(D("40.00"), D("30.00"), D("0.00"), D("10.00"), D("0.00"))
    assert aging.balance == D("80.00")
    assert collections_flag(aging) == CollectionsFlag.PAST_90


def test_a_refund_ages_from_its_date_and_a_reversal_of_a_charge_is_a_credit():
    moves = [
        Movement(ago(150), D("25.00")),  # charge
        Movement(ago(140), D("-25.00")),  # its reversal
        Movement(ago(70), D("15.00")),  # charge
        Movement(ago(60), D("-15.00")),  # payment
        Movement(ago(5), D("15.00")),  # the payment refunded
    ]
    aging = age(moves, AS_OF)
    assert aging == Aging(current=D("15.00"))
    assert collections_flag(aging) == CollectionsFlag.NONE


def test_a_credit_balance_leaves_every_bucket_at_zero():
    aging = age([Movement(ago(200), D("10.00")), Movement(ago(1), D("-35.00"))], AS_OF)
    assert aging.buckets == (D("0"),) * 5
    assert (aging.credit, aging.balance) == (D("25.00"), D("-25.00"))


def test_entries_after_the_day_are_not_aged():
    aging = age([Movement(ago(-1), D("10.00")), Movement(ago(130), D("5.00"))], AS_OF)
    assert aging == Aging(days_over_120=D("5.00"))
    assert collections_flag(aging) == CollectionsFlag.PAST_120


def test_the_flags_have_the_models_values():
    assert {f.value for f in CollectionsFlag} == set(choices.CollectionsFlag.values)


cents = st.integers(min_value=1, max_value=2_000_000).map(lambda n: D(n) / 100)
movement = st.builds(
    Movement,
    on=st.integers(min_value=-10, max_value=400).map(ago),
    amount=st.tuples(cents, st.booleans()).map(lambda t: t[0] if t[1] else -t[0]),
)


@given(st.lists(movement, max_size=40))
def test_the_buckets_always_add_up_to_the_balance(moves):
    aging = age(moves, AS_OF)
    balance = sum((m.amount for m in moves if m.on <= AS_OF), D("0"))
    assert aging.balance == balance
    assert all(bucket >= 0 for bucket in aging.buckets)
    assert aging.credit >= 0
    assert aging.credit == 0 or aging.owed == 0


@given(st.lists(movement, max_size=40))
def test_paying_everything_leaves_zero_buckets(moves):
    owed = sum((m.amount for m in moves if m.on <= AS_OF), D("0"))
    paid = [*moves, Movement(AS_OF, -owed)] if owed else moves
    aging = age(paid, AS_OF)
    assert aging.buckets == (D("0"),) * 5
    assert aging.credit == 0


# --- the report ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_lists_each_patient_with_buckets_pending_insurance_and_last_payment(office):
    today = office.today
    # given Avery owes $100 from 100 days ago, paid $30 last week, and has $80 pending
    post_charge(office.patient, acting_user=office.desk, patient_amount="100.00",
                insurance_amount="80.00", posted_on=today - dt.timedelta(days=100))  # fmt: skip
    post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")],
                 received_on=today - dt.timedelta(days=7))  # fmt: skip
    # and Blake had a charge written off (nothing owed, nothing pending: not listed)
    blake = make_patient(first_name="Blake", last_name="Adams")
    post_charge(blake, acting_user=office.desk, patient_amount="20.00")
    post_adjustment(blake, acting_user=office.desk, amount="20.00", lowers=True, reason="courtesy")
    # and Casey's charge was reversed but a fresh one is 130 days old
    casey = make_patient(first_name="Casey", last_name="Brook")
    [wrong] = post_charge(casey, acting_user=office.desk, patient_amount="55.00")
    reverse_entry(wrong, acting_user=office.manager, reason="wrong patient")
    post_charge(casey, acting_user=office.desk, patient_amount="12.50",
                posted_on=today - dt.timedelta(days=130))  # fmt: skip
    # when
    rows = aging_report(today)
    # then
    assert [(r.name, r.mrn) for r in rows] == [
        ("Brook, Casey", casey.mrn), ("Quinn, Avery", office.patient.mrn),
    ]  # fmt: skip
    casey_row, avery = rows
    assert avery.aging == Aging(days_91_120=D("70.00"))
    assert (avery.total, avery.pending_insurance) == (D("70.00"), D("80.00"))
    assert avery.last_payment_on == today - dt.timedelta(days=7)
    assert avery.flag == "past_90"
    assert casey_row.aging == Aging(days_over_120=D("12.50"))
    assert (casey_row.flag, casey_row.last_payment_on) == ("past_120", None)
    totals = aging_totals(rows)
    assert (totals.total, totals.pending_insurance, totals.flagged) == (D("82.50"), D("80.00"), 2)
    assert totals.aging.days_over_120 == D("12.50")


@pytest.mark.django_db
def test_the_report_costs_the_same_queries_for_1_or_8_patients(office, django_assert_num_queries):
    post_charge(office.patient, acting_user=office.desk, patient_amount="10.00")
    with django_assert_num_queries(3):
        assert len(aging_report(office.today)) == 1
    for n in range(7):
        other = make_patient(first_name=f"P{n}", last_name="Many")
        post_charge(other, acting_user=office.desk, patient_amount="10.00",
                    posted_on=office.today - dt.timedelta(days=40 * n))  # fmt: skip
    with django_assert_num_queries(3):
        assert len(aging_report(office.today)) == 8


@pytest.mark.django_db
def test_an_earlier_as_of_date_ignores_later_entries(office):
    post_charge(office.patient, acting_user=office.desk, patient_amount="10.00")
    assert aging_report(office.today - dt.timedelta(days=1)) == []


@pytest.mark.django_db
def test_the_report_adds_up_to_the_ledger_through_transfers_payments_and_reversals(
    office,
):
    from medoffice.billing import queries
    from medoffice.billing.services.ledger import transfer_to_patient

    today = office.today
    post_charge(office.patient, acting_user=office.desk, patient_amount="20.00",
                insurance_amount="180.00", posted_on=today - dt.timedelta(days=75))  # fmt: skip
    transfer_to_patient(office.patient, acting_user=office.desk, amount="45.00",
                        reason="deductible")  # fmt: skip
    post_payment(office.patient, acting_user=office.desk, tenders=[card("15.00")])
    debit = post_adjustment(office.patient, acting_user=office.desk, amount="5.00", lowers=False,
                            reason="returned check fee")  # fmt: skip
    reverse_entry(debit, acting_user=office.manager, reason="fee waived")
    [row] = aging_report(today)
    balance = queries.balance_of(office.patient.pk)
    assert row.total == balance.patient_owes == D("50.00")
    assert row.pending_insurance == balance.pending_insurance == D("135.00")
    # the $15 payment paid the oldest debit (the 75-day-old $20) first; the transfer is today's
    assert row.aging == Aging(current=D("45.00"), days_61_90=D("5.00"))
