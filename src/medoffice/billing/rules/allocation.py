"""Which visits a payment pays: pure functions, tested without a database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from medoffice.billing.errors import PaymentError
from medoffice.billing.rules.money import ZERO


@dataclass(frozen=True)
class OpenVisit:
    appointment_id: int
    starts_on: str  # ISO date, for oldest-first
    owed: Decimal  # what the patient owes on it now (patient bucket)


def allocate(
    amount: Decimal,
    *,
    open_visits: Sequence[OpenVisit],
    requested: Mapping[int | None, Decimal] | None = None,
    oldest_first: bool = True,
) -> dict[int | None, Decimal]:
    """Split ``amount`` over visits: ``requested`` as given (``None`` = on account), else the
    oldest visits first up to what each owes; what is left stays on account (a credit)."""
    if requested:
        total = sum(requested.values(), ZERO)
        if total != amount:
            raise PaymentError(
                f"The amounts applied to visits ({total}) must add up to the payment ({amount})."
            )
        if any(value <= 0 for value in requested.values()):
            raise PaymentError("Each amount applied to a visit must be greater than zero.")
        return dict(requested.items())
    left = amount
    result: dict[int | None, Decimal] = {}
    visits = (
        sorted(open_visits, key=lambda v: (v.starts_on, v.appointment_id))
        if oldest_first
        else open_visits
    )
    for visit in visits:
        if left <= 0:
            break
        take = min(left, visit.owed)
        if take > 0:
            result[visit.appointment_id] = take
            left -= take
    if left > 0:
        result[None] = left
    return result


def change_due(cash_received: Decimal, amount: Decimal) -> Decimal:
    """Change to hand back; refuses cash that does not cover its share."""
    if cash_received < amount:
        raise PaymentError(
            f"Cash received (${cash_received}) is less than the cash part (${amount})."
        )
    return cash_received - amount
