"""Dollars and cents as ``Decimal``: parsing what the desk types, and the limits every amount keeps.

Pure functions (no Django): the forms, the API schemas and the services all call ``parse_amount``
so a malformed amount gets the same clear refusal wherever it comes from.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from medoffice.billing.errors import AmountError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("99999.99")  # one charge, payment or refund; the ledger column holds 10^10
MAX_DIGITS = 12
DECIMAL_PLACES = 2

_SHAPE = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?|\d+(\.\d*)?|\.\d+")


def parse_amount(
    raw: object, *, allow_zero: bool = False, maximum: Decimal = MAX_AMOUNT
) -> Decimal:
    """``"$1,234.5"`` -> ``Decimal("1234.50")``; anything else is refused with the reason.

    Accepts a ``Decimal``, an ``int`` or text with an optional ``$`` and thousands commas. Refuses
    floats (binary fractions are not cents), negatives, letters, more than two decimal places and
    amounts above ``maximum``.
    """
    if isinstance(raw, (bool, float)):
        raise AmountError(
            "Enter the amount as text or a decimal, not a binary floating-point number."
        )
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str):
        value = _from_text(raw)
    else:
        raise AmountError("Enter an amount in dollars and cents, such as 25.00.")
    return _within_limits(value, allow_zero=allow_zero, maximum=maximum)


def _from_text(raw: str) -> Decimal:
    text = raw.strip().replace(" ", "")
    if not text:
        raise AmountError("Enter an amount.")
    if text.startswith("-") or text.startswith("(") or "-" in text:
        raise AmountError("Amounts can't be negative; to give money back, record a refund.")
    text = text.removeprefix("$").removeprefix("+")
    if not _SHAPE.fullmatch(text):
        raise AmountError(
            f"“{raw.strip()[:20]}” is not an amount: use digits and a decimal point, such as 25.00."
        )
    if "." in text and len(text.rsplit(".", 1)[1]) > DECIMAL_PLACES:
        raise AmountError("Amounts have at most two decimal places (cents).")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees digits
        raise AmountError("Enter an amount in dollars and cents, such as 25.00.") from None


def _within_limits(value: Decimal, *, allow_zero: bool, maximum: Decimal) -> Decimal:
    if not value.is_finite():
        raise AmountError("Enter an amount in dollars and cents, such as 25.00.")
    if value < 0:
        raise AmountError("Amounts can't be negative; to give money back, record a refund.")
    if value > maximum:
        raise AmountError(f"That is more than the largest amount allowed here (${maximum:,}).")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise AmountError("Amounts have at most two decimal places (cents).")
    if value == 0 and not allow_zero:
        raise AmountError("Enter an amount greater than zero.")
    return value.quantize(CENT)


def cents(value: Decimal) -> Decimal:
    """Round a computed amount (an estimate, a share) half-up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """``Decimal("1234.5")`` -> ``"$1,234.50"``; negative amounts as ``-$5.00``."""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value).quantize(CENT):,}"


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` cent amounts that add up exactly; the last absorbs the remainder."""
    if parts < 1:
        raise AmountError("Split into at least one part.")
    share = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    return [share] * (parts - 1) + [total - share * (parts - 1)]
