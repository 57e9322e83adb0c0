"""The kiosk and the secure link: what a patient sees, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medoffice.intake import services
from medoffice.intake.models import FormRequest, Submission
from medoffice.intake.tests.factories import ANSWERS, TINY_PNG, make_request, sign
from medoffice.intake.tests.support import desk_user, signed_in
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1975, 6, 14)


@pytest.fixture
def patient():
    return make_patient(first_name="Avery", last_name="Quillfeather", birth_date=BIRTH)


def _post_form(client: Client, url: str, page, answers: dict, **signature) -> object:
    data = {
        "requested_form": page.context["requested"].pk,
        "signer_name": "Avery Quillfeather",
        "signature_kind": "drawn",
        "signature_drawn": TINY_PNG,
        **answers,
        **signature,
    }
    return client.post(url, data)


def test_kiosk_start_signs_staff_out_and_shows_only_the_patients_forms(client, patient):
    # given a desk login on the tablet
    signed_in(client, desk_user())
    # when the desk starts the kiosk for the NPP and the financial policy
    response = client.post(
        reverse("intake:kiosk_start", args=[patient.pk]),
        {"form": ["npp-acknowledgment", "financial-policy"]},
    )
    # then the device lands on the kiosk, signed out, with the first form
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:kiosk")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert not page.wsgi_request.user.is_authenticated
    text = page.content.decode()
    assert "Notice of Privacy Practices acknowledgment" in text
    assert "Form 1 of 2" in text
    assert 'class="sidenav"' not in text
    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 302


def test_kiosk_patient_fills_and_signs_each_form_then_hands_back(client, patient):
    signed_in(client, desk_user())
    client.post(
        reverse("intake:kiosk_start", args=[patient.pk]),
        {"form": ["npp-acknowledgment", "financial-policy"]},
    )
    url = reverse("intake:kiosk")
    # when the patient signs the first by drawing and the second by typing
    page = client.get(url)
    assert _post_form(client, url, page, {"q-acknowledged": "on"}).status_code == 302
    page = client.get(url)
    assert "Financial policy" in page.content.decode()
    done = _post_form(
        client,
        url,
        page,
        {"q-agree": "on"},
        signature_kind="typed",
        signature_typed="Avery Quillfeather",
    )
    # then both are stored, signed, and the kiosk ends on the hand-back screen
    assert done["Location"] == reverse("intake:done")
    final = client.get(done["Location"])
    assert "Please hand the tablet back to the desk." in final.content.decode()
    kinds = sorted(Submission.objects.values_list("signature_kind", flat=True))
    assert kinds == ["drawn", "typed"]
    assert FormRequest.objects.get().completed_at is not None
    # and the kiosk no longer opens the forms
    again = client.get(url)
    assert again.status_code == 410
    assert "Quillfeather" not in again.content.decode()


def test_missing_required_answer_and_signature_are_shown_and_nothing_is_stored(client, patient):
    signed_in(client, desk_user())
    client.post(reverse("intake:kiosk_start", args=[patient.pk]), {"form": ["financial-policy"]})
    url = reverse("intake:kiosk")
    page = client.get(url)
    response = _post_form(client, url, page, {}, signature_drawn="")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Please check this box to continue." in text
    assert "Draw your signature in the box, or type your name instead." in text
    assert Submission.objects.count() == 0


def test_link_shows_nothing_before_the_birth_date_check(client, patient):
    # given a link
    _, token = make_request(patient, codes=["registration"])
    url = reverse("intake:link", args=[token])
    # when opened
    page = client.get(url)
    # then only the date of birth question shows: no name, no form
    text = page.content.decode()
    assert page.status_code == 200
    assert "Date of birth" in text
    for secret in ("Avery", "Quillfeather", "Patient registration", patient.mrn):
        assert secret not in text
    # when a wrong birth date is given, still nothing
    wrong = client.post(url, {"birth_date": "1975-06-15"})
    assert "does not match" in wrong.content.decode()
    assert "Quillfeather" not in wrong.content.decode()
    # when the right one is given, the form shows, filled from the record
    right = client.post(url, {"birth_date": BIRTH.isoformat()}, follow=True)
    text = right.content.decode()
    assert "Patient registration" in text
    assert 'value="Quillfeather"' in text


def test_link_is_revoked_after_five_wrong_birth_dates(client, patient):
    request, token = make_request(patient, codes=["registration"])
    url = reverse("intake:link", args=[token])
    for _ in range(4):
        assert client.post(url, {"birth_date": "2000-01-01"}).status_code == 200
    locked = client.post(url, {"birth_date": "2000-01-01"})
    assert locked.status_code == 410
    request.refresh_from_db()
    assert request.revoked_at is not None
    assert client.post(url, {"birth_date": BIRTH.isoformat()}).status_code == 410


def test_expired_link_is_refused_with_410_and_no_phi(client, patient):
    past = timezone.now() - dt.timedelta(days=services.LINK_DAYS + 1)
    _, token = make_request(patient, codes=["registration"], now=past)
    response = client.get(reverse("intake:link", args=[token]))
    text = response.content.decode()
    assert response.status_code == 410
    assert "This form link has expired." in text
    assert "Quillfeather" not in text
    assert "Registration" not in text


def test_used_link_is_refused(client, patient):
    request, token = make_request(patient, codes=["npp-acknowledgment"])
    sign(request.forms.get())
    response = client.get(reverse("intake:link", args=[token]))
    assert response.status_code == 410
    assert "These forms were already completed." in response.content.decode()


def test_revoked_and_unknown_links_are_refused(client, patient):
    request, token = make_request(patient, codes=["npp-acknowledgment"])
    services.revoke_request(request, acting_user=None)
    assert client.get(reverse("intake:link", args=[token])).status_code == 410
    unknown = client.get(reverse("intake:link", args=["not-a-real-token"]))
    assert unknown.status_code == 410
    assert "This form link is not valid." in unknown.content.decode()


def test_link_form_submission_through_the_page(client, patient):
    _request, token = make_request(patient, codes=["medical-history"])
    url = reverse("intake:link", args=[token])
    client.post(url, {"birth_date": BIRTH.isoformat()})
    page = client.get(url)
    answers = dict(ANSWERS["medical-history"].items())
    done = _post_form(client, url, page, answers)
    assert done["Location"] == reverse("intake:done")
    assert "We have received your forms." in client.get(done["Location"]).content.decode()
    assert client.get(url).status_code == 410
    submission = Submission.objects.get()
    assert submission.answers["allergies"] == "Penicillin: hives"
    assert submission.answers["conditions"] == ["Diabetes", "Asthma"]
    assert "surgeries" not in submission.answers  # hidden by its condition


def test_kiosk_start_keeps_the_appointment_and_audits_the_first_opening(client, patient):
    from medoffice.audit.models import AuditEntry
    from medoffice.scheduling.tests import factories as sf

    place = sf.location()
    doctor = sf.provider_at(place)
    starts = sf.local(place, timezone.localdate() + dt.timedelta(days=1), 9)
    visit = sf.raw_appointment(patient, doctor, place, sf.appointment_type(), starts)
    signed_in(client, desk_user())
    client.post(
        reverse("intake:kiosk_start", args=[patient.pk]),
        {"form": ["financial-policy"], "appointment": str(visit.pk)},
    )
    assert FormRequest.objects.get().appointment_id == visit.pk
    client.get(reverse("intake:kiosk"))
    client.get(reverse("intake:kiosk"))
    opened = AuditEntry.objects.filter(patient_id=patient.pk, detail__what="forms opened")
    assert opened.count() == 1


def test_kiosk_start_with_another_patients_appointment_is_refused(client, patient):
    signed_in(client, desk_user())
    response = client.post(
        reverse("intake:kiosk_start", args=[patient.pk]),
        {"form": ["financial-policy"], "appointment": "999999"},
        follow=True,
    )
    assert "That appointment is not this patient&#x27;s." in response.content.decode()
    assert response.wsgi_request.user.is_authenticated
    assert FormRequest.objects.count() == 0
