"""Requests, submissions and the checks on answers and signatures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from medoffice.audit.models import AuditEntry
from medoffice.core.pdf import pdf_text
from medoffice.intake import services
from medoffice.intake.errors import AnswersInvalid, IntakeError, NothingDue, RequestClosed
from medoffice.intake.models import FormRequest, Submission
from medoffice.intake.submitting import submit_form
from medoffice.intake.tests.factories import (
    ANSWERS,
    form_data,
    make_request,
    sign,
    signed_forms,
)
from medoffice.intake.tests.test_queries import EVERY_CODE as ALL_CODES
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_a_request_asks_for_the_forms_due_and_stores_only_the_token_hash():
    patient = make_patient()
    request, token = make_request(patient)
    assert [f.version.template.code for f in request.forms.all()] == ALL_CODES
    assert [f.reason for f in request.forms.all()][:2] == [
        "new patient",
        "yearly acknowledgment due",
    ]
    assert request.token_hash == services.token_hash(token)
    assert not FormRequest.objects.filter(token_hash=token).exists()
    assert services.find_request(token) == request
    entry = AuditEntry.objects.filter(target_type="intake.formrequest").get()
    assert entry.detail["forms"] == ALL_CODES


def test_kiosk_requests_expire_sooner_than_links():
    patient = make_patient()
    now = timezone.now()
    kiosk, _ = make_request(patient, channel="kiosk", codes=["registration"], now=now)
    link, _ = make_request(patient, channel="link", codes=["registration"], now=now)
    assert kiosk.expires_at == now + dt.timedelta(hours=services.KIOSK_HOURS)
    assert link.expires_at == now + dt.timedelta(days=services.LINK_DAYS)


def test_nothing_due_and_nothing_named_is_refused():
    patient = make_patient()
    signed_forms(patient, ALL_CODES)
    with pytest.raises(NothingDue):
        make_request(patient)
    assert FormRequest.objects.count() == 1


def test_an_appointment_of_another_patient_is_refused():
    with pytest.raises(IntakeError):
        services.start_request(
            make_patient(),
            acting_user=None,
            channel="link",
            codes=["registration"],
            appointment_id=999999,
        )
    assert FormRequest.objects.count() == 0


def test_signing_twice_is_refused():
    request, _ = make_request(make_patient(), codes=["financial-policy"])
    requested = request.forms.get()
    sign(requested)
    with pytest.raises(RequestClosed):
        sign(requested)
    assert Submission.objects.count() == 1


def test_an_expired_request_cannot_be_signed():
    past = timezone.now() - dt.timedelta(days=30)
    request, _ = make_request(make_patient(), codes=["financial-policy"], now=past)
    with pytest.raises(RequestClosed) as raised:
        sign(request.forms.get())
    assert raised.value.state == "expired"
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q-email", "not-an-email", "Enter an e-mail address like name@example.com."),
        ("q-birth_date", "04/25/1980", "Enter a date like 1980-04-25."),
        ("q-mobile_phone", "12345", "A US phone number has 10 digits"),
        ("q-last_name", "", "Please answer this question."),
    ],
)
def test_answers_are_checked_by_type(field, value, message):
    request, _ = make_request(make_patient(), codes=["registration"])
    data = form_data({**ANSWERS["registration"], field: value})
    with pytest.raises(AnswersInvalid) as raised:
        submit_form(request.forms.get(), data)
    key = field.removeprefix("q-")
    assert raised.value.errors[key].startswith(message)
    assert Submission.objects.count() == 0


def test_a_drawn_signature_must_be_a_png():
    request, _ = make_request(make_patient(), codes=["financial-policy"])
    data = form_data(ANSWERS["financial-policy"], drawn="data:image/png;base64,aGVsbG8=")
    with pytest.raises(AnswersInvalid) as raised:
        submit_form(request.forms.get(), data)
    assert raised.value.errors == {
        "signature": "That signature could not be read; please sign again."
    }


def test_choices_outside_the_options_are_refused():
    request, _ = make_request(make_patient(), codes=["medical-history"])
    data = form_data({**ANSWERS["medical-history"], "q-tobacco": "Sometimes"})
    with pytest.raises(AnswersInvalid) as raised:
        submit_form(request.forms.get(), data)
    assert raised.value.errors == {"tobacco": "Choose one of the options."}


def test_the_pdf_holds_answers_signature_and_time():
    request, _ = make_request(make_patient(last_name="Quillfeather"), codes=["medical-history"])
    submission = sign(request.forms.get(), typed="Robin Quillfeather")
    text = pdf_text(submission.pdf)
    assert "Medical history" in text
    assert "Penicillin: hives" in text
    assert "Robin Quillfeather" in text
    assert f"Form {submission.pk}" in text
    assert timezone.localtime(submission.signed_at).strftime("%Y-%m-%d %H:%M") in text
    request.refresh_from_db()
    assert request.completed_at == submission.signed_at
    entry = AuditEntry.objects.filter(target_type="intake.submission").get()
    assert entry.actor is None
    assert entry.detail == {"channel": "link", "form": "medical-history"}
