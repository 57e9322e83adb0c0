"""Sign-in journeys in a real browser: password, MFA, role-based navigation, idle sign-out."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser]

PASSWORD = "Correct-horse-battery-staple-42"
SIGN_IN = re.compile(r"/accounts/(login|timed[-_]out)")
OTP_INPUT = (
    'input[name="otp_token"], input[name="token"], input[name="code"], '
    'input[autocomplete="one-time-code"]'
)


def _make_user(username: str, role: str) -> Any:
    from medoffice.accounts.services import create_staff_user, sync_roles

    sync_roles()
    return create_staff_user(
        username=username,
        password=PASSWORD,
        first_name="Test",
        last_name=role.title(),
        email=f"{username}@example.test",
        roles=[role],
    )


def _current_code(device: Any) -> str:
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)


def _submit(page: Any) -> None:
    page.locator('form button[type="submit"], form input[type="submit"]').first.click()


def _sign_in_with_password(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_url(SIGN_IN)
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    _submit(page)


def _nav_link(page: Any, name: str) -> Any:
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True)


def test_manager_signs_in_with_mfa_sees_manager_navigation_and_is_signed_out_when_idle(
    page, live_server, transactional_db, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Given a manager with a confirmed authenticator app
    user = _make_user("mgr.e2e", "manager")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    # When they open the app, sign in and enter the current code
    _sign_in_with_password(page, live_server.url, "mgr.e2e")
    page.wait_for_url(re.compile(re.escape(reverse("accounts:mfa"))))
    page.locator(OTP_INPUT).first.fill(_current_code(device))
    _submit(page)

    # Then they land on the home page with the manager's navigation
    page.wait_for_url(live_server.url + reverse("core:home"))
    assert _nav_link(page, "Audit").count() >= 1
    assert _nav_link(page, "Staff logins").count() == 0
    assert _nav_link(page, "Admin").count() == 0

    # When the office's idle limit is a few seconds and they do nothing
    settings.MEDOFFICE_IDLE_MINUTES = 0.05
    settings.MEDOFFICE_IDLE_WARNING_SECONDS = 2
    page.reload()
    try:
        page.wait_for_url(SIGN_IN, timeout=12_000)
    except Exception:  # the page script did not navigate: the next request must redirect
        time.sleep(4)
        page.goto(live_server.url + reverse("core:home"))
        page.wait_for_url(SIGN_IN)

    # Then they are on the sign-in page, told they were signed out
    assert "signed out" in page.content().lower()


def test_front_desk_signs_in_without_mfa_and_is_refused_the_audit_pages(
    page, live_server, transactional_db
):
    # Given a front-desk login (no MFA required for the role)
    _make_user("desk.e2e", "frontdesk")

    # When they sign in
    _sign_in_with_password(page, live_server.url, "desk.e2e")
    page.wait_for_url(live_server.url + reverse("core:home"))

    # Then no Audit link is offered, and the audit pages answer 403
    assert _nav_link(page, "Audit").count() == 0
    response = page.goto(live_server.url + "/audit/")
    assert response is not None
    assert response.status == 403
