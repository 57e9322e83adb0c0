"""Counting a cash drawer: cash by denomination, checks, and what is over or short.

Pure arithmetic (no Django): the drawer service passes in what the desk counted and what the
ledger expects, and stores what comes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from medoffice.billing.choices import DENOMINATIONS
from medoffice.billing.errors import DrawerError

ZERO = Decimal("0.00")
VALUES: dict[str, Decimal] = {key: Decimal(value) for key, value, _label in DENOMINATIONS}
LABELS: dict[str, str] = {key: label for key, _value, label in DENOMINATIONS}
MAX_PIECES = 100_000  # of one denomination in one drawer: more is a typing slip


def clean_counts(raw: Mapping[str, object]) -> dict[str, int]:
    """``{"20": "3", "0.25": 8}`` -> ``{"20": 3, "0.25": 8}``; unknown keys and negative or
    non-whole counts are refused. Blank counts are zero; zero counts are left out."""
    counts: dict[str, int] = {}
    for key, value in raw.items():
        if key not in VALUES:
            raise DrawerError(f"“{str(key)[:12]}” is not a denomination the desk counts.")
        number = _whole(key, value)
        if number:
            counts[key] = number
    return counts


def _whole(key: str, value: object) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise DrawerError(f"Count the {LABELS[key].lower()} as a whole number.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    else:
        raise DrawerError(f"Count the {LABELS[key].lower()} as a whole number.")
    if number < 0:
        raise DrawerError(f"The count of {LABELS[key].lower()} can't be negative.")
    if number > MAX_PIECES:
        raise DrawerError(f"{number:,} {LABELS[key].lower()} is more than a drawer holds.")
    return number


def cash_of(counts: Mapping[str, int]) -> Decimal:
    """The exact dollar value of a count by denomination."""
    return sum((VALUES[key] * number for key, number in counts.items()), ZERO).quantize(
        Decimal("0.01")
    )


@dataclass(frozen=True)
class CountResult:
    counted_cash: Decimal
    counted_checks: Decimal
    check_count: int
    cash_over_short: Decimal  # counted minus expected: positive over, negative short
    checks_over_short: Decimal
    check_count_difference: int

    @property
    def balanced(self) -> bool:
        return (
            self.cash_over_short == ZERO
            and self.checks_over_short == ZERO
            and self.check_count_difference == 0
        )


def reconcile(
    counts: Mapping[str, int],
    *,
    checks_total: Decimal,
    check_count: int,
    expected_cash: Decimal,
    expected_checks: Decimal,
    expected_check_count: int,
) -> CountResult:
    """Compare what was counted with what the ledger says the drawer holds."""
    if check_count < 0:
        raise DrawerError("The number of checks can't be negative.")
    if checks_total < 0:
        raise DrawerError("The checks total can't be negative.")
    if check_count == 0 and checks_total > 0:
        raise DrawerError("Enter how many checks make up the checks total.")
    counted = cash_of(counts)
    return CountResult(
        counted_cash=counted,
        counted_checks=checks_total,
        check_count=check_count,
        cash_over_short=counted - expected_cash,
        checks_over_short=checks_total - expected_checks,
        check_count_difference=check_count - expected_check_count,
    )


def describe(result: CountResult) -> str:
    """``"cash short $5.00"`` / ``"checks over $20.00, 1 check more than posted"`` / ``""``."""
    parts = []
    for what, amount in (("cash", result.cash_over_short), ("checks", result.checks_over_short)):
        if amount:
            parts.append(f"{what} {'over' if amount > 0 else 'short'} ${abs(amount):,.2f}")
    n = result.check_count_difference
    if n:
        parts.append(f"{abs(n)} check{'s' if abs(n) != 1 else ''} {'more' if n > 0 else 'fewer'}"
                     " than posted")  # fmt: skip
    return ", ".join(parts)


def keep_floats(counts: Mapping[str, int], floats: Decimal) -> tuple[dict[str, int], bool]:
    """What goes to the bank when the floats stay in the drawers.

    The floats are made up from the counted pieces, never breaking one: from the smallest
    denominations first (coins and small bills stay to make change), else from the largest
    first. Returns the deposit by denomination and whether the floats could be kept back
    exactly; when neither way is exact (say $100 of floats but only a $50 and $20 bills), the
    caller shows the counted money less the floats as one amount instead.
    """
    by_value = sorted(VALUES.items(), key=lambda kv: kv[1])
    best: tuple[dict[str, int], bool] = ({k: n for k, n in counts.items() if n}, floats == ZERO)
    for order in (by_value, list(reversed(by_value))):
        deposit, exact = _take(counts, floats, order)
        if exact:
            return deposit, True
        if order is by_value:
            best = (deposit, False)
    return best


def _take(
    counts: Mapping[str, int], floats: Decimal, order: list[tuple[str, Decimal]]
) -> tuple[dict[str, int], bool]:
    remaining = floats
    deposit = dict(counts)
    for key, value in order:
        have = deposit.get(key, 0)
        take = min(have, int(remaining // value))
        if take:
            deposit[key] = have - take
            remaining -= value * take
    return {k: n for k, n in deposit.items() if n}, remaining == ZERO


EVERYDAY = ("100", "50", "20", "10", "5", "1", "0.25", "0.10", "0.05", "0.01")


def count_for(amount: Decimal, keys: Sequence[str] = EVERYDAY) -> dict[str, int]:
    """An exact count of ``amount`` in the given bills and coins, largest first (the demo's and
    the benchmark's drawers)."""
    cents = int(amount * 100)
    found: dict[str, int] = {}
    for key in keys:
        n, cents = divmod(cents, int(VALUES[key] * 100))
        if n:
            found[key] = n
    if cents:
        raise ValueError(f"{amount} can't be made of {', '.join(keys)}")
    return found
