"""The visit at the desk in a real browser: the desk finds today's patient by typing and checks
him in, the waiting-room board shows his wait (and turns amber without a reload), he is roomed
and seen, then checked out with a follow-up booked three months ahead and a work excuse note
whose PDF names him and the excused days. The pages must raise no script, console or CSP error.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def test_check_in_wait_room_see_and_check_out_with_follow_up_and_excuse_note(
    watch, page, live_server, transactional_db
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.core.pdf import pdf_text
    from medoffice.frontdesk.models import CheckIn, ExcuseNote, FollowUpRequest
    from medoffice.frontdesk.rules import followup
    from medoffice.patients.tests.factories import make_patient
    from medoffice.scheduling.models import AppointmentTypeResource
    from medoffice.scheduling.services import book_appointment
    from medoffice.scheduling.tests import factories as f

    # Given Dr. Okafor working weekdays at North, an exam room, and Jonah booked today at 9:00
    place = f.location(name="North", time_zone="America/New_York")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor", credentials="MD")
    f.session(doctor, place, start=dt.time(8), end=dt.time(17), slot_minutes=20)
    sick = f.appointment_type(20, name="Sick visit")
    AppointmentTypeResource.objects.create(appointment_type=sick, kind="exam_room")
    f.room(place, "Exam 3")
    f.room(place, "Exam 4")
    jonah = make_patient(first_name="Jonah", last_name="Smithers", birth_date=dt.date(2022, 3, 14))
    zone = zoneinfo.ZoneInfo(place.time_zone)
    today = timezone.now().astimezone(zone).date()
    other = make_patient(first_name="Ada", last_name="Quill")
    desk = make_user("desk", roles=(Role.FRONT_DESK,))

    def book(patient: Any, hour: int, minute: int = 0) -> Any:
        return book_appointment(
            acting_user=desk, patient=patient, provider=doctor, location=place,
            appointment_type=sick, starts_at=f.local(place, today, hour, minute),
            outside_sessions=True,  # booked earlier; "now" may be past 9:00 when this runs
        )  # fmt: skip

    book(other, 8, 20)
    visit = book(jonah, 9)
    problems = watch(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # When the desk opens today's list, types his name and presses Enter
    page.goto(f"{live_server.url}/desk/")
    expect(page.locator(".desk-row")).to_have_count(2)
    search = page.get_by_label("Find on today's list")
    search.fill("smithers jo")
    expect(page.locator(".desk-row:visible")).to_have_count(1)
    search.press("Enter")

    # Then he is checked in and the checklist is shown
    expect(page.get_by_role("heading", name="Check-in checklist")).to_be_visible()
    check_in = CheckIn.objects.get(appointment=visit)
    visit.refresh_from_db()
    assert visit.status == "arrived"
    expect(page.locator("#check-money")).to_contain_text("No coverage on file")
    page.get_by_role("button", name="Patient confirmed demographics").click()
    expect(page.locator("#check-demographics")).to_contain_text("Confirmed today")

    # When he has been waiting 25 minutes, the board shows it and turns amber by itself
    page.get_by_role("link", name="Waiting room").first.click()
    row = page.locator(f"#board-{visit.pk}")
    expect(row).to_contain_text("Smithers, Jonah")
    expect(row).to_contain_text("Exam 3")
    CheckIn.objects.filter(pk=check_in.pk).update(
        arrived_at=timezone.now() - dt.timedelta(minutes=25)
    )
    expect(row.locator(".wait-minutes")).to_have_text("25 min", timeout=15_000)
    expect(row).to_have_attribute("data-wait-level", "warning")

    # When the nurse rooms him and the provider sees him
    row.get_by_role("button", name="Room").click()
    expect(row).to_contain_text("Roomed")
    row.get_by_role("button", name="With provider").click()
    expect(row).to_contain_text("With provider")
    expect(row).to_have_attribute("data-wait-level", "ok")
    row.get_by_role("link", name="Check out").click()

    # And the desk books "return in 3 months"
    checkout = page.locator("#checkout")
    checkout.get_by_label("Return in").fill("3")
    checkout.get_by_label("Unit").select_option("months")
    checkout.get_by_role("button", name="Find follow-up slots").click()
    landing = followup.landing(today, 3, "months")
    expect(page.locator(".desk-proposal")).to_contain_text(
        f"week of {landing.week_starts:%m/%d/%Y}"
    )
    page.get_by_role("button", name="Book follow-up").click()
    expect(page.locator(".desk-followup-booked")).to_contain_text("booked")

    # and issues a two-day work excuse note
    through = today + dt.timedelta(days=1)
    checkout = page.locator("#checkout")
    checkout.get_by_label("Note for").select_option("work")
    checkout.get_by_label("Excused from").fill(today.isoformat())
    checkout.get_by_label("Excused through").fill(through.isoformat())
    checkout.get_by_role("button", name=re.compile("^Issue note signed by")).click()
    link = page.locator(".desk-note a", has_text="PDF")
    expect(link).to_be_visible()

    # Then the note's PDF opens and names him, the provider and the days
    pdf = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.body()).split())
    assert "Jonah Smithers" in text
    assert f"from {today:%m/%d/%Y} through {through:%m/%d/%Y}" in text
    assert f"return to work on {through + dt.timedelta(days=1):%m/%d/%Y}" in text
    assert "Electronically signed by Maya Okafor, MD" in text

    # When he is checked out
    page.get_by_role("button", name="Check out", exact=True).click()
    expect(page.locator("#visit-status")).to_have_text("Checked out")

    # Then the visit has its whole timeline, the follow-up is booked in the right week
    visit.refresh_from_db()
    assert visit.status == "checked_out"
    steps = page.locator(".desk-timeline li.is-done")
    expect(steps).to_have_count(6)
    request = FollowUpRequest.objects.get()
    booked = request.booked_appointment
    assert booked.patient_id == jonah.pk
    assert booked.provider_id == doctor.pk
    booked_day = booked.starts_at.astimezone(zone).date()
    assert landing.week_starts <= booked_day <= landing.week_ends
    note = ExcuseNote.objects.get()
    assert (note.patient_id, note.excused_from, note.excused_through) == (jonah.pk, today, through)
    assert problems == []


def test_the_desk_camera_captures_the_insurance_card(
    watch, chromium, live_server, transactional_db
):
    """The webcam path of the checklist, with Chromium's fake camera standing in for the desk's."""
    from playwright.sync_api import expect

    from medoffice.accounts.tests.factories import PASSWORD
    from medoffice.frontdesk.models import CardImage
    from medoffice.frontdesk.tests.factories import make_desk

    desk = make_desk()
    visit = desk.appointment(hour=9)
    desk.checked_in(visit)
    fake_camera = [
        *LAUNCH_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
    ]
    # a second browser of the session's Playwright, launched with Chromium's fake camera
    browser = chromium.browser_type.launch(executable_path=str(CHROMIUM), args=fake_camera)
    try:
        context = browser.new_context()
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "desk")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/desk/visits/{visit.pk}/")
        front = page.locator("#check-insurance_front")
        front.get_by_role("button", name="Use desk camera").click()
        expect(front.locator("video")).to_be_visible()
        expect(front.locator("video")).not_to_have_js_property("videoWidth", 0)
        front.get_by_role("button", name="Take picture").click()
        expect(front.get_by_role("link", name="View")).to_be_visible()
        image = CardImage.objects.get()
        assert (image.kind, image.source) == ("insurance_front", "webcam")
        assert image.width > 0
        assert problems == []
    finally:
        browser.close()
