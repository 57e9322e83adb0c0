"""The card terminals: the simulator approves deterministically, never charges twice for one
reference, keeps a per-day journal whose settlement nets sales, voids and refunds; manual mode
refuses to drive a reader."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from medoffice.billing.errors import CardTerminalError
from medoffice.integrations.card_terminals import (
    ManualTerminal,
    SimulatedTerminal,
    connect,
)
from medoffice.integrations.card_terminals.simulated import DECLINED, TERMINAL_ID


@pytest.fixture
def journal(tmp_path: Path, settings) -> Path:
    settings.MEDOFFICE_CARD_TERMINAL_DIR = tmp_path / "terminal"
    return tmp_path / "terminal"


def _lines(journal: Path) -> list[dict]:
    path = journal / f"{TERMINAL_ID}-{timezone.localdate().isoformat()}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_connect_returns_the_configured_kind(settings, journal):
    settings.MEDOFFICE_CARD_TERMINAL = "manual"
    assert isinstance(connect(), ManualTerminal)
    settings.MEDOFFICE_CARD_TERMINAL = "simulated"
    assert isinstance(connect(), SimulatedTerminal)
    with pytest.raises(CardTerminalError, match="No card terminal of kind 'acme'") as raised:
        connect("acme")
    assert raised.value.retryable is False


def test_a_sale_is_approved_with_codes_derived_from_its_reference(journal):
    # Given the simulator
    terminal = SimulatedTerminal()
    # When a sale is run twice with one reference
    first = terminal.sale(Decimal("15.00"), reference="key-1:1")
    again = terminal.sale(Decimal("15.00"), reference="key-1:1")
    # Then it is approved once, with the same answer, and journaled once
    assert first.approved
    assert first == again
    assert len(first.approval_code) == 6
    assert first.approval_code.isalnum()
    assert first.processor_ref.startswith("SIM")
    assert first.card_last4.isdigit()
    assert len(first.card_last4) == 4
    assert first.card_brand in {"visa", "mastercard", "amex", "discover"}
    assert first.terminal_id == TERMINAL_ID
    assert [(x["op"], x["reference"], x["amount"]) for x in _lines(journal)] == [
        ("sale", "key-1:1", "15.00")
    ]
    # and another reference is another sale with another approval
    other = terminal.sale(Decimal("15.00"), reference="key-2:1")
    assert other.processor_ref != first.processor_ref
    assert len(_lines(journal)) == 2


def test_a_repeated_reference_with_another_amount_is_refused(journal):
    terminal = SimulatedTerminal()
    terminal.sale(Decimal("15.00"), reference="key-1:1")
    with pytest.raises(CardTerminalError, match="another amount"):
        terminal.sale(Decimal("16.00"), reference="key-1:1")
    assert len(_lines(journal)) == 1


def test_amounts_ending_in_13_cents_are_declined_and_31_cents_time_out(journal):
    terminal = SimulatedTerminal()
    declined = terminal.sale(Decimal("20.13"), reference="d:1")
    assert not declined.approved
    assert declined.message == DECLINED
    assert declined.approval_code == ""
    with pytest.raises(CardTerminalError, match="did not answer in time") as raised:
        terminal.sale(Decimal("20.31"), reference="t:1")
    assert raised.value.retryable is True
    assert not (journal / f"{TERMINAL_ID}-{timezone.localdate().isoformat()}.jsonl").exists()


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), Decimal("1.005")])
def test_malformed_amounts_never_reach_the_processor(journal, amount):
    with pytest.raises(CardTerminalError):
        SimulatedTerminal().sale(amount, reference="x:1")


def test_settlement_nets_sales_voids_and_refunds_of_the_day(journal):
    # Given three sales, one voided and one partly refunded
    terminal = SimulatedTerminal()
    kept = terminal.sale(Decimal("40.00"), reference="a:1")
    terminal.sale(Decimal("25.50"), reference="b:1")
    voided = terminal.sale(Decimal("99.00"), reference="c:1")
    terminal.void(voided.processor_ref)
    terminal.void(voided.processor_ref)  # a second void changes nothing
    refund = terminal.refund(Decimal("10.00"), reference="r:1", processor_ref=kept.processor_ref)
    assert refund.approved
    assert refund.card_last4 == kept.card_last4
    # When the day's batch is asked for
    batch = terminal.settlement(timezone.localdate())
    # Then it deposits the sales not voided less the refund
    assert (batch.total, batch.count) == (Decimal("55.50"), 2)
    assert batch.batch_ref == f"{TERMINAL_ID}-{timezone.localdate():%Y%m%d}"
    assert batch.business_date == timezone.localdate()
    # and another day has an empty batch
    other = terminal.settlement(timezone.localdate() - dt.timedelta(days=1))
    assert (other.total, other.count) == (Decimal("0.00"), 0)


def test_refunds_are_limited_to_the_sale_and_posted_once_per_reference(journal):
    terminal = SimulatedTerminal()
    sale = terminal.sale(Decimal("30.00"), reference="s:1")
    first = terminal.refund(Decimal("20.00"), reference="r:1", processor_ref=sale.processor_ref)
    assert terminal.refund(Decimal("20.00"), reference="r:1", processor_ref=sale.processor_ref) == (
        first
    )
    too_much = terminal.refund(Decimal("10.01"), reference="r:2", processor_ref=sale.processor_ref)
    assert not too_much.approved
    assert too_much.message == "A refund can't exceed what is left of the sale."
    unknown = terminal.refund(Decimal("1.00"), reference="r:3", processor_ref="SIMNOPE")
    assert not unknown.approved
    assert [x["op"] for x in _lines(journal)] == ["sale", "refund"]


def test_voiding_an_unknown_sale_is_refused(journal):
    with pytest.raises(CardTerminalError, match="can be voided") as raised:
        SimulatedTerminal().void("SIMNOPE")
    assert raised.value.retryable is False


def test_manual_mode_does_not_drive_a_reader():
    terminal = ManualTerminal()
    assert terminal.drives_reader is False
    with pytest.raises(CardTerminalError, match="standalone terminal"):
        terminal.sale(Decimal("5.00"), reference="m:1")
    with pytest.raises(CardTerminalError):
        terminal.refund(Decimal("5.00"), reference="m:2", processor_ref="x")
    assert terminal.settlement(timezone.localdate()) is None
