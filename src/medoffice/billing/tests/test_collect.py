"""Collecting at the desk: the terminal charges only after everything else checks out, a
declined card posts nothing, a failed posting voids the approved sale, a resubmit posts once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from medoffice.billing.choices import CardEntryMode, PaymentPurpose, TenderMethod
from medoffice.billing.errors import CardTerminalError, DrawerError, PaymentError
from medoffice.billing.models import LedgerEntry, Payment, Tender
from medoffice.billing.services.collect import collect_payment
from medoffice.billing.services.drawers import open_drawer
from medoffice.billing.services.payments import TenderIn
from medoffice.billing.tests.factories import Office, card, cash
from medoffice.integrations.card_terminals import SimulatedTerminal


def terminal_card(amount: str, method: str = TenderMethod.CARD) -> TenderIn:
    return TenderIn(method=method, amount=Decimal(amount), entry_mode=CardEntryMode.TERMINAL)


def _batch():
    return SimulatedTerminal().settlement(timezone.localdate())


def test_a_terminal_card_is_charged_and_its_approval_posted(office: Office) -> None:
    # Given a copay at today's visit paid by card on the terminal
    posted = collect_payment(
        office.patient, acting_user=office.desk, tenders=[terminal_card("25.00")],
        purpose=PaymentPurpose.COPAY, appointment=office.visit, key="k-1",
    )  # fmt: skip
    # Then the tender carries what the terminal answered
    (tender,) = posted.payment.tenders.all()
    sale = SimulatedTerminal().sale(Decimal("25.00"), reference="k-1:1")  # the same answer again
    assert (tender.approval_code, tender.card_last4, tender.card_brand) == (
        sale.approval_code, sale.card_last4, sale.card_brand,
    )  # fmt: skip
    assert (tender.processor_ref, tender.terminal_id) == (sale.processor_ref, "SIM-01")
    assert tender.entry_mode == CardEntryMode.TERMINAL
    assert posted.applied == {office.visit.pk: Decimal("25.00")}
    # and the processor batched one sale of $25
    assert (_batch().total, _batch().count) == (Decimal("25.00"), 1)


def test_a_resubmitted_form_posts_once_and_charges_once(office: Office) -> None:
    kwargs = {
        "acting_user": office.desk, "tenders": [terminal_card("40.00")],
        "purpose": PaymentPurpose.BALANCE, "key": "k-2",
    }  # fmt: skip
    first = collect_payment(office.patient, **kwargs)
    again = collect_payment(office.patient, **kwargs)
    assert first.created
    assert not again.created
    assert again.payment.pk == first.payment.pk
    assert Payment.objects.count() == 1
    assert (_batch().total, _batch().count) == (Decimal("40.00"), 1)


def test_a_declined_card_posts_nothing_and_voids_the_split_sale_before_it(office: Office) -> None:
    # Given an HSA card approved and then a card declined in the same payment
    with pytest.raises(PaymentError, match="Card declined by the issuer"):
        collect_payment(
            office.patient, acting_user=office.desk,
            tenders=[terminal_card("10.00", TenderMethod.HSA), terminal_card("15.13")],
            purpose=PaymentPurpose.COPAY, appointment=office.visit, key="k-3",
        )  # fmt: skip
    # Then nothing is posted and the approved sale is voided (the batch deposits nothing)
    assert Payment.objects.count() == 0
    assert Tender.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert (_batch().total, _batch().count) == (Decimal("0.00"), 0)


def test_nothing_is_charged_when_the_rest_of_the_payment_is_refused(office: Office) -> None:
    # Given cash with the card, but no open drawer
    with pytest.raises(DrawerError, match="Open your cash drawer"):
        collect_payment(
            office.patient, acting_user=office.desk,
            tenders=[cash("10.00"), terminal_card("15.00")],
            purpose=PaymentPurpose.COPAY, appointment=office.visit, key="k-4",
        )  # fmt: skip
    # Then the terminal was never asked
    assert not SimulatedTerminal().directory.exists()
    assert Payment.objects.count() == 0


def test_a_visit_of_another_patient_is_refused_before_charging(office: Office) -> None:
    from medoffice.patients.tests.factories import make_patient

    other = office.another_visit(patient=make_patient(first_name="Sam", last_name="Other"))
    with pytest.raises(PaymentError, match="another patient"):
        collect_payment(
            office.patient, acting_user=office.desk, tenders=[terminal_card("15.00")],
            purpose=PaymentPurpose.COPAY, appointment=other, key="k-5",
        )  # fmt: skip
    assert not SimulatedTerminal().directory.exists()


def test_a_posting_failure_after_approval_voids_the_sale(office: Office, monkeypatch) -> None:
    from medoffice.billing.services import payments

    def broken(*args, **kwargs):
        raise PaymentError("The books refused it.")

    monkeypatch.setattr(payments, "post_payment", broken)
    with pytest.raises(PaymentError, match="The books refused it"):
        collect_payment(
            office.patient, acting_user=office.desk, tenders=[terminal_card("30.00")],
            purpose=PaymentPurpose.BALANCE, key="k-6",
        )  # fmt: skip
    assert (_batch().total, _batch().count) == (Decimal("0.00"), 0)


def test_a_terminal_that_does_not_answer_posts_nothing(office: Office) -> None:
    with pytest.raises(CardTerminalError) as raised:
        collect_payment(
            office.patient, acting_user=office.desk, tenders=[terminal_card("12.31")],
            purpose=PaymentPurpose.BALANCE, key="k-7",
        )  # fmt: skip
    assert raised.value.retryable is True
    assert Payment.objects.count() == 0


def test_split_cash_and_keyed_in_card_with_change(office: Office) -> None:
    open_drawer(acting_user=office.desk, opening_float="100.00")
    posted = collect_payment(
        office.patient, acting_user=office.desk,
        tenders=[cash("10.00", received="20.00"), card("15.00")],
        purpose=PaymentPurpose.COPAY, appointment=office.visit, key="k-8",
    )  # fmt: skip
    assert posted.payment.amount == Decimal("25.00")
    assert posted.change_given == Decimal("10.00")
    assert sorted(t.entry_mode for t in posted.payment.tenders.all()) == ["", "manual"]
    assert not SimulatedTerminal().directory.exists()  # keyed in: the terminal is not asked


def test_terminal_mode_without_a_reader_is_refused(office: Office, settings) -> None:
    settings.MEDOFFICE_CARD_TERMINAL = "manual"
    with pytest.raises(PaymentError, match="no card reader connected"):
        collect_payment(
            office.patient, acting_user=office.desk, tenders=[terminal_card("15.00")],
            purpose=PaymentPurpose.BALANCE, key="k-9",
        )  # fmt: skip
    assert Payment.objects.count() == 0


def test_a_missing_key_is_refused(office: Office) -> None:
    with pytest.raises(PaymentError, match="missing its key"):
        collect_payment(
            office.patient, acting_user=office.desk, tenders=[card("5.00")],
            purpose=PaymentPurpose.BALANCE, key="",
        )  # fmt: skip
