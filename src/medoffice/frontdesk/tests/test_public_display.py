"""The waiting-room screen: no login, a secret revocable address, and never a full name."""

from __future__ import annotations

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.frontdesk import desk_settings
from medoffice.frontdesk.choices import DisplayMode
from medoffice.frontdesk.models import DeskSettings
from medoffice.frontdesk.tests.factories import make_desk
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

PATIENTS = [
    ("Jonah", "Smithers", ""),
    ("Maria", "de la Cruz", ""),
    ("Alexander", "Okonkwo-Hale", "Sandy"),
]


def _waiting_room():
    desk = make_desk()
    for n, (first, last, preferred) in enumerate(PATIENTS):
        patient = make_patient(first_name=first, last_name=last, preferred_name=preferred)
        desk.checked_in(desk.appointment(patient, hour=8, minute=20 * n), minutes_ago=5 + n)
    token = desk_settings.create_display_token(desk.place, acting_user=desk.user)
    return desk, token


def _screen(token: str) -> tuple[int, str]:
    client = Client()  # nobody signed in
    page = client.get(f"/desk/display/{token}/")
    rows = client.get(f"/desk/display/{token}/rows/")
    return page.status_code, page.content.decode() + rows.content.decode()


def test_the_screen_shows_first_name_and_last_initial_and_never_a_last_name():
    _, token = _waiting_room()
    status, html = _screen(token)
    assert status == 200
    assert "Jonah S." in html
    assert "Maria D." in html
    assert "Sandy O." in html
    for _, last, _ in PATIENTS:
        assert last not in html
        assert last.split(" ")[-1] not in html
    assert "Alexander" not in html  # the preferred name is shown instead of the legal one
    assert "MRN" not in html
    assert "Okafor" not in html  # nor anything else about the visit


def test_in_ticket_mode_the_screen_shows_only_numbers():
    desk, token = _waiting_room()
    desk_settings.update_settings(
        desk.place, acting_user=desk.user, wait_warning_minutes=20, wait_alert_minutes=35,
        late_after_minutes=10, display_mode=DisplayMode.TICKET,
    )  # fmt: skip
    status, html = _screen(token)
    assert status == 200
    assert "A-1" in html
    assert "A-2" in html
    assert "A-3" in html
    for first, last, preferred in PATIENTS:
        assert first not in html
        assert last not in html
        assert not preferred or preferred not in html


def test_a_replaced_or_revoked_address_stops_working():
    desk, token = _waiting_room()
    new = desk_settings.create_display_token(desk.place, acting_user=desk.user)
    assert _screen(token)[0] == 404
    assert _screen(new)[0] == 200
    desk_settings.revoke_display_token(desk.place, acting_user=desk.user)
    assert _screen(new)[0] == 404
    assert _screen("x")[0] == 404


def test_only_the_token_digest_is_stored():
    desk, token = _waiting_room()
    stored = DeskSettings.objects.get(location=desk.place)
    assert token not in (stored.display_token_hash, stored.display_token_prefix)
    assert stored.display_token_prefix == token[:6]


def test_the_manager_makes_the_screen_address_on_the_settings_page():
    desk = make_desk()
    manager = make_user("boss", roles=(Role.MANAGER,))
    client = Client()
    client.force_login(manager)
    response = client.post("/desk/settings/", {"location": desk.place.pk, "action": "new_screen"})
    html = response.content.decode()
    assert "/desk/display/" in html
    url = html.split('<code id="screen-url">')[1].split("</code>")[0]
    assert Client().get(url).status_code == 200
    # the desk itself may not change settings
    assert desk.client().get("/desk/settings/").status_code == 403
