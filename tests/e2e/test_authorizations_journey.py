"""Referrals and prior authorizations in a real browser: booking an HMO patient's cardiology
visit warns that no referral is on file; the desk records the incoming referral, the warning is
gone and the booked visit counts against it; then a stress test's prior authorization is
drafted, faxed (the request form PDF names the codes) and approved with its number. The pages
must raise no script, console or CSP error."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser]


def _monday_ahead() -> dt.date:
    from django.utils import timezone

    today = timezone.localdate()
    return today + dt.timedelta(days=14 - today.weekday())


def test_referral_clears_the_booking_warning_then_a_faxed_prior_auth_is_approved(
    watch, page, live_server, transactional_db
):
    from playwright.sync_api import expect

    from medoffice.accounts.tests.factories import PASSWORD
    from medoffice.authorizations.models import PriorAuthorization, Referral, ReferralVisit
    from medoffice.authorizations.tests.factories import make_clinic
    from medoffice.core.pdf import pdf_text
    from medoffice.scheduling.models import Appointment
    from medoffice.scheduling.tests import factories as f
    from medoffice.scheduling.views.calendar_links import instant_text

    # Given Dr. Hart (cardiology) working Monday mornings and Jonah on the Sunrise HMO
    clinic = make_clinic()
    f.session(clinic.hart, clinic.place, start=dt.time(8), end=dt.time(12), slot_minutes=20)
    monday = _monday_ahead()
    slot = (
        f"{live_server.url}/schedule/book/?provider={clinic.hart.pk}&location={clinic.place.pk}"
        f"&start={instant_text(f.local(clinic.place, monday, 9))}&patient={clinic.patient.pk}"
    )
    problems = watch(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # When the desk starts booking a cardiology new-patient visit for him
    page.goto(slot)
    page.get_by_label("Type of visit").select_option(str(clinic.cardio_new.pk))
    # Then the panel warns that the HMO needs a referral and none is on file
    warnings = page.locator("#book-auth-warnings")
    expect(warnings).to_contain_text(
        "This HMO plan needs a referral for Cardiology new patient; none is on file."
    )

    # When the desk records the PCP's incoming referral for two visits
    page.goto(f"{live_server.url}/authorizations/patients/{clinic.patient.pk}/")
    page.get_by_role("link", name="Record incoming referral").click()
    page.get_by_label("Referral number").fill("R-123")
    page.get_by_label("Referring provider (address book)").select_option(label="Adaeze Okonkwo, MD")
    page.get_by_label("Referred to (our provider)").select_option(label="Lena Hart, MD")
    page.get_by_label("Diagnoses (ICD-10-CM)").fill("R07.9")
    page.get_by_label("Visits authorized").fill("2")
    page.get_by_label("End date").fill((monday + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Record referral").click()
    expect(page.locator("#referral-visits")).to_have_text("0 of 2 used · 2 left")
    referral = Referral.objects.get()
    assert (referral.number, referral.referring_npi, referral.specialty) == (
        "R-123", "1234567893", "cardiology",
    )  # fmt: skip

    # Then the booking warning is gone, and booking counts the visit against the referral
    page.goto(slot)
    page.get_by_label("Type of visit").select_option(str(clinic.cardio_new.pk))
    page.get_by_label("Reason for visit").fill("Chest pain on exertion")
    expect(page.locator("#book-auth-warnings")).not_to_contain_text("none is on file")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("heading", name="Booked")).to_be_visible()
    expect(page.locator("#calendar-panel-body")).to_contain_text(
        "The visit counts against Referral R-123."
    )
    appointment = Appointment.objects.get()
    assert ReferralVisit.objects.get().appointment_id == appointment.pk
    page.goto(f"{live_server.url}/authorizations/referrals/{referral.pk}/")
    expect(page.locator("#referral-visits")).to_have_text("1 of 2 used · 1 left")

    # When the desk drafts the stress test's prior authorization
    page.goto(f"{live_server.url}/authorizations/patients/{clinic.patient.pk}/")
    page.get_by_role("link", name="Draft prior authorization").click()
    page.get_by_label("For visits of type").select_option(label="Stress test")
    page.get_by_label("Requesting provider").first.select_option(label="Lena Hart, MD")
    page.get_by_label("Service 1 code").fill("93015")
    page.get_by_label("Service 1 description").fill("Cardiovascular stress test")
    page.get_by_label("Diagnosis 1", exact=True).fill("R07.9")
    page.get_by_label("Diagnosis 2", exact=True).fill("I20.9")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#auth-status")).to_contain_text("Draft")
    authorization = PriorAuthorization.objects.get()

    # and prints the request form, faxes it and records it as submitted
    form = page.request.get(f"{live_server.url}/authorizations/requests/{authorization.pk}/form/")
    assert form.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(form.body()).split())
    assert "Prior authorization request" in text
    assert "93015" in text
    assert "R07.9, I20.9" in text
    page.get_by_label("Sent by").select_option("fax")
    page.get_by_role("button", name="Record as submitted").click()
    expect(page.locator("#auth-status")).to_contain_text("Submitted")

    # Then the payer's approval, taken by phone, is recorded with its number
    page.get_by_label("Decision", exact=True).select_option("approved")
    page.get_by_label("Approved from").fill(monday.isoformat())
    page.get_by_label("Authorization number").fill("AUTH-555")
    page.get_by_label("Approved through").fill((monday + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#auth-status")).to_contain_text("Approved")
    expect(page.locator("#auth-number")).to_have_text("AUTH-555")
    authorization.refresh_from_db()
    assert (authorization.status, authorization.submitted_via) == ("approved", "fax")
    assert authorization.certification_number == "AUTH-555"
    expect(page.locator("#auth-units")).to_have_text(re.compile(r"^0 of 1 used · 1 left$"))
    assert problems == []
