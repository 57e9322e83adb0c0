"""The receipt: the practice's details, tenders in words, what it paid and the balance split;
emailed as a PDF after commit with a neutral subject, refused clearly without an address."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from medoffice.audit.models import AuditEntry
from medoffice.billing.choices import PaymentPurpose
from medoffice.billing.errors import BillingError
from medoffice.billing.models import Payment
from medoffice.billing.services.drawers import open_drawer
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.services.receipts import email_receipt, receipt_pdf
from medoffice.billing.tests.factories import Office, card, cash, check
from medoffice.core.pdf import pdf_text
from medoffice.jobs.worker import make_worker, run_ready_tasks

pytestmark = pytest.mark.django_db


def _words(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def _paid(office: Office) -> Payment:
    open_drawer(acting_user=office.desk, opening_float="50.00")
    post_charge(
        office.patient, acting_user=office.manager, patient_amount="40.00",
        insurance_amount="110.00", appointment=office.visit,
    )  # fmt: skip
    return post_payment(
        office.patient, acting_user=office.desk,
        tenders=[cash("10.00", received="20.00"), check("5.00", "2001"), card("15.00")],
        purpose=PaymentPurpose.COPAY, appointment=office.visit,
    ).payment  # fmt: skip


def test_the_receipt_pdf_says_everything_the_patient_needs(office: Office) -> None:
    payment = _paid(office)
    text = _words(receipt_pdf(payment))
    assert f"Receipt {payment.receipt_number}" in text
    assert f"Avery Quinn · MRN {office.patient.mrn}" in text
    assert "Cash $10.00 — received $20.00, change $10.00" in text
    assert "Check #2001 $5.00" in text
    assert "Visa ending 4242, approval A1B2C3 $15.00" in text
    assert "Total paid $30.00" in text
    assert "with Dana Reyes" in text
    assert "You owe now $10.00" in text
    assert "Pending with insurance $110.00" in text


def test_the_receipt_page_serves_a_neutral_pdf_and_audits_it(office: Office) -> None:
    payment = _paid(office)
    client = Client()
    client.force_login(office.desk)
    answer = client.get(f"/billing/payments/{payment.pk}/receipt.pdf")
    assert answer["Content-Type"] == "application/pdf"
    assert (
        answer["Content-Disposition"] == f'inline; filename="receipt-{payment.receipt_number}.pdf"'
    )
    assert AuditEntry.objects.filter(action="read", detail__what="receipt").count() == 1


def test_emailing_sends_the_pdf_after_commit_with_a_neutral_subject(
    office: Office, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    office.patient.email, office.patient.email_consent = "avery@example.org", True
    office.patient.save()
    payment = _paid(office)
    with django_capture_on_commit_callbacks(execute=True):
        email_receipt(payment, acting_user=office.desk)
    assert mailoutbox == []  # queued, sent by the worker
    run_ready_tasks(make_worker("test-worker"))
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    [message] = mailoutbox
    assert message.to == ["avery@example.org"]
    assert "Avery" not in message.subject
    assert message.subject.startswith("Your receipt from ")
    [(name, data, kind)] = message.attachments
    assert (name, kind) == (f"receipt-{payment.receipt_number}.pdf", "application/pdf")
    assert "Total paid $30.00" in _words(data)
    payment.refresh_from_db()
    assert payment.receipt_emailed_at is not None


def test_no_address_is_refused_clearly_and_nothing_is_queued(office: Office) -> None:
    payment = _paid(office)
    with pytest.raises(BillingError, match="no email address on file"):
        email_receipt(payment, acting_user=office.desk)
    assert DBTaskResult.objects.count() == 0
    payment.refresh_from_db()
    assert payment.receipt_emailed_at is None
