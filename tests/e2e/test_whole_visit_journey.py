"""The whole visit of a new patient, as the front desk lives it, in a real browser.

The desk checks Jonah in from today's list; his five new-patient forms are due, so the desk
starts them on the tablet (which signs the desk out). Jonah corrects his phone and address, signs
every form (drawn once, typed after) and says he is allergic to penicillin. The desk signs in
again, applies the registration and the medical history to his record, watches his wait on the
waiting-room board, rooms him, and checks him out with a follow-up three months ahead and a work
excuse note whose PDF names him and the days. No page may raise a script, console or CSP error.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
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


def _type_signature(page: Any) -> None:
    page.get_by_text("Type my name").click()
    page.get_by_label("Type your full name as your signature").fill("Jonah Smithers")


def _choose(page: Any, question: str, answer: str) -> None:
    page.get_by_role("group", name=re.compile(f"^{re.escape(question)}")).get_by_label(
        answer, exact=True
    ).check()


def _registration(page: Any) -> None:
    page.get_by_label("Mobile phone").fill("(555) 201-7788")
    page.get_by_label("Home address: street").fill("12 Elm Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("State (two letters)").fill("IL")
    page.get_by_label("ZIP code").fill("62701")
    _draw(page)


def _npp(page: Any) -> None:
    page.get_by_text("I acknowledge that I received").click()
    _type_signature(page)


def _consent(page: Any) -> None:
    page.get_by_text("I consent to treatment as described above.").click()
    _choose(page, "I am signing as", "The patient")
    _type_signature(page)


def _financial(page: Any) -> None:
    page.get_by_text("I have read the financial policy and agree to it.").click()
    _type_signature(page)


def _medical_history(page: Any) -> None:
    from playwright.sync_api import expect

    _choose(page, "Do you take any medications?", "No")
    allergies = page.get_by_label("Allergies and the reaction")
    expect(allergies).to_be_hidden()  # shown only when the answer above is yes
    _choose(page, "Do you have allergies", "Yes")
    expect(allergies).to_be_visible()
    allergies.fill("Penicillin: hives")
    _choose(page, "Have you had any surgeries?", "No")
    _choose(page, "Tobacco use", "Never")
    _choose(page, "Alcohol", "Occasionally")
    _type_signature(page)


FORMS = {
    "Patient registration": _registration,
    "Notice of Privacy Practices acknowledgment": _npp,
    "Consent to treat": _consent,
    "Financial policy": _financial,
    "Medical history": _medical_history,
}


def _fill_every_form_on_the_kiosk(page: Any) -> list[str]:
    from playwright.sync_api import expect

    filled = []
    for _ in FORMS:
        heading = page.locator("h1, h2").filter(has_text=re.compile("|".join(FORMS))).first
        expect(heading).to_be_visible()
        name = heading.inner_text().strip()
        FORMS[name](page)
        page.get_by_role("button", name="Sign and continue").click()
        expect(page.locator("h1, h2").filter(has_text=name)).to_have_count(0)
        filled.append(name)
    expect(page.get_by_text("Please hand the tablet back to the desk.")).to_be_visible()
    return filled


def test_a_new_patient_from_check_in_through_forms_and_the_board_to_check_out(
    watch, page, live_server, transactional_db
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.core.pdf import pdf_text
    from medoffice.frontdesk.models import CheckIn, ExcuseNote, FollowUpRequest
    from medoffice.frontdesk.rules import followup
    from medoffice.intake.models import PatientHistory, Submission
    from medoffice.intake.standard import install_standard_forms
    from medoffice.patients.models import Patient
    from medoffice.patients.tests.factories import make_patient
    from medoffice.scheduling.models import AppointmentTypeResource
    from medoffice.scheduling.services import book_appointment
    from medoffice.scheduling.tests import factories as f

    # Given Dr. Okafor at North with an exam room, the standard forms, and Jonah (new) at 9:00
    install_standard_forms()  # transactional_db flushes the migration's rows
    place = f.location(name="North", time_zone="America/New_York")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor", credentials="MD")
    f.session(doctor, place, start=dt.time(8), end=dt.time(17), slot_minutes=20)
    sick = f.appointment_type(20, name="Sick visit")
    AppointmentTypeResource.objects.create(appointment_type=sick, kind="exam_room")
    f.room(place, "Exam 3")
    jonah = make_patient(
        first_name="Jonah",
        last_name="Smithers",
        birth_date=dt.date(1990, 3, 14),
        phones=[{"kind": "mobile", "number": "555 201 0000"}],
    )
    desk = make_user("desk", roles=(Role.FRONT_DESK,))
    zone = zoneinfo.ZoneInfo(place.time_zone)
    today = timezone.now().astimezone(zone).date()
    visit = book_appointment(
        acting_user=desk, patient=jonah, provider=doctor, location=place,
        appointment_type=sick, starts_at=f.local(place, today, 9),
        outside_sessions=True,  # booked earlier; "now" may be past 9:00 when this runs
    )  # fmt: skip
    problems = watch(page)
    page.set_viewport_size({"width": 1280, "height": 1000})
    base = live_server.url
    _sign_in(page, base, "desk", PASSWORD)

    # When the desk checks him in from today's list
    page.goto(f"{base}/desk/")
    search = page.get_by_label("Find on today's list")
    search.fill("smithers")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Check-in checklist")).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == "arrived"

    # Then his new-patient forms are due, and the desk hands him the tablet
    forms = page.locator("#check-forms")
    for name in FORMS:
        expect(forms).to_contain_text(name)
    forms.get_by_role("button", name=re.compile("^Start forms on this device")).click()
    page.wait_for_url(f"{base}/intake/kiosk/")
    expect(page.locator(".sidenav")).to_have_count(0)

    # When Jonah fills and signs every form on the kiosk
    filled = _fill_every_form_on_the_kiosk(page)
    assert sorted(filled) == sorted(FORMS)
    assert Submission.objects.filter(patient=jonah).count() == 5

    # and the desk signs in again, reviews and applies the registration and the history
    problems.clear()  # signing out on the tablet answers the old pages with redirects/410
    _sign_in(page, base, "desk", PASSWORD)
    page.goto(f"{base}/desk/visits/{visit.pk}/")
    expect(page.locator("#check-forms")).to_contain_text("No form is due")
    page.locator("#check-forms").get_by_role("link", name="Patient's forms").click()
    forms_page = page.url
    for name in ("Patient registration", "Medical history"):
        page.goto(forms_page)
        page.get_by_role("link", name=name).first.click()
        page.get_by_role("button", name="Apply to record").click()
        expect(page.locator(".toast-text")).to_contain_text("Applied to the record")
    fresh = Patient.objects.get(pk=jonah.pk)
    assert [p.number for p in fresh.phones.all()] == ["+15552017788"]
    assert fresh.addresses.get().city == "Springfield"
    assert "Penicillin: hives" in str(PatientHistory.objects.get(patient=jonah).allergies)

    # When he has waited 25 minutes, the board shows it; he is roomed and seen
    CheckIn.objects.filter(appointment=visit).update(
        arrived_at=timezone.now() - dt.timedelta(minutes=25)
    )
    page.goto(f"{base}/desk/board/")
    row = page.locator(f"#board-{visit.pk}")
    expect(row).to_contain_text("Smithers, Jonah")
    expect(row.locator(".wait-minutes")).to_have_text("25 min", timeout=15_000)
    expect(row).to_have_attribute("data-wait-level", "warning")
    row.get_by_role("button", name="Room").click()
    expect(row).to_contain_text("Roomed")
    row.get_by_role("button", name="With provider").click()
    expect(row).to_contain_text("With provider")
    row.get_by_role("link", name="Check out").click()

    # And at check-out the desk books "return in 3 months" and a two-day work excuse note
    checkout = page.locator("#checkout")
    checkout.get_by_label("Return in").fill("3")
    checkout.get_by_label("Unit").select_option("months")
    checkout.get_by_role("button", name="Find follow-up slots").click()
    page.get_by_role("button", name="Book follow-up").click()
    expect(page.locator(".desk-followup-booked")).to_contain_text("booked")
    through = today + dt.timedelta(days=1)
    checkout = page.locator("#checkout")
    checkout.get_by_label("Note for").select_option("work")
    checkout.get_by_label("Excused from").fill(today.isoformat())
    checkout.get_by_label("Excused through").fill(through.isoformat())
    checkout.get_by_role("button", name=re.compile("^Issue note signed by")).click()
    link = page.locator(".desk-note a", has_text="PDF")
    expect(link).to_be_visible()
    page.get_by_role("button", name="Check out", exact=True).click()
    expect(page.locator("#visit-status")).to_have_text("Checked out")

    # Then the note's PDF names him, the provider and the days
    pdf = page.request.get(f"{base}{link.get_attribute('href')}")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.body()).split())
    assert "Jonah Smithers" in text
    assert f"from {today:%m/%d/%Y} through {through:%m/%d/%Y}" in text
    assert "Electronically signed by Maya Okafor, MD" in text

    # and the visit is checked out with its follow-up in the right week
    visit.refresh_from_db()
    assert visit.status == "checked_out"
    landing = followup.landing(today, 3, "months")
    booked = FollowUpRequest.objects.get().booked_appointment
    assert booked.patient_id == jonah.pk
    assert landing.week_starts <= booked.starts_at.astimezone(zone).date() <= landing.week_ends
    assert ExcuseNote.objects.get().patient_id == jonah.pk
    assert problems == []
