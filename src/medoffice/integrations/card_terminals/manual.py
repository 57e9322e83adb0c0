"""Manual mode: the desk runs the card on a standalone terminal and keys in what it printed
(last four, brand, approval code). medoffice never talks to the processor, so sale, refund and
void are refused here and there is no settlement batch to ask for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from medoffice.billing.errors import CardTerminalError
from medoffice.integrations.card_terminals.base import CardResult, Settlement

TERMINAL_ID = "MANUAL"
KEYED_IN = (
    "Card payments are run on the standalone terminal here: enter the last four digits, the "
    "brand and the approval code it printed."
)


class ManualTerminal:
    terminal_id = TERMINAL_ID
    drives_reader = False

    def sale(self, amount: Decimal, *, reference: str) -> CardResult:
        raise CardTerminalError(KEYED_IN, retryable=False)

    def refund(self, amount: Decimal, *, reference: str, processor_ref: str) -> CardResult:
        raise CardTerminalError(
            "Refund the card on the standalone terminal, then record its approval code.",
            retryable=False,
        )

    def void(self, processor_ref: str) -> None:
        raise CardTerminalError("Void the sale on the standalone terminal.", retryable=False)

    def settlement(self, day: dt.date) -> Settlement | None:
        return None
