"""Manager pages: the desk settings (thresholds, screen mode) and the wait-time report."""

from __future__ import annotations

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.frontdesk import desk_settings, services
from medoffice.frontdesk.models import DeskSettings
from medoffice.frontdesk.tests.factories import make_desk
from medoffice.scheduling.choices import AppointmentStatus as S

pytestmark = pytest.mark.django_db


def _manager() -> Client:
    client = Client()
    client.force_login(make_user("boss", roles=(Role.MANAGER,)))
    return client


def test_the_manager_sets_the_thresholds_and_the_board_uses_them():
    desk = make_desk()
    response = _manager().post(
        "/desk/settings/",
        {"location": desk.place.pk, "action": "save", "wait_warning_minutes": "5",
         "wait_alert_minutes": "8", "late_after_minutes": "0", "display_mode": "ticket"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = desk_settings.settings_for(desk.place)
    assert (saved.wait_warning_minutes, saved.wait_alert_minutes, saved.display_mode) == (
        5, 8, "ticket",
    )  # fmt: skip
    desk.checked_in(desk.appointment(hour=8), minutes_ago=7)
    rows = desk.client().get(f"/desk/board/rows/?location={desk.place.pk}").content.decode()
    assert 'data-wait-level="warning"' in rows


def test_red_before_amber_is_refused_and_nothing_is_saved():
    desk = make_desk()
    response = _manager().post(
        "/desk/settings/",
        {"location": desk.place.pk, "action": "save", "wait_warning_minutes": "30",
         "wait_alert_minutes": "10", "late_after_minutes": "5", "display_mode": "ticket"},
    )  # fmt: skip
    assert "Red must come at or after amber" in response.content.decode()
    assert DeskSettings.objects.count() == 0


def test_the_wait_report_page_shows_minutes_per_provider_and_day():
    desk = make_desk()
    appointment = desk.appointment(hour=8)
    check_in = desk.checked_in(appointment, minutes_ago=30)
    services.move_visit(check_in, S.ROOMED, acting_user=desk.user)
    services.move_visit(check_in, S.WITH_PROVIDER, acting_user=desk.user)
    page = _manager().get(f"/desk/reports/waits/?location={desk.place.pk}").content.decode()
    assert "Maya Okafor, MD" in page
    assert "30.0" in page
    assert "Smithers" not in page  # no patient is named
    assert desk.client().get("/desk/reports/waits/").status_code == 403
