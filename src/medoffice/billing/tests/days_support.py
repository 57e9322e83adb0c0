"""What the drawer, refund and day-close tests share: a fake card terminal and a day of takings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from medoffice.integrations.card_terminals import CardResult, Settlement, register


@dataclass
class FakeTerminal:
    """Approves everything; its settlement is whatever the test sets."""

    terminal_id: str = "FAKE-1"
    drives_reader: bool = True
    batch: Settlement | None = None
    refunds: list[tuple[Decimal, str, str]] = field(default_factory=list)

    def sale(self, amount: Decimal, *, reference: str) -> CardResult:
        return CardResult(approved=True, approval_code="OK1", card_brand="visa",
                          card_last4="4242", processor_ref=f"p-{reference}",
                          terminal_id=self.terminal_id)  # fmt: skip

    def refund(self, amount: Decimal, *, reference: str, processor_ref: str) -> CardResult:
        self.refunds.append((amount, reference, processor_ref))
        return CardResult(approved=True, approval_code="RF9", processor_ref=f"r-{reference}",
                          terminal_id=self.terminal_id)  # fmt: skip

    def void(self, processor_ref: str) -> None:
        return None

    def settlement(self, day: dt.date) -> Settlement | None:
        return self.batch


@pytest.fixture
def terminal(settings: object) -> FakeTerminal:
    fake = FakeTerminal()
    register("fake", lambda: fake)
    settings.MEDOFFICE_CARD_TERMINAL = "fake"  # type: ignore[attr-defined]
    return fake
