"""The desk's money pages: the account (split balance, ledger with running balance, audited,
fixed queries), collecting a split cash/card copay to the receipt page, malformed amounts kept
in the form, charges, adjustments and reversals refused without the permission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.billing.choices import PaymentPurpose
from medoffice.billing.models import LedgerEntry, Payment
from medoffice.billing.services.drawers import open_drawer
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _charge(office: Office, visit=None) -> None:
    post_charge(
        office.patient, acting_user=office.manager, patient_amount="25.00",
        insurance_amount="125.00", appointment=visit or office.visit, code="99213",
    )  # fmt: skip


def test_the_account_splits_the_balance_and_is_an_audited_read_in_fixed_queries(
    office: Office, django_assert_max_num_queries
) -> None:
    # Given a charge and a card payment
    _charge(office)
    post_payment(office.patient, acting_user=office.desk, tenders=[card("10.00")], key="p1")
    client = _client(office.manager)
    # When the account is opened
    with django_assert_max_num_queries(40) as one:
        page = client.get(f"/billing/account/{office.patient.pk}/")
    text = page.content.decode()
    # Then the desk sees owes now and pending insurance apart, never one figure
    assert page.status_code == 200
    assert "data-patient-owes>$15.00<" in text
    assert "data-pending-insurance>$125.00<" in text
    assert "99213" in text
    assert "Receipt R" in text
    assert AuditEntry.objects.filter(
        action="read", patient_id=office.patient.pk, detail__what="account"
    ).exists()
    # and more entries and payments cost no more queries
    for n in range(4):
        _charge(office, office.another_visit(days_ago=n + 1))
        post_payment(office.patient, acting_user=office.desk, tenders=[card("5.00")], key=f"q{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(f"/billing/account/{office.patient.pk}/").status_code == 200


def test_a_split_cash_and_keyed_card_copay_lands_on_the_receipt(office: Office) -> None:
    # Given Robin's drawer is open and the visit is at the desk
    open_drawer(acting_user=office.desk, opening_float="100.00")
    client = _client(office.desk)
    url = f"/billing/account/{office.patient.pk}/collect/?appointment={office.visit.pk}"
    form = client.get(url)
    assert form.status_code == 200
    key = form.context["form"].initial["key"]
    body = {
        "key": key, "purpose": "copay", "cash_amount": "10", "cash_received": "20",
        "card_amount": "15.00", "card_mode": "manual", "card_last4": "4242",
        "card_brand": "visa", "card_approval": "ab12cd",
    }  # fmt: skip
    # When the desk takes the payment (and double-clicks)
    answer = client.post(url, body)
    twice = client.post(url, body)
    # Then one payment is posted and both answers go to its receipt page
    payment = Payment.objects.get()
    assert answer.status_code == twice.status_code == 302
    assert answer["Location"] == twice["Location"] == f"/billing/payments/{payment.pk}/"
    assert (payment.amount, payment.purpose, payment.appointment_id) == (
        Decimal("25.00"), PaymentPurpose.COPAY, office.visit.pk,
    )  # fmt: skip
    receipt = client.get(answer["Location"]).content.decode()
    assert "data-change-given>$10.00<" in receipt
    assert "Cash $10.00 — received $20.00, change $10.00" in receipt
    assert "Visa ending 4242, approval AB12CD $15.00" in receipt
    assert f"/billing/payments/{payment.pk}/receipt.pdf" in receipt


def test_a_malformed_amount_is_refused_next_to_its_field_and_the_form_kept(office: Office) -> None:
    client = _client(office.desk)
    url = f"/billing/account/{office.patient.pk}/collect/"
    answer = client.post(url, {"key": "k", "purpose": "balance", "card_amount": "12.345",
                               "card_mode": "manual", "card_last4": "4242"})  # fmt: skip
    assert answer.status_code == 422
    form = answer.context["form"]
    assert form.errors["card_amount"] == ["Amounts have at most two decimal places (cents)."]
    assert 'value="4242"' in answer.content.decode()
    assert Payment.objects.count() == 0


def test_a_declined_card_shows_the_terminal_message_and_posts_nothing(office: Office) -> None:
    client = _client(office.desk)
    url = f"/billing/account/{office.patient.pk}/collect/"
    answer = client.post(
        url, {"key": "k-declined", "purpose": "balance", "card_amount": "20.13",
              "card_mode": "terminal"}, HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert answer.status_code == 200
    assert "Card declined by the issuer" in answer.content.decode()
    assert answer.context["form"]["key"].value() != "k-declined"  # a retry is a new sale
    assert Payment.objects.count() == 0


def test_htmx_success_answers_with_a_redirect_header(office: Office) -> None:
    client = _client(office.desk)
    answer = client.post(
        f"/billing/account/{office.patient.pk}/collect/",
        {"key": "k-hx", "purpose": "balance", "card_amount": "20.00", "card_mode": "terminal"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 204
    assert answer["HX-Redirect"] == f"/billing/payments/{Payment.objects.get().pk}/"


def test_the_billing_role_posts_a_charge_an_adjustment_and_a_reversal(office: Office) -> None:
    client = _client(office.manager)
    base = f"/billing/account/{office.patient.pk}"
    body = {"patient_amount": "30", "insurance_amount": "70", "code": "99214",
            "visit": office.visit.pk, "key": "charge-1"}  # fmt: skip
    answer = client.post(f"{base}/charges/", body)
    assert answer.status_code == 302
    assert client.post(f"{base}/charges/", body).status_code == 302  # a double click: posts once
    adjustment = {"amount": "5", "direction": "lowers", "bucket": "patient",
                  "reason": "Prompt pay", "key": "adjust-1"}  # fmt: skip
    client.post(f"{base}/adjustments/", adjustment)
    client.post(f"{base}/adjustments/", adjustment)
    charge = LedgerEntry.objects.get(kind="charge", bucket="patient")
    client.post(f"{base}/reversals/", {"entry": charge.pk, "reason": "Wrong code"})
    rows = list(LedgerEntry.objects.order_by("id").values_list("kind", "bucket", "amount"))
    assert rows == [
        ("charge", "patient", Decimal("30.00")), ("charge", "insurance", Decimal("70.00")),
        ("adjustment", "patient", Decimal("-5.00")), ("reversal", "patient", Decimal("-30.00")),
    ]  # fmt: skip


def test_the_front_desk_may_not_adjust_and_nothing_changes(office: Office) -> None:
    client = _client(office.desk)
    answer = client.post(f"/billing/account/{office.patient.pk}/charges/", {"patient_amount": "30"})
    assert answer.status_code == 403
    assert LedgerEntry.objects.count() == 0
    assert (
        "Post a charge" not in client.get(f"/billing/account/{office.patient.pk}/").content.decode()
    )


def test_a_malformed_charge_amount_is_refused_with_the_message(office: Office) -> None:
    answer = _client(office.manager).post(
        f"/billing/account/{office.patient.pk}/charges/", {"patient_amount": "-5", "key": "k"}
    )
    assert answer.status_code == 422
    assert answer.context["charge_form"].errors["patient_amount"] == [
        "Amounts can't be negative; to give money back, record a refund."
    ]
    assert LedgerEntry.objects.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(office: Office) -> None:
    answer = Client().get(f"/billing/account/{office.patient.pk}/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]
    clinical = make_user("casey", roles=(Role.CLINICAL,))
    assert _client(clinical).get(f"/billing/account/{office.patient.pk}/").status_code == 403


def test_a_charge_form_shows_a_fresh_key_and_a_refused_post_keeps_nothing_claimed(
    office: Office,
) -> None:
    from medoffice.core.models import IdempotencyRecord

    client = _client(office.manager)
    base = f"/billing/account/{office.patient.pk}"
    page = client.get(f"{base}/").content.decode()
    assert 'type="hidden" name="key"' in page
    # a charge refused by the service (a closed day) leaves the key unclaimed for the retry
    from medoffice.billing.models import BusinessDay

    BusinessDay.objects.create(
        date=office.today,
        status="closed",
        closed_by=office.manager,
        closed_at=office.visit.starts_at,
    )
    answer = client.post(f"{base}/charges/", {"patient_amount": "30", "key": "c-9"})
    assert answer.status_code == 422
    assert LedgerEntry.objects.count() == 0
    assert not IdempotencyRecord.objects.filter(key="form:c-9").exists()
