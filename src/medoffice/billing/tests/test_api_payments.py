"""The payments API: split tender, clear refusals of malformed amounts, posted once per key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from medoffice.billing.models import LedgerEntry, Payment, Tender
from medoffice.billing.services.drawers import open_drawer
from medoffice.billing.tests.api_client import bearer, card_body, data, post
from medoffice.billing.tests.factories import Office

URL = "/api/billing/payments"


def test_split_cash_and_card_copay_posts_with_change_and_balance(office: Office) -> None:
    # given Robin's drawer is open
    open_drawer(acting_user=office.desk, opening_float="50.00")
    body = card_body(office.patient.pk, "15.00", appointment_id=office.visit.pk)
    body["tenders"].append({"method": "cash", "amount": "10.00", "cash_received": "20"})
    # when the desk posts the $25 copay split over card and cash
    answer = post(bearer(office.desk), URL, body, key="copay-1")
    # then
    assert answer.status_code == 201, answer.content
    out = data(answer)
    assert out["amount"] == "25.00"
    assert out["change_given"] == "10.00"
    assert [t["method"] for t in out["tenders"]] == ["card", "cash"]
    assert out["applied"] == [{"appointment_id": office.visit.pk, "amount": "25.00"}]
    assert out["balance"] == {"patient_owes": "-25.00", "pending_insurance": "0.00"}
    assert out["receipt_number"].startswith("R")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "Amounts can't be negative; to give money back, record a refund."),
        ("12.345", "Amounts have at most two decimal places (cents)."),
        ("twelve", "“twelve” is not an amount: use digits and a decimal point, such as 25.00."),
        ("1000000000000", "That is more than the largest amount allowed here ($99,999.99)."),
        (10**12, "That is more than the largest amount allowed here ($99,999.99)."),
        (-5, "Amounts can't be negative; to give money back, record a refund."),
        ("0", "Enter an amount greater than zero."),
        (12.5, "Enter the amount as text or a decimal, not a binary floating-point number."),
    ],
)
def test_malformed_amounts_are_refused_clearly_and_nothing_posts(
    office: Office, amount: object, message: str
) -> None:
    body = card_body(office.patient.pk)
    body["tenders"][0]["amount"] = amount
    answer = post(bearer(office.desk), URL, body, key="bad")
    assert answer.status_code == 422
    problem = data(answer)
    assert problem["detail"] == message
    assert problem["errors"] == [{"field": "tenders[0].amount", "message": message}]
    assert (Payment.objects.count(), Tender.objects.count(), LedgerEntry.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_retry_with_the_same_key_replays_the_first_answer(office: Office) -> None:
    client = bearer(office.desk)
    first = post(client, URL, card_body(office.patient.pk), key="same")
    again = post(client, URL, card_body(office.patient.pk), key="same")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert data(again)["id"] == data(first)["id"]
    assert Payment.objects.count() == 1


def test_cash_without_a_drawer_is_a_409_with_the_reason(office: Office) -> None:
    body = card_body(office.patient.pk)
    body["tenders"] = [{"method": "cash", "amount": "5.00"}]
    answer = post(bearer(office.desk), URL, body)
    assert answer.status_code == 409
    assert data(answer)["detail"] == "Open your cash drawer for today before taking cash or checks."
    assert Payment.objects.count() == 0


def test_a_batch_posts_each_item_once_and_a_resend_replays(office: Office) -> None:
    client = bearer(office.desk)
    items = [{**card_body(office.patient.pk, f"{n}.00"), "key": f"b-{n}"} for n in (1, 2, 3)]
    items[1]["tenders"][0]["card_last4"] = "12"  # refused: not four digits
    first = data(post(client, "/api/billing/payment-batches", {"items": items}))
    assert (first["posted"], first["replayed"], first["refused"]) == (2, 0, 1)
    assert first["results"][1]["detail"] == "Enter the card's last four digits."
    items[1]["tenders"][0]["card_last4"] = "1234"
    again = data(post(client, "/api/billing/payment-batches", {"items": items}))
    assert (again["posted"], again["replayed"], again["refused"]) == (1, 2, 0)
    assert Payment.objects.count() == 3
    assert sum(p.amount for p in Payment.objects.all()) == Decimal("6.00")


def test_reading_payments_needs_the_permission_and_is_audited(office: Office) -> None:
    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import make_user
    from medoffice.audit.models import AuditEntry

    post(bearer(office.desk), URL, card_body(office.patient.pk), key="r1")
    nurse = make_user("nurse", roles=(Role.CLINICAL,))
    assert bearer(nurse).get(URL).status_code == 403
    answer = bearer(office.desk, "t2").get(URL, {"patient": office.patient.pk})
    assert answer.status_code == 200
    assert len(data(answer)) == 1
    assert AuditEntry.objects.filter(action="read", patient_id=office.patient.pk).exists()
