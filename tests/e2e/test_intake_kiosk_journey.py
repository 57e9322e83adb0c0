"""The intake journey in a real browser: the desk starts the kiosk for a patient on the tablet,
the patient fills the registration (drawing the signature with the mouse) and the NPP
acknowledgment (typing the signature), the tablet ends on the hand-back screen, and the desk
signs in again, reviews the answers beside the record and applies them in one click. The pages
must raise no script, console or CSP error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = [pytest.mark.browser]


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _draw(page: Any) -> None:
    pad = page.locator("[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y = box["x"] + 40, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 25, y + (18 if step % 2 else -18), steps=3)
    page.mouse.up()


def test_kiosk_fill_sign_then_desk_applies(watch, page, live_server, transactional_db):
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.intake.models import PatientHistory, Submission
    from medoffice.intake.standard import install_standard_forms
    from medoffice.patients.models import Patient
    from medoffice.patients.tests.factories import make_patient

    # Given the standard forms, a patient with an old mobile number, and the desk on the tablet
    install_standard_forms()  # transactional_db flushes the migration's rows
    avery = make_patient(
        first_name="Avery",
        last_name="Quillfeather",
        birth_date=dt.date(1984, 3, 14),
        phones=[{"kind": "mobile", "number": "555 201 0000"}],
    )
    make_user("desk", roles=(Role.FRONT_DESK,))
    problems = watch(page)
    page.set_viewport_size({"width": 1024, "height": 1366})
    base = live_server.url
    _sign_in(page, base, "desk", PASSWORD)

    # When the desk opens the patient's forms and starts the kiosk with two forms
    page.goto(f"{base}/intake/patients/{avery.pk}/")
    expect(page.get_by_role("heading", name="Forms due today")).to_be_visible()
    for label in ("Consent to treat", "Financial policy", "Medical history"):
        page.get_by_role("checkbox", name=label, exact=True).uncheck()
    page.get_by_role("button", name="Start kiosk on this device").click()
    page.wait_for_url(f"{base}/intake/kiosk/")

    # Then the tablet shows only the registration, filled from the record, without navigation
    expect(page.get_by_role("heading", name="Patient registration")).to_be_visible()
    expect(page.locator(".sidenav")).to_have_count(0)
    expect(page.get_by_label("Last name (as on your ID)")).to_have_value("Quillfeather")

    # When the patient corrects the phone, adds e-mail and address, and draws a signature
    page.get_by_label("Mobile phone").fill("(555) 201-7788")
    page.get_by_label("E-mail").fill("avery.q@example.com")
    page.get_by_label("Home address: street").fill("12 Elm Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("State (two letters)").fill("IL")
    page.get_by_label("ZIP code").fill("62701")
    _draw(page)
    page.get_by_role("button", name="Sign and continue").click()

    # and acknowledges the NPP, typing the signature
    expect(
        page.get_by_role("heading", name="Notice of Privacy Practices acknowledgment")
    ).to_be_visible()
    page.get_by_text("I acknowledge that I received").click()
    page.get_by_text("Type my name").click()
    page.get_by_label("Type your full name as your signature").fill("Avery Quillfeather")
    page.get_by_role("button", name="Sign and continue").click()

    # Then the tablet asks to be handed back
    expect(page.get_by_text("Please hand the tablet back to the desk.")).to_be_visible()
    kinds = dict(Submission.objects.values_list("version__template__code", "signature_kind"))
    assert kinds == {"registration": "drawn", "npp-acknowledgment": "typed"}
    page.goto(f"{base}/intake/kiosk/")
    expect(page.get_by_text("No forms are open on this device.")).to_be_visible()

    # When the desk signs in again and opens the signed registration
    problems.clear()  # the refused kiosk page above answers 410 on purpose
    _sign_in(page, base, "desk", PASSWORD)
    page.goto(f"{base}/intake/patients/{avery.pk}/")
    expect(page.get_by_text("Waiting for review", exact=True)).to_have_count(2)
    expect(page.get_by_text("2 waiting for review")).to_be_visible()
    page.get_by_role("link", name="Patient registration").click()
    changed = page.locator("tr.differs-row")
    expect(changed.filter(has_text="Mobile phone")).to_contain_text("(555) 201-7788")

    # and applies it in one click
    page.get_by_role("button", name="Apply to record").click()
    expect(page.get_by_text("Applied to the record:")).to_be_visible()
    fresh = Patient.objects.get(pk=avery.pk)
    assert [p.number for p in fresh.phones.all()] == ["+15552017788"]
    assert fresh.email == "avery.q@example.com"
    assert fresh.addresses.get().city == "Springfield"
    assert not PatientHistory.objects.exists()
    assert problems == []


def test_secure_link_asks_birth_date_and_is_refused_once_used(
    watch, chromium, page, live_server, transactional_db
):
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.intake.models import Submission
    from medoffice.intake.standard import install_standard_forms
    from medoffice.patients.tests.factories import make_patient

    # Given the desk creates a link for the NPP acknowledgment
    install_standard_forms()
    avery = make_patient(
        first_name="Avery", last_name="Quillfeather", birth_date=dt.date(1984, 3, 14)
    )
    make_user("desk", roles=(Role.FRONT_DESK,))
    problems = watch(page)
    base = live_server.url
    _sign_in(page, base, "desk", PASSWORD)
    page.goto(f"{base}/intake/patients/{avery.pk}/")
    for label in (
        "Patient registration",
        "Consent to treat",
        "Financial policy",
        "Medical history",
    ):
        page.get_by_role("checkbox", name=label, exact=True).uncheck()
    page.get_by_role("button", name="Create secure link").click()
    link = page.get_by_test_id("new-link").input_value()
    assert "/intake/f/" in link
    assert problems == []

    # When the patient opens it on their own phone, nothing shows before the birth date
    phone = chromium.new_context(viewport={"width": 390, "height": 844})
    patient_page = phone.new_page()
    patient_page.goto(link)
    expect(patient_page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(patient_page.locator("body")).not_to_contain_text("Quillfeather")
    patient_page.get_by_label("Date of birth").fill("1984-03-14")
    patient_page.get_by_role("button", name="Continue").click()

    # Then the form shows; the patient acknowledges and types the signature
    expect(
        patient_page.get_by_role("heading", name="Notice of Privacy Practices acknowledgment")
    ).to_be_visible()
    patient_page.get_by_text("I acknowledge that I received").click()
    patient_page.get_by_text("Type my name").click()
    patient_page.get_by_label("Type your full name as your signature").fill("Avery Quillfeather")
    patient_page.get_by_role("button", name="Sign and continue").click()
    expect(patient_page.get_by_text("We have received your forms.")).to_be_visible()
    assert Submission.objects.get().signature_kind == "typed"

    # When the link is opened again, it is refused without naming anyone
    answer = patient_page.goto(link)
    assert answer.status == 410
    expect(
        patient_page.get_by_role("heading", name="These forms were already completed.")
    ).to_be_visible()
    expect(patient_page.locator("body")).not_to_contain_text("Avery")
    phone.close()
