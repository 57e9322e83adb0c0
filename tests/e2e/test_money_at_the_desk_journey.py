"""Money at the desk in a real browser: the desk opens its drawer with a $100 float, collects a
$25 copay at check-out split over $10 cash (a $20 bill, $10 change) and $15 by card on the
terminal, prints the receipt (its PDF text is checked), counts the drawer $5 short and explains
it; the manager asks the terminal for its batch, closes the day, and prints the day sheet and
the deposit slip. The pages must raise no script, console or CSP error.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

pytestmark = [pytest.mark.browser]


def _sign_in(page: Any, base: str, username: str) -> None:
    from medoffice.accounts.tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _pdf_text(page: Any, base: str, href: str) -> str:
    from medoffice.core.pdf import pdf_text

    answer = page.request.get(f"{base}{href}")
    assert answer.headers["content-type"] == "application/pdf"
    return " ".join(pdf_text(answer.body()).split())


def test_split_copay_at_check_out_receipt_and_day_closed_with_a_5_dollar_shortage_explained(
    watch, page, live_server, transactional_db, settings, tmp_path
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import make_user
    from medoffice.billing.models import BusinessDay, CashDrawer, Payment
    from medoffice.frontdesk import services as desk
    from medoffice.patients.tests.factories import make_patient
    from medoffice.scheduling.services import book_appointment
    from medoffice.scheduling.tests import factories as f

    settings.MEDOFFICE_CARD_TERMINAL = "simulated"
    settings.MEDOFFICE_CARD_TERMINAL_DIR = tmp_path / "card-terminal"
    # Given Jonah, seen by Dr. Okafor today and with the provider now
    place = f.location(name="North", time_zone="America/New_York")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor", credentials="MD")
    sick = f.appointment_type(20, name="Sick visit")
    jonah = make_patient(first_name="Jonah", last_name="Smithers", birth_date=dt.date(2022, 3, 14))
    desk_user = make_user("desk", roles=(Role.FRONT_DESK,))
    make_user("boss", roles=(Role.MANAGER,))
    today = timezone.localdate()
    visit = book_appointment(
        acting_user=desk_user, patient=jonah, provider=doctor, location=place,
        appointment_type=sick, starts_at=f.local(place, today, 9), outside_sessions=True,
    )  # fmt: skip
    check_in = desk.check_in(visit, acting_user=desk_user)
    desk.move_visit(check_in, "roomed", acting_user=desk_user)
    desk.move_visit(check_in, "with_provider", acting_user=desk_user)
    problems = watch(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    base = live_server.url
    _sign_in(page, base, "desk")

    # When the desk opens its drawer with a $100 float
    page.get_by_role("link", name="Cash drawer").first.click()
    page.get_by_label("Float counted into the drawer").fill("100.00")
    page.get_by_role("button", name="Open drawer").click()
    expect(page.locator("#expected-cash")).to_have_text("$100.00")

    # And collects the $25 copay at check-out: $10 cash from a $20 bill, $15 on the terminal
    page.goto(f"{base}/desk/visits/{visit.pk}/")
    checkout = page.locator("#checkout")
    expect(checkout.locator("[data-patient-owes]")).to_have_text("$0.00")
    checkout.get_by_role("link", name="Collect payment").click()
    page.select_option("#id_purpose", "copay")
    page.fill("#id_cash_amount", "10.00")
    page.fill("#id_cash_received", "20.00")
    page.fill("#id_card_amount", "15.00")
    page.locator("input[name=card_mode][value=terminal]").check()
    page.get_by_role("button", name="Take payment").click()

    # Then the change due is shown and the receipt prints with both tenders and the balance
    expect(page.locator("[data-change-given]")).to_have_text("$10.00")
    payment = Payment.objects.get()
    assert payment.amount == Decimal("25.00")
    assert sorted(t.method for t in payment.tenders.all()) == ["card", "cash"]
    receipt = page.get_by_role("link", name=re.compile("Receipt PDF|Print receipt"))
    text = _pdf_text(page, base, receipt.first.get_attribute("href"))
    assert payment.receipt_number in text
    assert "Jonah Smithers" in text
    assert "$25.00" in text
    assert "received $20.00" in text
    assert "change $10.00" in text
    assert re.search(r"ending \d{4}", text)
    assert "Pending with insurance" in text

    # When the desk counts the drawer at day's end: $105 where $110 was expected
    page.get_by_role("link", name="Cash drawer").first.click()
    expect(page.locator("#expected-cash")).to_have_text("$110.00")
    page.fill("#d_100", "1")
    page.fill("#d_5", "1")
    page.fill("#checks_total", "0")
    page.fill("#check_count", "0")
    page.get_by_role("button", name="Check the total").click()
    expect(page.locator("#count-total")).to_contain_text("over/short $-5.00")
    # Then saving without a reason is refused, and with one it is taken
    page.get_by_role("button", name="Save the count").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert CashDrawer.objects.get().status == "open"
    assert problems == [
        f"400: {base}/billing/drawer/",
        "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]  # the refusal answers 400, as refused forms do
    problems.clear()
    page.get_by_label("Why the count differs (required)").fill("Change given wrongly")
    page.get_by_role("button", name="Save the count").click()
    expect(page.locator("#expected").locator("xpath=..")).to_contain_text("Change given wrongly")
    drawer = CashDrawer.objects.get()
    assert drawer.status == "counted"
    assert drawer.cash_over_short == Decimal("-5.00")

    # When the manager asks the terminal for its batch and closes the day
    _sign_in(page, base, "boss")
    page.goto(f"{base}/billing/days/{today.isoformat()}/")
    page.get_by_role("button", name="Ask the terminal").click()
    expect(page.locator("#card-difference")).to_have_text("$0.00")
    expect(page.locator("#ready")).to_be_visible()
    page.get_by_role("button", name="Close the day").click()

    # Then the day is closed with the shortage explained on the day sheet and the deposit slip
    expect(page.get_by_role("heading", name="Closed", exact=True)).to_be_visible()
    assert BusinessDay.objects.get(date=today).status == "closed"
    sheet = _pdf_text(page, base, f"/billing/days/{today.isoformat()}/day-sheet.pdf")
    assert "Change given wrongly" in sheet
    assert "$25.00" in sheet
    slip = _pdf_text(page, base, f"/billing/days/{today.isoformat()}/deposit-slip.pdf")
    assert "$5.00" in slip
    assert problems == [], problems
