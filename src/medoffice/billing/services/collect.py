"""Collecting a payment at the desk: the card terminal first, then ``post_payment``, once.

Order matters when a card is charged by the terminal:

1. everything that can be checked without charging anyone is checked first (tenders, amounts,
   the drawer for cash and checks, the visit, the day open, what it is applied to), so a card is
   never charged for a payment that would then be refused;
2. each terminal tender is sold with the reference ``"<key>:<n>"``: the processor answers a
   repeated reference with the same approval and never charges twice;
3. the payment is posted with the idempotency key; if posting fails after an approval, the
   approved sales are voided, so no money is taken without a payment on the books.

A declined card raises ``PaymentError`` with the terminal's message and posts nothing (sales of
the same payment approved before it are voided). In manual mode the desk types the last four,
the brand and the approval code the standalone terminal printed.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from medoffice.billing import queries
from medoffice.billing.choices import CardEntryMode, TenderMethod
from medoffice.billing.errors import CardTerminalError, DayClosedError, PaymentError
from medoffice.billing.models import Payment
from medoffice.billing.rules.allocation import allocate
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services import payments as posting
from medoffice.billing.services.days import business_today, is_closed
from medoffice.billing.services.payments import PostedPayment, TenderIn

logger = logging.getLogger("medoffice.billing")

CARD_METHODS = (TenderMethod.CARD, TenderMethod.HSA)
_PLACEHOLDER = {"card_last4": "0000", "approval_code": "PENDING", "card_brand": "other"}


def by_terminal(tender: TenderIn) -> bool:
    """A card/HSA tender the terminal will charge (not keyed in from a standalone terminal)."""
    if tender.method not in CARD_METHODS:
        return False
    return tender.entry_mode == CardEntryMode.TERMINAL or (
        not tender.entry_mode and not str(tender.approval_code).strip()
    )


def collect_payment(
    patient: Any,
    *,
    acting_user: Any,
    tenders: Sequence[TenderIn],
    purpose: str,
    appointment: Any = None,
    applied: Mapping[int | None, Any] | None = None,
    key: str,
    note: str = "",
) -> PostedPayment:
    """Charge the terminal's cards, then post the payment once for ``key`` (module docstring)."""
    if not key:
        raise PaymentError("The payment form is missing its key; reload the page and try again.")
    common = {"purpose": purpose, "appointment": appointment, "applied": applied, "note": note}
    if Payment.objects.filter(key=key).exists():  # a resubmit: answer it, never charge again
        return posting.post_payment(
            patient, acting_user=acting_user, tenders=tenders, key=key, **common
        )
    validate_payment(patient, acting_user=acting_user, tenders=tenders, **common)
    approved: list[str] = []
    terminal: Any = None
    filled: list[TenderIn] = []
    try:
        for index, tender in enumerate(tenders, start=1):
            if by_terminal(tender):
                terminal = terminal or _reader()
                tender = _charge(terminal, tender, reference=f"{key}:{index}", approved=approved)
            filled.append(tender)
        return posting.post_payment(
            patient, acting_user=acting_user, tenders=filled, key=key, **common
        )
    except BaseException:
        if approved:
            _void(terminal, approved)
        raise


def validate_payment(
    patient: Any,
    *,
    acting_user: Any,
    tenders: Sequence[TenderIn],
    purpose: str,
    appointment: Any = None,
    applied: Mapping[int | None, Any] | None = None,
    note: str = "",
) -> None:
    """Refuse (``BillingError``) what ``post_payment`` would refuse, without writing anything;
    terminal tenders are checked with stand-in card details (the terminal gives the real ones)."""
    day = business_today()
    if is_closed(day):
        raise DayClosedError(
            f"The books for {day:%b %-d, %Y} are closed; a manager must reopen the day first."
        )
    stand_ins = [dataclasses.replace(t, **_PLACEHOLDER) if by_terminal(t) else t for t in tenders]
    # The same builder post_payment uses: tenders, amounts, drawer, visit, purpose (no writes).
    built = posting.prepare_payment(
        patient, acting_user, stand_ins, purpose, appointment, None, note, day
    )
    if applied:
        wanted = {visit: parse_amount(amount) for visit, amount in applied.items()}
        allocate(built.payment.amount, open_visits=(), requested=wanted)
        visits = {visit for visit in wanted if visit is not None}
        if visits - queries.visit_ids_of(patient.pk, visits):
            raise PaymentError("A payment can only be applied to this patient's own visits.")


def _reader() -> Any:
    from medoffice.integrations.card_terminals import connect

    terminal = connect()
    if not terminal.drives_reader:
        raise PaymentError(
            "This desk has no card reader connected: run the card on the standalone terminal "
            "and enter its approval code."
        )
    return terminal


def _charge(terminal: Any, tender: TenderIn, *, reference: str, approved: list[str]) -> TenderIn:
    amount = parse_amount(tender.amount)
    result = terminal.sale(amount, reference=reference)
    if not result.approved:
        raise PaymentError(result.message or "The card was declined.")
    approved.append(result.processor_ref)
    return dataclasses.replace(
        tender,
        amount=amount,
        approval_code=result.approval_code,
        card_last4=result.card_last4,
        card_brand=result.card_brand or "other",
        processor_ref=result.processor_ref,
        terminal_id=result.terminal_id or terminal.terminal_id,
        entry_mode=CardEntryMode.TERMINAL,
    )


def _void(terminal: Any, processor_refs: list[str]) -> None:
    for ref in processor_refs:
        try:
            terminal.void(ref)
        except CardTerminalError as exc:  # the manager sees it in the day's settlement
            logger.error("card void failed processor_ref=%s retryable=%s", ref, exc.retryable)
