"""Accounts receivable aging by patient, read in a fixed number of queries.

Three queries whatever the number of patients: the balances of both buckets per patient (with the
patient's name and MRN, joined), every patient-bucket entry dated on or before the day (aged
first in, first out in Python by ``rules.aging``) and each patient's last payment date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, Sum

from medoffice.billing.choices import Bucket, EntryKind
from medoffice.billing.models import LedgerEntry, Payment
from medoffice.billing.rules.aging import Aging, CollectionsFlag, Movement, age, collections_flag
from medoffice.billing.rules.money import ZERO, cents


@dataclass(frozen=True)
class AgingRow:
    patient_id: int
    name: str  # "Last, First"
    mrn: str
    aging: Aging
    pending_insurance: Decimal
    flag: CollectionsFlag
    last_payment_on: dt.date | None

    @property
    def total(self) -> Decimal:
        """The patient balance (a credit is negative); the buckets add up to it."""
        return self.aging.balance

    @property
    def flag_label(self) -> str:
        return {
            CollectionsFlag.PAST_90: "Past 90 days",
            CollectionsFlag.PAST_120: "Past 120 days: collections",
        }.get(self.flag, "")


@dataclass(frozen=True)
class AgingTotals:
    aging: Aging
    total: Decimal
    pending_insurance: Decimal
    patients: int
    flagged: int


def movements_of(
    as_of: dt.date, patient_ids: Iterable[int] | None = None
) -> dict[int, list[Movement]]:
    """Every patient-bucket entry up to ``as_of``, by patient, oldest first (one query).

    A reversal and the entry it reverses (both on or before ``as_of``) cancel out and are left
    out together: a mistaken charge, reversed, neither ages nor pays an older charge.
    """
    rows = (
        LedgerEntry.objects.filter(bucket=Bucket.PATIENT, posted_on__lte=as_of)
        .exclude(kind=EntryKind.REVERSAL)
        .exclude(reversed_by__posted_on__lte=as_of)
    )
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    found: dict[int, list[Movement]] = defaultdict(list)
    for patient_id, on, amount in rows.order_by("posted_on", "posted_at", "id").values_list(
        "patient_id", "posted_on", "amount"
    ):
        found[patient_id].append(Movement(on, amount))
    return found


def agings_of(patient_ids: Iterable[int], as_of: dt.date) -> dict[int, Aging]:
    """The aging of each listed patient (zero buckets for a patient without entries)."""
    ids = list(patient_ids)
    moves = movements_of(as_of, ids)
    return {pid: age(moves.get(pid, ()), as_of) for pid in ids}


def aging_report(as_of: dt.date) -> list[AgingRow]:
    """Every patient who owes something, has a credit or has an amount pending with insurance
    on ``as_of``, by name."""
    balances = (
        LedgerEntry.objects.filter(posted_on__lte=as_of)
        .values("patient_id", "patient__last_name", "patient__first_name", "patient__mrn")
        .annotate(
            mine=Sum("amount", filter=Q(bucket=Bucket.PATIENT)),
            theirs=Sum("amount", filter=Q(bucket=Bucket.INSURANCE)),
        )
        .order_by()
    )
    wanted = [row for row in balances if (row["mine"] or ZERO) or (row["theirs"] or ZERO)]
    if not wanted:
        return []
    moves = movements_of(as_of)
    last_paid = dict(
        Payment.objects.filter(received_on__lte=as_of)
        .values("patient_id")
        .annotate(last=Max("received_on"))
        .order_by()
        .values_list("patient_id", "last")
    )
    rows = []
    for row in wanted:
        pid = row["patient_id"]
        aging = age(moves.get(pid, ()), as_of)
        rows.append(
            AgingRow(
                patient_id=pid,
                name=f"{row['patient__last_name']}, {row['patient__first_name']}",
                mrn=row["patient__mrn"],
                aging=aging,
                pending_insurance=cents(row["theirs"] or ZERO),
                flag=collections_flag(aging),
                last_payment_on=last_paid.get(pid),
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.mrn))
    return rows


def aging_totals(rows: Iterable[AgingRow]) -> AgingTotals:
    listed = list(rows)
    aging = sum((row.aging for row in listed), Aging())
    return AgingTotals(
        aging=aging,
        total=sum((row.total for row in listed), ZERO),
        pending_insurance=sum((row.pending_insurance for row in listed), ZERO),
        patients=len(listed),
        flagged=sum(1 for row in listed if row.flag),
    )
