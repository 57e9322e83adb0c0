"""A card processor simulator for the demo and the tests: deterministic, and it never charges
twice for one reference.

* Approvals: the approval code, processor reference, brand and last four digits are derived from
  the sale's ``reference`` (a SHA-256), so a repeated reference returns the same approval and the
  journal keeps one sale.
* Declines and failures, by the cents of the amount: ``.13`` is declined by the issuer; ``.31``
  does not answer in time (``CardTerminalError``, a retry may help).
* Journal: one JSON line per sale, refund and void, one file per business day
  (``<MEDOFFICE_CARD_TERMINAL_DIR>/<terminal>-<YYYY-MM-DD>.jsonl``), appended under a file lock.
  ``settlement(day)`` batches that day: sales not voided, less refunds.

No card number ever reaches medoffice: the simulator "reads" a card and answers only its brand
and last four, as a real terminal does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from medoffice.billing.errors import CardTerminalError
from medoffice.integrations.card_terminals.base import CardResult, Settlement

TERMINAL_ID = "SIM-01"
DECLINE_CENTS = "13"
TIMEOUT_CENTS = "31"
DECLINED = "Card declined by the issuer. Ask for another card or another way to pay."
TIMED_OUT = "The card terminal did not answer in time; no charge was made. Try again."
# Test cards the simulator "reads": brand and last four.
CARDS = (("visa", "4242"), ("mastercard", "4444"), ("amex", "0005"), ("discover", "1117"))

_LOCK = threading.Lock()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _cents(amount: Decimal) -> str:
    return f"{amount:.2f}"[-2:]


class SimulatedTerminal:
    """The ``CardTerminal`` of the demo and the tests (see the module docstring)."""

    drives_reader = True

    def __init__(self, directory: Path | None = None, terminal_id: str = TERMINAL_ID) -> None:
        self.terminal_id = terminal_id
        self._directory = directory

    @property
    def directory(self) -> Path:
        return Path(self._directory or settings.MEDOFFICE_CARD_TERMINAL_DIR)

    # -- the CardTerminal interface ------------------------------------------------------------

    def sale(self, amount: Decimal, *, reference: str) -> CardResult:
        amount = _checked_amount(amount)
        if not reference:
            raise CardTerminalError("A card sale needs a reference.", retryable=False)
        if _cents(amount) == TIMEOUT_CENTS:
            raise CardTerminalError(TIMED_OUT, retryable=True)
        if _cents(amount) == DECLINE_CENTS:
            return CardResult(approved=False, terminal_id=self.terminal_id, message=DECLINED)
        digest = _digest(f"sale:{self.terminal_id}:{reference}")
        with self._journal() as (lines, append):
            earlier = _find(lines, op="sale", reference=reference)
            if earlier is not None:
                if Decimal(earlier["amount"]) != amount:
                    raise CardTerminalError(
                        "This sale reference was already used for another amount.",
                        retryable=False,
                    )
                return self._result(earlier)
            brand, last4 = CARDS[int(digest[:8], 16) % len(CARDS)]
            line = {
                "op": "sale",
                "reference": reference,
                "amount": str(amount),
                "approval_code": digest[:6].upper(),
                "processor_ref": f"SIM{digest[6:22].upper()}",
                "card_brand": brand,
                "card_last4": last4,
                "at": timezone.now().isoformat(),
            }
            append(line)
        return self._result(line)

    def refund(self, amount: Decimal, *, reference: str, processor_ref: str) -> CardResult:
        amount = _checked_amount(amount)
        with self._journal() as (lines, append):
            earlier = _find(lines, op="refund", reference=reference)
            if earlier is not None:
                return self._result(earlier)
            sale = self._sale_anywhere(processor_ref, lines)
            if sale is None or sale.get("voided"):
                return CardResult(
                    approved=False,
                    terminal_id=self.terminal_id,
                    message="The processor has no such sale to refund.",
                )
            refunded = sum(
                (Decimal(x["amount"]) for x in self._refunds_of(processor_ref, lines)),
                Decimal("0.00"),
            )
            if refunded + amount > Decimal(sale["amount"]):
                return CardResult(
                    approved=False,
                    terminal_id=self.terminal_id,
                    message="A refund can't exceed what is left of the sale.",
                )
            digest = _digest(f"refund:{self.terminal_id}:{reference}")
            line = {
                "op": "refund",
                "reference": reference,
                "amount": str(amount),
                "sale_ref": processor_ref,
                "approval_code": digest[:6].upper(),
                "processor_ref": f"SIMR{digest[6:21].upper()}",
                "card_brand": sale["card_brand"],
                "card_last4": sale["card_last4"],
                "at": timezone.now().isoformat(),
            }
            append(line)
        return self._result(line)

    def void(self, processor_ref: str) -> None:
        with self._journal() as (lines, append):
            sale = _find(lines, op="sale", processor_ref=processor_ref)
            if sale is None:
                raise CardTerminalError(
                    "Only a sale of today that is not yet settled can be voided.", retryable=False
                )
            if _find(lines, op="void", processor_ref=processor_ref) is None:
                append({"op": "void", "processor_ref": processor_ref, "at": _now()})

    def settlement(self, day: dt.date) -> Settlement:
        lines = _read(self._path(day))
        voided = {x["processor_ref"] for x in lines if x["op"] == "void"}
        sales = [x for x in lines if x["op"] == "sale" and x["processor_ref"] not in voided]
        refunds = [x for x in lines if x["op"] == "refund"]
        total = sum((Decimal(x["amount"]) for x in sales), Decimal("0.00")) - sum(
            (Decimal(x["amount"]) for x in refunds), Decimal("0.00")
        )
        return Settlement(
            terminal_id=self.terminal_id,
            business_date=day,
            total=total,
            count=len(sales),
            batch_ref=f"{self.terminal_id}-{day:%Y%m%d}",
        )

    # -- the journal ---------------------------------------------------------------------------

    def _path(self, day: dt.date) -> Path:
        return self.directory / f"{self.terminal_id}-{day.isoformat()}.jsonl"

    @contextlib.contextmanager
    def _journal(self) -> Iterator[tuple[list[dict[str, Any]], Any]]:
        """Today's lines, and a function appending one; held under a thread and file lock."""
        path = self._path(timezone.localdate())
        path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK, path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.seek(0)
                lines = [json.loads(text) for text in handle if text.strip()]

                def append(line: dict[str, Any]) -> None:
                    handle.write(json.dumps(line, sort_keys=True) + "\n")
                    handle.flush()
                    lines.append(line)

                yield lines, append
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _sale_anywhere(
        self, processor_ref: str, today: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The sale (marked ``voided`` if so), today's or an earlier day's."""
        for lines in (today, *self._earlier_days()):
            sale = _find(lines, op="sale", processor_ref=processor_ref)
            if sale is not None:
                voided = _find(lines, op="void", processor_ref=processor_ref) is not None
                return {**sale, "voided": voided}
        return None

    def _refunds_of(self, processor_ref: str, today: list[dict[str, Any]]) -> list[dict[str, Any]]:
        every = [*today, *(x for lines in self._earlier_days() for x in lines)]
        return [x for x in every if x["op"] == "refund" and x.get("sale_ref") == processor_ref]

    def _earlier_days(self) -> Iterator[list[dict[str, Any]]]:
        today = self._path(timezone.localdate())
        for path in sorted(self.directory.glob(f"{self.terminal_id}-*.jsonl"), reverse=True):
            if path != today:
                yield _read(path)

    def _result(self, line: dict[str, Any]) -> CardResult:
        return CardResult(
            approved=True,
            approval_code=line["approval_code"],
            card_brand=line["card_brand"],
            card_last4=line["card_last4"],
            processor_ref=line["processor_ref"],
            terminal_id=self.terminal_id,
        )


def _checked_amount(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise CardTerminalError("A card amount must be a positive Decimal.", retryable=False)
    if amount != amount.quantize(Decimal("0.01")):
        raise CardTerminalError("A card amount has at most two decimal places.", retryable=False)
    return amount.quantize(Decimal("0.01"))


def _find(lines: list[dict[str, Any]], *, op: str, **match: str) -> dict[str, Any] | None:
    for line in lines:
        if line["op"] == op and all(line.get(k) == v for k, v in match.items()):
            return line
    return None


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(text) for text in handle if text.strip()]


def _now() -> str:
    return timezone.now().isoformat()
