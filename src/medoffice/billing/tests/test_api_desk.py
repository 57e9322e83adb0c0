"""The desk's account API: the split balance and paginated ledger (audited, fixed queries),
charges, adjustments and reversals once per Idempotency-Key, 422 on malformed amounts with
nothing posted, 403 without the permission, the receipt PDF and its email."""

from __future__ import annotations

import orjson
import pytest
from django.test import Client

from medoffice.accounts.services import create_api_token
from medoffice.audit.models import AuditEntry
from medoffice.billing.models import LedgerEntry
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card
from medoffice.core.pdf import pdf_text

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _api(user) -> Client:
    _, raw = create_api_token(user=user, name="tests", acting_user=None)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, path: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, orjson.dumps(body), content_type="application/json", headers=headers)


def _charge(office: Office, visit=None) -> None:
    post_charge(
        office.patient, acting_user=office.manager, patient_amount="25.00",
        insurance_amount="125.00", appointment=visit or office.visit,
    )  # fmt: skip


def test_the_account_answers_the_split_balance_per_visit(office: Office) -> None:
    _charge(office)
    post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")], key="p")
    answer = _api(office.desk).get(f"/api/billing/accounts/{office.patient.pk}")
    assert answer.status_code == 200
    body = orjson.loads(answer.content)
    assert body["balance"] == {
        "patient_owes": "-5.00", "pending_insurance": "125.00", "credit": "5.00"
    }  # fmt: skip
    # the visit is paid in full and the $5 over stays on account
    assert body["visits"] == [
        {"appointment_id": office.visit.pk, "patient_owes": "0.00",
         "pending_insurance": "125.00", "credit": "0.00"},
        {"appointment_id": None, "patient_owes": "-5.00", "pending_insurance": "0.00",
         "credit": "5.00"},
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="read", detail__what="account (API)").count() == 1


def test_the_ledger_is_paginated_in_fixed_queries(
    office: Office, django_assert_max_num_queries
) -> None:
    _charge(office)
    client = _api(office.desk)
    path = f"/api/billing/accounts/{office.patient.pk}/ledger?limit=1"
    with django_assert_max_num_queries(20) as one:
        page = orjson.loads(client.get(path).content)
    assert page["count"] == 2
    assert [e["amount"] for e in page["items"]] == ["25.00"]
    assert page["next"].endswith("limit=1&offset=1")
    for n in range(5):
        _charge(office, office.another_visit(days_ago=n + 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert orjson.loads(client.get(path).content)["count"] == 12


def test_a_charge_posts_once_per_key(office: Office) -> None:
    client = _api(office.manager)
    path = f"/api/billing/accounts/{office.patient.pk}/charges"
    body = {"patient_amount": "20.00", "insurance_amount": "80.00", "code": "99213",
            "appointment_id": office.visit.pk}  # fmt: skip
    first = _post(client, path, body, key="c-1")
    again = _post(client, path, body, key="c-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert [e["amount"] for e in orjson.loads(first.content)["entries"]] == ["20.00", "80.00"]
    assert LedgerEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-5", "Amounts can't be negative; to give money back, record a refund."),
        ("1.234", "Amounts have at most two decimal places (cents)."),
        ("abc", "“abc” is not an amount: use digits and a decimal point, such as 25.00."),
        ("1000000000000", "That is more than the largest amount allowed here ($99,999.99)."),
    ],
)
def test_malformed_amounts_answer_422_and_post_nothing(office: Office, raw, message) -> None:
    answer = _post(
        _api(office.manager), f"/api/billing/accounts/{office.patient.pk}/adjustments",
        {"amount": raw, "reason": "Prompt pay"}, key=f"a-{raw}",
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer["Content-Type"] == PROBLEM
    assert orjson.loads(answer.content)["errors"] == [{"field": "amount", "message": message}]
    assert LedgerEntry.objects.count() == 0


def test_a_reversal_and_a_second_one_refused(office: Office) -> None:
    _charge(office)
    entry = LedgerEntry.objects.get(bucket="patient")
    client = _api(office.manager)
    first = _post(client, f"/api/billing/ledger/{entry.pk}/reversal", {"reason": "Wrong code"})
    assert first.status_code == 201
    assert orjson.loads(first.content)["amount"] == "-25.00"
    second = _post(client, f"/api/billing/ledger/{entry.pk}/reversal", {"reason": "Again"})
    assert second.status_code == 409
    assert orjson.loads(second.content)["detail"] == "This entry has already been reversed."
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_the_front_desk_may_not_post_charges(office: Office) -> None:
    answer = _post(
        _api(office.desk), f"/api/billing/accounts/{office.patient.pk}/charges",
        {"patient_amount": "20.00"},
    )  # fmt: skip
    assert answer.status_code == 403
    assert LedgerEntry.objects.count() == 0


def test_the_receipt_pdf_and_an_email_refused_without_an_address(office: Office) -> None:
    payment = post_payment(office.patient, acting_user=office.desk, tenders=[card("9.00")]).payment
    client = _api(office.desk)
    pdf = client.get(f"/api/billing/payments/{payment.pk}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Total paid $9.00" in " ".join(pdf_text(pdf.content).split())
    refused = _post(client, f"/api/billing/payments/{payment.pk}/receipt-email", {})
    assert refused.status_code == 409
    assert "no email address" in orjson.loads(refused.content)["detail"]
    assert client.get("/api/billing/payments/999999/receipt.pdf").status_code == 404
