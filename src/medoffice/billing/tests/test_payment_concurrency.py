"""The issue's "Done when": 20 concurrent submissions of one payment with one key post once.

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL the racers' inserts of the key wait on the unique index until the first commits, then
find its answer; on SQLite IMMEDIATE transactions queue them and they find it at once.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.billing.models import LedgerEntry, Payment, Tender
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.api_client import bearer, card_body, data, post
from medoffice.billing.tests.factories import card, make_office
from medoffice.core.testing import race

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 20


def test_20_concurrent_api_submissions_with_one_key_post_exactly_once() -> None:
    # given one desk login with a token per racer (no two racers share a token row)
    office = make_office()
    clients = [bearer(office.desk, f"t{n}") for n in range(RACERS)]
    body = card_body(office.patient.pk, "40.00", appointment_id=office.visit.pk)

    # when all 20 send the same payment with the same Idempotency-Key at once
    answers = race(RACERS, lambda n: post(clients[n], "/api/billing/payments", body, key="pay-1"))

    # then one payment is posted and every caller got its answer
    assert Counter(a.status_code for a in answers) == {201: RACERS}
    assert Counter(a.get("Idempotent-Replayed") for a in answers) == {None: 1, "true": RACERS - 1}
    assert len({data(a)["id"] for a in answers}) == 1
    assert Payment.objects.count() == 1
    assert Tender.objects.count() == 1
    assert list(LedgerEntry.objects.values_list("amount", flat=True)) == [Decimal("-40.00")]


def test_20_concurrent_service_calls_with_one_key_post_exactly_once() -> None:
    # given the same payment sent by 20 desk screens (a double-clicked, retried form)
    office = make_office()

    def attempt(n: int) -> Any:
        return post_payment(
            office.patient, acting_user=office.desk, tenders=[card("40.00")], key="form-1"
        ).created

    # when they race
    created = race(RACERS, attempt)
    # then
    assert Counter(created) == {True: 1, False: RACERS - 1}
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
