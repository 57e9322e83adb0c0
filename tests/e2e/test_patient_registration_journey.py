"""The desk's patient journey in a real browser: register (warned about a near-duplicate), find the
new patient by phone from the global search box, and see the alert banner on the record."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser]

PASSWORD = "Correct-horse-battery-staple-42"
SIGN_IN = re.compile(r"/accounts/login")
PATIENT_PAGE = re.compile(r"/patients/([0-9]+)/$")


def _front_desk_login() -> None:
    from medoffice.accounts.choices import Role
    from medoffice.accounts.services import create_staff_user, sync_roles

    sync_roles()
    create_staff_user(
        username="desk.patients",
        password=PASSWORD,
        first_name="Rosa",
        last_name="Delgado",
        roles=[Role.FRONT_DESK],
    )


def _sign_in(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_url(SIGN_IN)
    page.locator('input[name="username"]').fill("desk.patients")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(base_url + reverse("core:home"))


def _watch_for_page_errors(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    return problems


def test_register_with_duplicate_warning_then_find_by_phone_and_see_the_banner(
    page, live_server, transactional_db
):
    from medoffice.patients.models import Patient
    from medoffice.patients.tests.factories import make_patient

    # Given Jon Smith, registered before, and a front-desk login
    existing = make_patient(
        last_name="Smith",
        first_name="Jon",
        birth_date=dt.date(2022, 3, 14),
        sex="male",
        phones=[{"kind": "home", "number": "(555) 201-7700"}],
    )
    _front_desk_login()
    problems = _watch_for_page_errors(page)
    _sign_in(page, live_server.url)

    # When the desk registers Jonah Smith, born the same day, who needs a Spanish interpreter
    page.get_by_role("navigation").get_by_role("link", name="Register patient").click()
    page.wait_for_url(live_server.url + reverse("patients:register"))
    page.locator("#id_last_name").fill("Smith")
    page.locator("#id_first_name").fill("Jonah")
    page.locator("#id_birth_date").fill("2022-03-14")
    page.locator("#id_birth_date").dispatch_event("change")
    page.locator("#id_sex").select_option("male")
    page.locator("#id_phones-0-number").fill("(555) 201-7788")
    page.locator("#id_preferred_language").select_option("es")
    page.locator("#id_interpreter_needed").check()

    # Then the near-duplicate is shown before saving, and saving waits for the desk to confirm
    panel = page.locator("#duplicates-panel")
    panel.get_by_text(existing.mrn).wait_for()
    assert "Same date of birth" in panel.inner_text()
    page.locator("button.btn-primary[name=save]").click()
    assert page.url.endswith(reverse("patients:register"))
    assert Patient.objects.filter(first_name="Jonah").count() == 0
    page.locator("[data-dup-confirm]").check()
    page.locator("button.btn-primary[name=save]").click()
    page.wait_for_url(PATIENT_PAGE)
    jonah = Patient.objects.get(first_name="Jonah", last_name="Smith")
    assert jonah.phones.get().number == "+15552017788"

    # When the desk later looks the patient up by phone from the header's search box
    page.goto(live_server.url + reverse("core:home"))
    page.keyboard.press("/")
    page.locator("#global-search").fill("(555) 201-7788")
    options = page.locator("#global-search-results [role=option]")
    options.first.wait_for()
    assert options.count() == 1
    assert "Smith, Jonah" in options.first.inner_text()
    page.locator("#global-search").press("Enter")

    # Then Enter opens the record, with the interpreter alert in the banner
    page.wait_for_url(live_server.url + reverse("patients:detail", args=[jonah.pk]))
    banner = page.locator(".patient-banner")
    assert "Smith, Jonah" in banner.inner_text()
    assert "Spanish interpreter needed" in banner.inner_text()
    assert problems == [], problems
