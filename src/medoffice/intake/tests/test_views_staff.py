"""Staff pages: the patient's forms, links, review beside the record, apply, the signed PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medoffice.audit.models import AuditEntry
from medoffice.core.pdf import pdf_text
from medoffice.intake.models import FormRequest, PatientHistory, Submission
from medoffice.intake.tests.factories import signed_forms
from medoffice.intake.tests.support import billing_user, desk_user, signed_in
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    return signed_in(client, desk_user())


@pytest.fixture
def patient():
    return make_patient(
        first_name="Avery",
        last_name="Quillfeather",
        birth_date=dt.date(1980, 1, 1),
        phones=[{"kind": "mobile", "number": "555 201 0000"}],
    )


def test_patient_forms_page_lists_due_forms_and_is_audited(desk, patient):
    response = desk.get(reverse("intake:patient_forms", args=[patient.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Consent to treat" in text
    assert "(new patient)" in text
    assert "Start kiosk on this device" in text
    entry = AuditEntry.objects.filter(patient_id=patient.pk, action="read").latest("pk")
    assert entry.detail == {"what": "intake forms"}


def test_patient_forms_page_query_count_does_not_grow_with_forms(desk, patient):
    signed_forms(patient, ["npp-acknowledgment"])
    url = reverse("intake:patient_forms", args=[patient.pk])
    desk.get(url)
    with CaptureQueriesContext(connection) as few:
        desk.get(url)
    signed_forms(patient, ["financial-policy", "consent-to-treat", "medical-history"])
    with CaptureQueriesContext(connection) as many:
        desk.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_billing_cannot_open_forms_and_nothing_is_created(client, patient):
    signed_in(client, billing_user())
    assert client.get(reverse("intake:patient_forms", args=[patient.pk])).status_code == 403
    assert client.post(reverse("intake:link_create", args=[patient.pk])).status_code == 403
    assert FormRequest.objects.count() == 0


def test_creating_a_link_shows_it_once(desk, patient):
    response = desk.post(
        reverse("intake:link_create", args=[patient.pk]), {"form": ["registration"]}, follow=True
    )
    link = response.context["new_link"]
    assert link.startswith("http://testserver/intake/f/")
    token = link.removeprefix("http://testserver/intake/f/").removesuffix("/")
    assert len(token) == 43
    assert patient.last_name not in link
    again = desk.get(reverse("intake:patient_forms", args=[patient.pk]))
    assert again.context["new_link"] is None
    assert FormRequest.objects.get().channel == "link"


def test_review_shows_differences_and_apply_updates_the_record(desk, patient):
    # given a signed registration with a new mobile number and address, and a medical history
    registration, history = signed_forms(patient, ["registration", "medical-history"])
    # when the desk opens the registration
    page = desk.get(reverse("intake:submission", args=[registration.pk]))
    changes = {ch.target: ch for ch in page.context["changes"]}
    assert changes["phone.mobile"].current == "+15552010000"
    assert changes["phone.mobile"].proposed == "+15552017788"
    assert changes["phone.mobile"].differs
    assert not changes["birth_date"].differs
    assert 'class="differs"' in page.content.decode()
    # and applies it
    response = desk.post(reverse("intake:submission_apply", args=[registration.pk]))
    assert response.status_code == 302
    fresh = Patient.objects.get(pk=patient.pk)
    assert fresh.first_name == "Robin"
    assert fresh.email == "robin.sample@example.com"
    assert [p.number for p in fresh.phones.all()] == ["+15552017788"]
    address = fresh.addresses.get()
    assert (address.line1, address.city, address.state, address.zip_code) == (
        "12 Elm Street",
        "Springfield",
        "IL",
        "62701",
    )
    contact = fresh.emergency_contacts.get()
    assert (contact.name, contact.phone, contact.relationship) == (
        "Jordan Sample",
        "+15552013344",
        "spouse",
    )
    registration.refresh_from_db()
    assert registration.review_status == "applied"
    assert "phone.mobile" in registration.applied_fields
    # when the medical history is applied, it becomes the reviewed history
    desk.post(reverse("intake:submission_apply", args=[history.pk]))
    kept = PatientHistory.objects.get(patient=patient)
    assert kept.allergies == "Penicillin: hives"
    assert kept.medications == "Metformin 500 mg twice a day"
    assert kept.conditions == "Diabetes, Asthma"
    assert kept.social_history == "Tobacco use: Never\nAlcohol: Occasionally"
    forms_page = desk.get(reverse("intake:patient_forms", args=[patient.pk])).content.decode()
    assert "Penicillin: hives" in forms_page


def test_apply_refused_by_the_record_changes_nothing(desk, patient):
    (registration,) = signed_forms(patient, ["registration"])
    answers = registration.answers
    answers["state"] = "ZZ"
    registration.answers = answers
    registration.save()
    response = desk.post(reverse("intake:submission_apply", args=[registration.pk]), follow=True)
    assert "The record refused these answers" in response.content.decode()
    registration.refresh_from_db()
    assert registration.review_status == "pending"
    assert Patient.objects.get(pk=patient.pk).email == ""


def test_signed_pdf_is_served_with_a_neutral_name_and_audited(desk, patient):
    (submission,) = signed_forms(patient, ["consent-to-treat"])
    response = desk.get(reverse("intake:submission_pdf", args=[submission.pk]) + "?download=1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="form-{submission.pk}.pdf"'
    text = pdf_text(response.content)
    assert "Consent to treat" in text
    assert "I consent to treatment as described above." in text
    assert "Robin Sample" in text
    entry = AuditEntry.objects.filter(target_type="intake.submission").latest("pk")
    assert (entry.action, entry.detail) == ("read", {"what": "signed PDF"})


def test_answers_signature_and_pdf_are_encrypted_at_rest(patient):
    (submission,) = signed_forms(patient, ["medical-history"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers_data, signature_data, pdf_data FROM intake_submission WHERE id = %s",
            [submission.pk],
        )
        answers, signature, pdf = cursor.fetchone()
    assert "Penicillin" not in answers
    assert not signature.startswith("iVBOR")
    assert not pdf.startswith("JVBER")
    assert Submission.objects.get().answers["allergies"] == "Penicillin: hives"


def test_a_half_given_emergency_contact_does_not_hold_back_the_other_answers(desk, patient):
    (registration,) = signed_forms(patient, ["registration"])
    answers = registration.answers
    answers["emergency_phone"] = ""
    registration.answers = answers
    registration.save()
    desk.post(reverse("intake:submission_apply", args=[registration.pk]))
    fresh = Patient.objects.get(pk=patient.pk)
    assert fresh.email == "robin.sample@example.com"
    assert not fresh.emergency_contacts.exists()
    registration.refresh_from_db()
    assert "emergency.name" not in registration.applied_fields


def test_desk_revokes_an_open_link_and_it_stops_opening(desk, client, patient):
    from medoffice.intake.tests.factories import make_request

    request, token = make_request(patient, codes=["registration"])
    response = desk.post(reverse("intake:request_revoke", args=[request.pk]))
    assert response["Location"] == reverse("intake:patient_forms", args=[patient.pk])
    request.refresh_from_db()
    assert request.revoked_at is not None
    assert desk.get(reverse("intake:link", args=[token])).status_code == 410


def test_kiosk_and_link_starts_need_a_post(desk, patient):
    assert desk.get(reverse("intake:kiosk_start", args=[patient.pk])).status_code == 405
    assert desk.get(reverse("intake:link_create", args=[patient.pk])).status_code == 405
    assert FormRequest.objects.count() == 0
