"""Aging of what the patient owes, first in first out: pure functions, tested without a database.

Every patient-bucket entry is a *movement*: a positive amount (a charge, a transfer from
insurance, a debit adjustment, a refund paid out, the reversal of a credit) is a debit that ages
from its own date; a negative amount (a payment, a write-off, the reversal of a debit) is a credit
that pays the oldest debits first, whenever it was received. The buckets therefore always add up
to the balance; a credit balance leaves every bucket at zero and shows as ``credit``. (The
report leaves a reversal and the entry it reverses out together: they cancel exactly.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from medoffice.billing.rules.money import ZERO

# (label, last day of age in the bucket); the last bucket has no upper end.
BUCKETS: tuple[tuple[str, str, int | None], ...] = (
    ("current", "0-30 days", 30),
    ("days_31_60", "31-60 days", 60),
    ("days_61_90", "61-90 days", 90),
    ("days_91_120", "91-120 days", 120),
    ("days_over_120", "Over 120 days", None),
)


class CollectionsFlag(StrEnum):
    """The same values as ``billing.choices.CollectionsFlag`` (kept free of Django here)."""

    NONE = ""
    PAST_90 = "past_90"
    PAST_120 = "past_120"


@dataclass(frozen=True)
class Movement:
    """One patient-bucket entry: its business day and its signed amount."""

    on: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Aging:
    current: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    days_91_120: Decimal = ZERO
    days_over_120: Decimal = ZERO
    credit: Decimal = ZERO  # more paid than owed: a credit on account (zero or positive)

    @property
    def buckets(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        return (
            self.current,
            self.days_31_60,
            self.days_61_90,
            self.days_91_120,
            self.days_over_120,
        )

    @property
    def owed(self) -> Decimal:
        """What is owed now, the sum of the buckets."""
        return sum(self.buckets, ZERO)

    @property
    def balance(self) -> Decimal:
        """The patient balance: what is owed, less any credit."""
        return self.owed - self.credit

    def __add__(self, other: Aging) -> Aging:
        return _aging([a + b for a, b in zip(self.buckets, other.buckets, strict=True)],
                      self.credit + other.credit)  # fmt: skip


def _aging(buckets: list[Decimal], credit: Decimal) -> Aging:
    current, days_31_60, days_61_90, days_91_120, days_over_120 = buckets
    return Aging(current, days_31_60, days_61_90, days_91_120, days_over_120, credit)


def bucket_index(age_in_days: int) -> int:
    """0 for 0-30 days (and for a date after ``as_of``), ..., 4 for over 120 days."""
    for index, (_, _, last_day) in enumerate(BUCKETS):
        if last_day is None or age_in_days <= last_day:
            return index
    raise AssertionError("unreachable: the last bucket has no upper end")  # pragma: no cover


def age(movements: Iterable[Movement], as_of: dt.date) -> Aging:
    """Age the movements dated on or before ``as_of`` (later ones are ignored)."""
    debits: list[Movement] = []
    credits = ZERO
    for movement in movements:
        if movement.on > as_of:
            continue
        if movement.amount > 0:
            debits.append(movement)
        else:
            credits -= movement.amount
    debits.sort(key=lambda m: m.on)  # stable: same-day debits keep their posting order
    buckets = [ZERO] * len(BUCKETS)
    for debit in debits:
        paid = min(credits, debit.amount)
        credits -= paid
        left = debit.amount - paid
        if left:
            buckets[bucket_index((as_of - debit.on).days)] += left
    return _aging(buckets, credits)


def collections_flag(aging: Aging) -> CollectionsFlag:
    """Past 120 days when anything is over 120 days old; past 90 when anything is 91-120."""
    if aging.days_over_120 > 0:
        return CollectionsFlag.PAST_120
    if aging.days_91_120 > 0:
        return CollectionsFlag.PAST_90
    return CollectionsFlag.NONE
