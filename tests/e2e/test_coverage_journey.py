"""The desk puts a patient's insurance on file in a real browser: from the chart to the coverages
page, a Medicare coverage whose mistyped MBI is refused naming the wrong position, then fixed; a
secondary held by the patient's spouse (a patient here too); the card front uploaded; and the
two swapped so the spouse's plan becomes primary. The pages must raise no script, console or
HTTP error.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

pytestmark = [pytest.mark.browser]


def _card_png(tmp_path: Any) -> Any:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 400), (20, 80, 150)).save(out, "PNG")
    path = tmp_path / "card-front.png"
    path.write_bytes(out.getvalue())
    return path


def test_desk_adds_medicare_and_a_spouses_plan_uploads_the_card_and_swaps_the_order(
    watch, page, live_server, transactional_db, tmp_path
):
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.insurance.models import Coverage, CoverageCard
    from medoffice.insurance.tests.factories import make_payer, make_plan
    from medoffice.patients.tests.factories import make_patient

    # Given Medicare and a commercial payer, and Avery whose spouse Jordan is a patient here too
    make_plan(make_payer("Medicare Part B", "MCRB1"), "Original Medicare", "medicare")
    make_plan(make_payer("Beacon Health", "BCN01"), "Gold PPO", "ppo")
    jordan = make_patient(first_name="Jordan", last_name="Quill", birth_date=dt.date(1958, 5, 2))
    avery = make_patient(
        first_name="Avery",
        last_name="Quill",
        birth_date=dt.date(1956, 3, 14),
        guarantor_relationship="spouse",
        guarantor=jordan,
    )
    make_user("desk", roles=(Role.FRONT_DESK,))
    problems = watch(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # When the desk opens Avery's chart and follows "Insurance"
    page.goto(f"{live_server.url}/patients/{avery.pk}/")
    page.get_by_role("link", name="Insurance", exact=True).click()
    expect(page.locator("#active-coverages")).to_contain_text("No active coverage on file")

    # And adds Medicare with a mistyped MBI (an A where the last digit belongs)
    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Plan").select_option(label="Medicare Part B — Original Medicare (Medicare)")
    page.get_by_label("Member ID").fill("1EG4-TE5-MK7A")
    page.get_by_label("Effective date").fill("2026-01-01")
    page.get_by_role("button", name="Save coverage").click()

    # Then the form says which position is wrong, and nothing is saved
    expect(page.locator("#coverage-form")).to_contain_text(
        "The 11th character of the MBI must be a digit; it is the letter A (position 11)."
    )
    assert not Coverage.objects.exists()

    # When it is fixed
    page.get_by_label("Member ID").fill("1EG4-TE5-MK73")
    page.get_by_role("button", name="Save coverage").click()
    medicare = page.locator("#active-coverages article").first
    expect(medicare).to_contain_text("Medicare Part B — Original Medicare")
    expect(medicare.locator(".member-id")).to_have_text("1EG4TE5MK73")

    # And a secondary is added, held by Jordan (the spouse)
    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Plan").select_option(label="Beacon Health — Gold PPO (PPO)")
    expect(page.get_by_label("Order")).to_have_value("2")
    page.get_by_label("Member ID").fill("BCN-55501")
    page.get_by_label("Group number").fill("GRP-77")
    page.get_by_label("Effective date").fill("2026-01-01")
    page.get_by_label("Patient's relationship to the subscriber").select_option(label="Spouse")
    page.get_by_label("Subscriber is a patient here").select_option(value=str(jordan.pk))
    page.get_by_role("button", name="Save coverage").click()
    cards = page.locator("#active-coverages article")
    expect(cards).to_have_count(2)
    expect(cards.nth(1)).to_contain_text("Secondary")
    expect(cards.nth(1)).to_contain_text("Quill, Jordan")

    # And the card front of the Medicare coverage is uploaded
    primary = Coverage.objects.get(order=1)
    front = page.locator(f"#coverage-{primary.pk}-front")
    front.get_by_label("Upload card front").set_input_files(str(_card_png(tmp_path)))
    front.get_by_role("button", name="Save picture").click()
    front = page.locator(f"#coverage-{primary.pk}-front")
    expect(front.locator("img.ins-thumb")).to_be_visible()
    expect(front.locator("img.ins-thumb")).not_to_have_js_property("naturalWidth", 0)

    # And the spouse's plan is moved up to primary
    page.locator("#active-coverages article").nth(1).get_by_role("button", name="Move up").click()

    # Then Beacon is primary and Medicare secondary, with its card still there
    cards = page.locator("#active-coverages article")
    expect(cards.first).to_contain_text("Beacon Health — Gold PPO")
    expect(cards.first).to_contain_text("Primary")
    expect(cards.nth(1)).to_contain_text("Medicare Part B")
    expect(cards.nth(1)).to_contain_text("Secondary")
    orders = {c.plan.payer.name: c.order for c in Coverage.objects.select_related("plan__payer")}
    assert orders == {"Beacon Health": 1, "Medicare Part B": 2}
    spouse_plan = Coverage.objects.get(order=1)
    assert (spouse_plan.relationship, spouse_plan.subscriber_patient_id) == ("01", jordan.pk)
    card = CoverageCard.objects.get()
    assert (card.coverage_id, card.side, card.width) == (primary.pk, "front", 640)
    assert problems == []


def test_the_desk_camera_captures_the_card_back(watch, chromium, live_server, transactional_db):
    """The webcam path, with Chromium's fake camera standing in for the desk's."""
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.insurance.models import CoverageCard
    from medoffice.insurance.tests.factories import make_coverage

    coverage = make_coverage()
    make_user("desk", roles=(Role.FRONT_DESK,))
    fake_camera = [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
    ]
    browser = chromium.browser_type.launch(executable_path="/usr/bin/chromium", args=fake_camera)
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
        page.goto(f"{live_server.url}/insurance/patients/{coverage.patient_id}/coverages/")
        back = page.locator(f"#coverage-{coverage.pk}-back")
        back.get_by_role("button", name="Use desk camera").click()
        expect(back.locator("video")).to_be_visible()
        expect(back.locator("video")).not_to_have_js_property("videoWidth", 0)
        back.get_by_role("button", name="Take picture").click()
        expect(page.locator(f"#coverage-{coverage.pk}-back img.ins-thumb")).to_be_visible()
        card = CoverageCard.objects.get()
        assert (card.side, card.width > 0) == ("back", True)
        assert problems == []
    finally:
        browser.close()
