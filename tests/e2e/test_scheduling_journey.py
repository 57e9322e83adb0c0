"""The front desk's booking journey in a real browser: from the day view, find the first open
slot for a sick visit, book it for the patient on the phone, move it to later that morning,
then cancel it because the patient called back. The database is checked after every step, and
the pages must raise no script, console or CSP error."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser]


def _monday_ahead() -> dt.date:
    from django.utils import timezone

    today = timezone.localdate()
    return today + dt.timedelta(days=14 - today.weekday())


def test_book_from_first_available_then_reschedule_then_cancel(
    watch, page, live_server, transactional_db
):
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.patients.tests.factories import make_patient
    from medoffice.scheduling.models import Appointment
    from medoffice.scheduling.tests import factories as f

    # Given a pediatrician working Monday mornings, a sick-visit type, Jonah, and the desk
    place = f.location(name="North")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor")
    f.session(doctor, place, start=dt.time(8), end=dt.time(12))
    sick = f.appointment_type(20, name="Sick visit", color="#1f7a4d")
    jonah = make_patient(first_name="Jonah", last_name="Smithers", birth_date=dt.date(2022, 3, 14))
    monday = _monday_ahead()
    make_user("desk", roles=(Role.FRONT_DESK,))
    problems = watch(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # When the desk opens that Monday's day view and presses "f" (find a slot)
    page.goto(f"{live_server.url}/schedule/?date={monday}&location={place.pk}")
    expect(page.locator(".cal-board.is-laid-out")).to_be_visible()
    expect(page.locator(".cal-col-head h3")).to_have_text(["Okafor, Maya MD"])
    page.keyboard.press("f")
    panel = page.locator("#calendar-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Find a slot")).to_be_visible()
    expect(panel.get_by_label("Type of visit")).to_be_focused()

    # and searches the first open sick visit from that Monday
    panel.get_by_label("Type of visit").select_option(label="Sick visit")
    panel.get_by_label("From").fill(monday.isoformat())
    panel.get_by_role("button", name="Find the first open slots").click()
    first = panel.locator(".slot-list li").first
    expect(first).to_contain_text("8:00 AM")
    expect(first).to_contain_text("Maya Okafor, MD · North")

    # and books it for Jonah, found by typing his name
    first.get_by_role("link", name=re.compile("^Book")).click()
    expect(panel.get_by_role("heading", name=re.compile(r"^Book .* 8:00 AM$"))).to_be_visible()
    search = panel.get_by_label("Find the patient")
    expect(search).to_be_focused()  # the panel is wired and ready for typing
    search.fill("smithers jo")
    panel.get_by_label(re.compile("^Smithers, Jonah")).check()
    panel.get_by_label("Reason for visit").fill("Fever since yesterday")
    panel.get_by_role("button", name="Book", exact=True).click()
    expect(panel.get_by_role("heading", name="Booked")).to_be_visible()

    # Then Jonah is booked at 8:00 with Dr. Okafor
    appointment = Appointment.objects.get()
    assert (appointment.patient_id, appointment.provider_id, appointment.status) == (
        jonah.pk, doctor.pk, "booked",
    )  # fmt: skip
    assert appointment.starts_at == f.local(place, monday, 8)
    assert (appointment.appointment_type_id, appointment.reason) == (
        sick.pk, "Fever since yesterday",
    )  # fmt: skip

    # and the day view shows his card without reloading the page
    panel.get_by_role("button", name="Done").click()
    expect(panel).to_be_hidden()
    card = page.locator(f"#appt-{appointment.pk}")
    expect(card).to_contain_text("Smithers, Jonah")

    # When the desk opens the card and moves the visit to 10:30
    card.click()
    expect(panel.get_by_role("heading", name="Smithers, Jonah")).to_be_focused()
    panel.get_by_role("link", name="Move to another time").click()
    expect(panel.get_by_role("heading", name="Move Smithers, Jonah")).to_be_focused()
    panel.get_by_label("From").fill(monday.isoformat())
    panel.get_by_label("To").fill(monday.isoformat())
    panel.get_by_role("button", name="Find open slots").click()
    expect(panel.get_by_role("heading", name="Move Smithers, Jonah")).to_be_focused()
    panel.get_by_label(re.compile(r"10:30 AM")).check()
    panel.get_by_label("Why it moves (optional)").fill("Mother's request")
    panel.get_by_role("button", name="Move here").click()
    expect(panel.locator(".panel-notice")).to_contain_text("Moved to")

    # Then the appointment is at 10:30, its history remembers 8:00
    appointment.refresh_from_db()
    assert appointment.starts_at == f.local(place, monday, 10, 30)
    assert appointment.ends_at == f.local(place, monday, 10, 50)
    assert appointment.events.filter(kind="rescheduled").count() == 1
    expect(panel.locator(".history")).to_contain_text("Moved from")

    # When the patient calls back to cancel
    panel.get_by_role("link", name="Cancel appointment").click()
    expect(panel.get_by_role("heading", name="Cancel Smithers, Jonah")).to_be_focused()
    panel.get_by_label("Why is it cancelled?").select_option("patient")
    panel.get_by_role("button", name="Cancel the appointment").click()
    expect(panel.get_by_role("heading", name="Cancelled")).to_be_visible()

    # Then it is cancelled with the reason, and it leaves the day view
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == ("cancelled", "patient")
    panel.get_by_role("button", name="Done").click()
    expect(page.locator(f"#appt-{appointment.pk}")).to_have_count(0)
    assert problems == []
