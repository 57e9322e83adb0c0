"""Given a visit, when charges and payments are posted, then balances are sums of entries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from medoffice.billing import queries
from medoffice.billing.choices import PaymentPurpose
from medoffice.billing.errors import DayClosedError, DrawerError, PaymentError
from medoffice.billing.models import BusinessDay, LedgerEntry, Payment, Tender
from medoffice.billing.services.drawers import open_drawer
from medoffice.billing.services.ledger import post_charge, reverse_entry
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card, cash


def test_charge_splits_patient_and_insurance(office: Office) -> None:
    post_charge(
        office.patient,
        acting_user=office.desk,
        patient_amount="25.00",
        insurance_amount="125.00",
        appointment=office.visit,
        code="99213",
    )
    balance = queries.balance_of(office.patient.pk)
    assert balance.patient_owes == Decimal("25.00")
    assert balance.pending_insurance == Decimal("125.00")


def test_split_cash_and_card_copay_with_change(office: Office) -> None:
    open_drawer(acting_user=office.desk, opening_float="100.00")
    posted = post_payment(
        office.patient,
        acting_user=office.desk,
        tenders=[cash("10.00", received="20.00"), card("15.00")],
        purpose=PaymentPurpose.COPAY,
        appointment=office.visit,
    )
    assert posted.payment.amount == Decimal("25.00")
    assert posted.change_given == Decimal("10.00")
    assert posted.applied == {office.visit.pk: Decimal("25.00")}
    assert queries.balance_of(office.patient.pk).patient_owes == Decimal("-25.00")


def test_cash_without_an_open_drawer_is_refused_and_nothing_posts(office: Office) -> None:
    with pytest.raises(DrawerError):
        post_payment(office.patient, acting_user=office.desk, tenders=[cash("5.00")])
    assert Payment.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_the_same_key_posts_once(office: Office) -> None:
    first = post_payment(office.patient, acting_user=office.desk, tenders=[card("40.00")], key="k1")
    again = post_payment(office.patient, acting_user=office.desk, tenders=[card("40.00")], key="k1")
    assert first.created
    assert not again.created
    assert again.payment.pk == first.payment.pk
    assert Payment.objects.count() == 1
    assert Tender.objects.count() == 1
    with pytest.raises(PaymentError, match="different payment"):
        post_payment(office.patient, acting_user=office.desk, tenders=[card("41.00")], key="k1")


def test_ledger_entries_cannot_be_changed_or_deleted(office: Office) -> None:
    [entry] = post_charge(office.patient, acting_user=office.desk, patient_amount="30.00")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("30.00")


def test_reversal_nets_to_zero_and_only_once(office: Office) -> None:
    [entry] = post_charge(office.patient, acting_user=office.desk, patient_amount="30.00")
    reverse_entry(entry, acting_user=office.desk, reason="Charged the wrong patient")
    assert queries.balance_of(office.patient.pk).patient_owes == Decimal("0.00")
    with pytest.raises(Exception, match="already been reversed"):
        reverse_entry(entry, acting_user=office.desk, reason="again")


def test_posting_into_a_closed_day_is_refused(office: Office) -> None:
    BusinessDay.objects.create(
        date=office.today,
        status="closed",
        closed_by=office.manager,
        closed_at=office.visit.starts_at,
    )
    with pytest.raises(DayClosedError):
        post_payment(office.patient, acting_user=office.desk, tenders=[card("5.00")])
    assert Payment.objects.count() == 0


def test_postgresql_refuses_truncating_the_ledger(office: Office) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL; SQLite's DELETE is refused above")
    post_charge(office.patient, acting_user=office.desk, patient_amount="30.00")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE billing_ledgerentry, billing_tender CASCADE")
    assert LedgerEntry.objects.count() == 1


def test_tenders_cannot_be_changed(office: Office) -> None:
    posted = post_payment(office.patient, acting_user=office.desk, tenders=[card("12.00")])
    with pytest.raises(DatabaseError), transaction.atomic():
        Tender.objects.filter(payment=posted.payment).update(amount=Decimal("1.00"))
    assert Tender.objects.get(payment=posted.payment).amount == Decimal("12.00")


def test_a_merged_duplicate_takes_no_payment(office: Office) -> None:
    from medoffice.patients.models import Patient
    from medoffice.patients.tests.factories import make_patient

    kept = make_patient(first_name="Avery", last_name="Quinn-Kept")
    Patient.objects.filter(pk=office.patient.pk).update(merged_into=kept, status="merged")
    office.patient.refresh_from_db()
    with pytest.raises(PaymentError, match="merged into another"):
        post_payment(office.patient, acting_user=office.desk, tenders=[card("5.00")])
    assert Payment.objects.count() == 0
