"""A day closed while a payment is being posted: the close waits for it and keeps it on the day
sheet, and nothing posts into the day after (PostgreSQL: the posting's FOR SHARE on the day row
holds the close's FOR UPDATE; SQLite: IMMEDIATE transactions queue the close behind it)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.billing.errors import DayClosedError
from medoffice.billing.models import BusinessDay, Payment
from medoffice.billing.services.day_close import close_day
from medoffice.billing.services.days import lock_day_for_posting
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import card, make_office

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_close_waits_for_the_payment_in_flight_and_then_refuses_later_ones() -> None:
    # given a payment being posted: its transaction holds the day open
    office = make_office()
    locked, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def pay() -> None:
        try:
            with transaction.atomic():
                lock_day_for_posting(office.today)
                locked.set()
                release.wait(timeout=30)
                post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")])
        finally:
            connection.close()

    def close() -> None:
        try:
            locked.wait(timeout=30)
            outcome["closed"] = close_day(
                office.today, acting_user=office.manager, card_difference_reason="batch tomorrow"
            )
            outcome["at"] = time.monotonic()
        finally:
            connection.close()

    payer, closer = threading.Thread(target=pay), threading.Thread(target=close)
    payer.start()
    closer.start()
    # when the manager closes the day before the payment commits
    locked.wait(timeout=30)
    time.sleep(0.5)
    assert "closed" not in outcome  # the close is waiting
    released_at = time.monotonic()
    release.set()
    payer.join(timeout=60)
    closer.join(timeout=60)

    # then the close came after the payment and its day sheet counts it
    assert outcome["at"] >= released_at
    day = BusinessDay.objects.get(date=office.today)
    assert day.status == "closed"
    assert day.day_sheet["totals"]["payment"] == "-30.00"
    assert Payment.objects.count() == 1
    # and a payment after the close is refused, leaving nothing behind
    with pytest.raises(DayClosedError):
        post_payment(office.patient, acting_user=office.desk, tenders=[card("5.00")])
    assert Payment.objects.count() == 1
    assert Decimal(day.day_sheet["payments_collected"]) == Decimal("30.00")
