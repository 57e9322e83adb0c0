"""Reads other contexts (front desk, reports, the demo) may use: balances are always sums of
ledger entries, split into what the patient owes now and what is pending with insurance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from medoffice.billing.choices import Bucket, DrawerStatus
from medoffice.billing.models import CashDrawer, LedgerEntry, Payment
from medoffice.billing.rules.allocation import OpenVisit
from medoffice.billing.rules.money import CENT, ZERO


def _cents(value: Decimal | None) -> Decimal:
    """SQLite sums come back as ``Decimal("-25")``: always two places, as in the database."""
    return ZERO if value is None else value.quantize(CENT)


@dataclass(frozen=True)
class Balance:
    """``patient_owes`` below zero is a credit on account."""

    patient_owes: Decimal = ZERO
    pending_insurance: Decimal = ZERO

    @property
    def credit(self) -> Decimal:
        return -self.patient_owes if self.patient_owes < 0 else ZERO

    @property
    def due_now(self) -> Decimal:
        return self.patient_owes if self.patient_owes > 0 else ZERO


def balances_of(patient_ids: Iterable[int]) -> dict[int, Balance]:
    """Every listed patient's balance (patients without entries: zero), in plain SQL: the desk
    reads it on every page and payment. SQLite sums whole cents (its SUM of a decimal column is a
    float); PostgreSQL sums ``numeric`` exactly."""
    ids = list(dict.fromkeys(patient_ids))
    sums: dict[int, dict[str, Decimal]] = {}
    for start in range(0, len(ids), _CHUNK):
        for patient_id, bucket, total in _bucket_sums(ids[start : start + _CHUNK]):
            sums.setdefault(int(patient_id), {})[bucket] = total
    return {
        pid: Balance(
            sums.get(pid, {}).get(Bucket.PATIENT, ZERO),
            sums.get(pid, {}).get(Bucket.INSURANCE, ZERO),
        )
        for pid in ids
    }


_CHUNK = 500


def _bucket_sums(ids: list[int]) -> list[tuple[int, str, Decimal]]:
    if not ids:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT patient_id, bucket, SUM(amount) FROM billing_ledgerentry"
                " WHERE patient_id = ANY(%s) GROUP BY patient_id, bucket",
                [ids],
            )
            return [(pid, bucket, _cents(total)) for pid, bucket, total in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            "SELECT patient_id, bucket, SUM(CAST(ROUND(amount * 100) AS INTEGER))"  # noqa: S608
            f" FROM billing_ledgerentry WHERE patient_id IN ({marks}) GROUP BY patient_id, bucket",
            ids,
        )
        return [
            (pid, bucket, (Decimal(int(total)) / 100).quantize(CENT))
            for pid, bucket, total in cursor.fetchall()
        ]


def balance_of(patient_id: int) -> Balance:
    return balances_of([patient_id])[patient_id]


def visit_balances(patient_id: int) -> dict[int | None, Balance]:
    """Per visit (``None``: on account, not tied to a visit)."""
    rows = (
        LedgerEntry.objects.filter(patient_id=patient_id)
        .values("appointment_id")
        .annotate(
            mine=Sum("amount", filter=Q(bucket=Bucket.PATIENT)),
            theirs=Sum("amount", filter=Q(bucket=Bucket.INSURANCE)),
        )
    )
    return {r["appointment_id"]: Balance(_cents(r["mine"]), _cents(r["theirs"])) for r in rows}


def balance_of_visit(appointment_id: int) -> Balance:
    row = LedgerEntry.objects.filter(appointment_id=appointment_id).aggregate(
        mine=Sum("amount", filter=Q(bucket=Bucket.PATIENT)),
        theirs=Sum("amount", filter=Q(bucket=Bucket.INSURANCE)),
    )
    return Balance(_cents(row["mine"]), _cents(row["theirs"]))


def open_visits(patient_id: int) -> list[OpenVisit]:
    """Visits on which the patient owes something now, for oldest-first allocation."""
    rows = (
        LedgerEntry.objects.filter(
            patient_id=patient_id, bucket=Bucket.PATIENT, appointment_id__isnull=False
        )
        .values("appointment_id", "appointment__starts_at")
        .annotate(owed=Sum("amount"))
        .filter(owed__gt=0)
    )
    return [
        OpenVisit(
            r["appointment_id"], r["appointment__starts_at"].date().isoformat(), _cents(r["owed"])
        )
        for r in rows
    ]


def visit_ids_of(patient_id: int, visit_ids: set[int]) -> set[int]:
    from medoffice.scheduling import queries as scheduling

    return scheduling.appointment_ids_of(patient_id, visit_ids) if visit_ids else set()


def ledger_of(patient_id: int) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(patient_id=patient_id)
        .select_related("appointment", "provider", "payment", "posted_by", "reverses")
        .order_by("posted_at", "id")
    )


def payments_of(patient_id: int) -> QuerySet[Payment]:
    return Payment.objects.filter(patient_id=patient_id).prefetch_related("tenders")


def payments_of_visit(appointment_id: int) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(entries__appointment_id=appointment_id)
        .distinct()
        .prefetch_related("tenders")
    )


def get_payment(payment_id: int) -> Payment | None:
    return (
        Payment.objects.select_related("patient", "received_by", "appointment")
        .prefetch_related("tenders", "entries")
        .filter(pk=payment_id)
        .first()
    )


def open_drawer_of(user_id: int, day: dt.date) -> CashDrawer | None:
    return CashDrawer.objects.filter(
        user_id=user_id, business_date=day, status=DrawerStatus.OPEN
    ).first()


def sum_of_entries(patient_id: int) -> Decimal:
    """Both buckets together: the property tests check balances against this."""
    return _cents(LedgerEntry.objects.filter(patient_id=patient_id).aggregate(t=Sum("amount"))["t"])
