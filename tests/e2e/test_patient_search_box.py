"""The header's search box is a keyboard combobox: arrows choose, Escape closes, Enter opens."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser]


def test_the_header_box_is_a_keyboard_combobox(page, live_server, transactional_db):
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.patients.tests.factories import make_patient

    # given two patients sharing a phone, and a front-desk login
    anna = make_patient(
        last_name="Smith",
        first_name="Anna",
        birth_date=dt.date(1988, 2, 1),
        phones=[{"kind": "home", "number": "(555) 201-7788"}],
    )
    jonah = make_patient(
        last_name="Smith",
        first_name="Jonah",
        birth_date=dt.date(2022, 3, 14),
        phones=[{"kind": "mobile", "number": "(555) 201-7788"}],
    )
    make_user("desk", roles=(Role.FRONT_DESK,))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    box = page.locator("#global-search")
    options = page.locator("#global-search-results [role=option]")

    # when the desk types a phone number, the dropdown lists both, the first chosen
    page.keyboard.press("/")
    expect(box).to_be_focused()
    box.fill("555-201-7788")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "global-search-option-0")

    # arrows move the choice (and wrap), Escape closes
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(page.locator("#global-search-results")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    # then Enter opens the chosen patient
    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(f"{live_server.url}/patients/{jonah.pk}/")

    # and Enter before any result arrived lets the server open the only match
    page.goto(f"{live_server.url}/")
    page.locator("#global-search").fill("smith an")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/patients/{anna.pk}/")
