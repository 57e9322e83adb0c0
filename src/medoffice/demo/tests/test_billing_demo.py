"""The demo's money: balances are sums of entries, payments add up, past days are closed with a
day sheet, today is open with the desk's drawers open."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from medoffice.billing import queries
from medoffice.billing.choices import DayStatus, DrawerStatus, EntryKind, RefundStatus
from medoffice.billing.models import (
    BusinessDay,
    CashDrawer,
    DayEvent,
    LedgerEntry,
    Payment,
    PaymentPlan,
    Refund,
    Statement,
    Tender,
)
from medoffice.billing.services.day_sheet import day_sheet
from medoffice.demo import authorizations, billing, frontdesk, insurance
from medoffice.demo.steps import STEPS, DemoContext


def _build() -> billing.BillingDemo:
    ctx = DemoContext(
        seed=2026,
        password="pw-test-2026",
        rng=random.Random(2026),
        patients=400,
        appointment_days=35,
        today=timezone.localdate(),
    )
    with transaction.atomic():
        for step in STEPS:
            step(ctx)
        frontdesk.populate(ctx)
        insurance.populate(ctx)
        authorizations.seed_authorizations(rng=ctx.rng, today=timezone.localdate())
        return billing.populate(ctx)


@pytest.mark.django_db
def test_the_demo_money_adds_up_and_past_days_are_closed() -> None:
    # when
    made = _build()
    today = timezone.localdate()
    # then: balances are the sums of entries, and every payment's entries and tenders add up
    assert made.entries > 1000
    assert made.payments > 200
    ids = set(LedgerEntry.objects.values_list("patient_id", flat=True))
    balances = queries.balances_of(ids)
    for pid in ids:
        b = balances[pid]
        assert b.patient_owes + b.pending_insurance == queries.sum_of_entries(pid)
    paid = {
        p: (amount, entries, tenders)
        for p, amount, entries, tenders in Payment.objects.annotate(
            e=Sum("entries__amount", distinct=False)
        ).values_list("pk", "amount", "e", "amount")
    }
    for pk, (amount, entries, _) in paid.items():
        assert entries == -amount, pk
    tendered = dict(Tender.objects.values_list("payment_id").annotate(t=Sum("amount")).order_by())
    assert tendered == {pk: amount for pk, (amount, _, _) in paid.items()}
    # past days closed by the manager with their day sheet; today open with drawers open
    past = BusinessDay.objects.filter(date__lt=today)
    assert past.count() == made.closed_days > 10
    assert set(past.values_list("status", flat=True)) == {DayStatus.CLOSED}
    for closed in past:
        assert closed.day_sheet["totals"]["net"] == str(day_sheet(closed.date).totals.net)
        assert closed.closed_by is not None
        assert closed.closed_by.username == "manager"
    assert DayEvent.objects.filter(day__date__lt=today).count() == made.closed_days
    assert BusinessDay.objects.get(date=today).status == DayStatus.OPEN
    assert CashDrawer.objects.filter(business_date=today, status=DrawerStatus.OPEN).count() == 2
    assert not CashDrawer.objects.filter(business_date__lt=today, status=DrawerStatus.OPEN)
    explained = CashDrawer.objects.exclude(cash_over_short=0).exclude(cash_over_short=None)
    assert explained.exists()
    assert all(d.discrepancy_reason for d in explained)
    # the rest of the story
    assert Refund.objects.filter(status=RefundStatus.POSTED, decided_by__username="manager")
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.TRANSFER).exists()
    assert PaymentPlan.objects.count() == made.plans == 3
    assert Statement.objects.filter(sent_at__isnull=False).exists()
    assert Statement.objects.exclude(collections_flag="").exists()
    assert Tender.objects.filter(change_given__gt=Decimal("0")).exists()
