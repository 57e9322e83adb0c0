"""Card terminals: one interface for the processor behind the desk's card reader.

``connect()`` returns the configured ``CardTerminal`` (setting ``MEDOFFICE_CARD_TERMINAL``:
"simulated" for the demo and tests, "manual" when staff key in what a standalone terminal
printed). Calls return ``CardResult``/``Settlement`` or raise ``CardTerminalError`` saying whether
a retry can help. Every call has a timeout; amounts are ``Decimal`` dollars and cents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from medoffice.billing.errors import CardTerminalError

__all__ = ["CardResult", "CardTerminal", "CardTerminalError", "Settlement", "connect", "register"]

TIMEOUT_SECONDS = 45.0  # a patient inserting a card and typing a PIN


@dataclass(frozen=True)
class CardResult:
    approved: bool
    approval_code: str = ""  # the processor's authorization code (only when approved)
    card_brand: str = ""  # a billing.choices.CardBrand value
    card_last4: str = ""
    processor_ref: str = ""  # the processor's transaction id, for refunds and voids
    terminal_id: str = ""
    message: str = ""  # why it was declined, fit for the desk


@dataclass(frozen=True)
class Settlement:
    """What the processor batched for a day: it will deposit ``total`` (``count`` sales net)."""

    terminal_id: str
    business_date: dt.date
    total: Decimal
    count: int
    batch_ref: str


class CardTerminal(Protocol):
    terminal_id: str
    #: False for "manual": the desk types the approval code; sale() is not called.
    drives_reader: bool

    def sale(self, amount: Decimal, *, reference: str) -> CardResult:
        """Charge ``amount``; the same ``reference`` twice never charges twice."""

    def refund(self, amount: Decimal, *, reference: str, processor_ref: str) -> CardResult:
        """Give back up to the amount of the sale ``processor_ref``."""

    def void(self, processor_ref: str) -> None:
        """Cancel a sale not yet settled (when posting it failed after the approval)."""

    def settlement(self, day: dt.date) -> Settlement | None:
        """The day's batch, or None where the processor cannot be asked (manual mode)."""


_KINDS: dict[str, Callable[[], CardTerminal]] = {}


def register(kind: str, factory: Callable[[], CardTerminal]) -> None:
    _KINDS[kind] = factory


def connect(kind: str | None = None) -> CardTerminal:
    from django.conf import settings

    chosen = kind or getattr(settings, "MEDOFFICE_CARD_TERMINAL", "simulated")
    if chosen not in _KINDS:
        raise CardTerminalError(
            f"No card terminal of kind {chosen!r} is installed.", retryable=False
        )
    return _KINDS[chosen]()
