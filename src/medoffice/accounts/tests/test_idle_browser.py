"""Browser check of the idle warning dialog (skipped without /usr/bin/chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import PASSWORD, make_user

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.mark.django_db(transaction=True)
def test_idle_dialog_warns_and_stay_signed_in_keeps_session(live_server, settings):
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    settings.MEDOFFICE_IDLE_MINUTES = 0.5
    settings.MEDOFFICE_IDLE_WARNING_SECONDS = 25  # the dialog shows 5 s after load
    make_user("desk", roles=(Role.FRONT_DESK,))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", "desk")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
            dialog = page.get_by_role("dialog")
            dialog.wait_for(state="visible")
            with page.expect_response("**/accounts/keepalive/") as resp:
                page.get_by_role("button", name="Stay signed in").click()
            assert resp.value.status == 200
            dialog.wait_for(state="hidden")
        finally:
            browser.close()
