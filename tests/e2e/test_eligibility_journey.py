"""Eligibility from check-in in a real browser: the desk checks in a scheduled patient, presses
"Check eligibility", and the payer simulator (real CAQH CORE client path on loopback) answers;
the benefits card shows the copay and the deductible left, and the estimate for the visit shows
what she will owe. A second patient whose member ID the payer does not know gets the reason in
plain words. The pages must raise no script, console or CSP error.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def simulator() -> Any:
    from medoffice.payer_sim import load_config, start_simulator

    running = start_simulator(load_config())
    yield running
    running.stop()


def test_check_eligibility_at_check_in_shows_copay_and_estimate(
    watch, page, live_server, transactional_db, simulator
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import PASSWORD, make_user
    from medoffice.core.identifiers import make_npi
    from medoffice.insurance.models import AllowedAmount, EligibilityCheck, PlannedService
    from medoffice.insurance.tests.factories import (
        make_clearinghouse,
        make_coverage,
        make_payer,
        make_plan,
    )
    from medoffice.patients.tests.factories import make_patient
    from medoffice.practice.models import Practice
    from medoffice.scheduling.services import book_appointment
    from medoffice.scheduling.tests import factories as f

    # Given a practice whose clearinghouse is the payer simulator, and Ana booked today at 9:00
    Practice.objects.create(name="Lakeside Family Medicine", group_npi=make_npi("123456789"))
    place = f.location(name="North", time_zone="America/New_York")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor", credentials="MD")
    f.session(doctor, place, start=dt.time(8), end=dt.time(17), slot_minutes=20)
    visit_type = f.appointment_type(20, name="Follow-up")
    PlannedService.objects.create(appointment_type=visit_type, code="99213")
    house = make_clearinghouse(endpoint_url=simulator.url, retries=0)
    plan = make_plan(make_payer("Lakeshore Blue Cross", "SIMBC1", clearinghouse=house), "Gold PPO")
    AllowedAmount.objects.create(code="99213", plan=plan, amount=Decimal("108.00"))
    ana = make_patient(last_name="Rivera", first_name="Ana", birth_date=dt.date(1982, 3, 14))
    make_coverage(ana, plan, member_id="LBC100200300")
    lost = make_patient(last_name="Doe", first_name="Jamie")
    make_coverage(lost, plan, member_id="LBC999999999")
    desk = make_user("desk", roles=(Role.FRONT_DESK,))
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(place.time_zone)).date()

    def book(patient: Any, hour: int) -> Any:
        return book_appointment(
            acting_user=desk, patient=patient, provider=doctor, location=place,
            appointment_type=visit_type, starts_at=f.local(place, today, hour),
            outside_sessions=True,
        )  # fmt: skip

    visit = book(ana, 9)
    other = book(lost, 10)
    problems = watch(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # When the desk checks Ana in and asks the payer
    page.goto(f"{live_server.url}/desk/")
    page.locator(f"#day-{visit.pk}").get_by_role("button", name="Check in").click()
    money = page.locator("#check-money")
    expect(money).to_contain_text("Lakeshore Blue Cross Gold PPO")
    expect(money).to_contain_text("Eligibility not checked")
    money.get_by_role("button", name="Check eligibility").click()

    # Then the benefits card shows the plan's answer and the estimate what she will owe
    expect(money.locator("[data-eligibility=active]")).to_be_visible()
    expect(money.locator("[data-copay]")).to_have_text("$25.00")
    expect(money.locator("[data-deductible-left]")).to_contain_text("$650.00 left")
    expect(money.locator("[data-estimate]")).to_have_text("$25.00")
    expect(money).to_contain_text("Copay: $25.00")
    check = EligibilityCheck.objects.get(appointment=visit)
    assert (check.status, check.copay) == ("active", Decimal("25.00"))

    # When the next patient's member ID is unknown to the payer
    page.goto(f"{live_server.url}/desk/visits/{other.pk}/")
    page.get_by_role("button", name="Check in").click()
    page.locator("#check-money").get_by_role("button", name="Check eligibility").click()

    # Then the desk reads why, in plain words, and no estimate is invented
    card = page.locator("#check-money [data-eligibility=rejected]")
    expect(card).to_be_visible()
    expect(page.locator("#check-money [data-check-message]")).to_contain_text("member ID")
    expect(page.locator("#check-money [data-estimate]")).to_have_count(0)
    assert problems == []
