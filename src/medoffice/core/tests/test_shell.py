"""The staff shell: Today page, navigation, base layout, error pages."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import NoReverseMatch, reverse

from medoffice.core.navigation import NAVIGATION, navigation_for
from medoffice.core.tests.factories import sign_in, staff_user

pytestmark = pytest.mark.django_db


def _resolves(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def _nav_labels(html: str) -> list[str]:
    nav = html.split('<nav class="sidenav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<span class="nav-label">([^<]+)</span>', nav)


def test_home_redirects_anonymous_to_sign_in(client: Client) -> None:
    # when
    response = client.get(reverse("core:home"))
    # then
    assert response.status_code == 302
    assert "next=/" in response["Location"]


def test_home_greets_user_with_roles(client: Client) -> None:
    # given
    user = staff_user(roles=("Front desk",), display_name="Robin Sample")
    sign_in(client, user)
    # when
    response = client.get(reverse("core:home"))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hello, Robin Sample" in body
    assert '<span class="badge">Front desk</span>' in body
    assert 'aria-current="page"' in body


def test_user_without_rights_sees_today_only(client: Client) -> None:
    # given
    user = staff_user()
    # when
    items = navigation_for(user)
    sign_in(client, user)
    body = client.get(reverse("core:home")).content.decode()
    # then
    visible_to_all = [i.label for i in NAVIGATION if i.permission is None and _resolves(i.url_name)]
    assert [item["label"] for item in items] == visible_to_all
    assert _nav_labels(body) == visible_to_all
    assert "Audit" not in _nav_labels(body)
    assert visible_to_all[0] == "Today"


def test_audit_right_adds_audit_when_installed(client: Client) -> None:
    # given
    user = staff_user("accounts.view_audit_report")
    # when
    labels = [item["label"] for item in navigation_for(user)]
    # then
    expected = [
        i.label
        for i in NAVIGATION
        if i.permission in (None, "accounts.view_audit_report") and _resolves(i.url_name)
    ]
    assert labels == expected
    assert ("Audit" in labels) is _resolves("audit:report")
    assert "Practice" not in labels


def test_anonymous_user_gets_no_navigation() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert navigation_for(AnonymousUser()) == []


def test_pages_carry_no_inline_script_or_style(client: Client) -> None:
    # given
    sign_in(client, staff_user("patients.view_patient", roles=("Manager",)))
    # when
    body = client.get(reverse("core:home")).content.decode()
    # then
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == []
    assert "style=" not in body
    assert "<style" not in body
    assert 'id="global-search"' in body
    assert 'href="#main"' in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_signed_in_body_carries_idle_settings(client: Client) -> None:
    # given
    sign_in(client, staff_user())
    # when
    body = client.get(reverse("core:home")).content.decode()
    # then
    assert 'data-idle-minutes="15"' in body
    assert 'data-idle-warning-seconds="60"' in body
    assert "accounts/idle.js" in body


def test_responses_are_never_cached(client: Client) -> None:
    # given
    sign_in(client, staff_user())
    # when
    response = client.get(reverse("core:home"))
    # then
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "That request could not be understood"),
        ("403.html", "Your role does not include this page"),
        ("404.html", "This page does not exist"),
        ("500.html", "Something went wrong on our side"),
    ],
)
def test_error_pages_render_without_request(template: str, heading: str) -> None:
    # when
    html = render_to_string(template)
    # then
    assert heading in html
    assert "<script" not in html
    assert "style=" not in html


def test_404_page_does_not_echo_the_path(client: Client) -> None:
    # given
    sign_in(client, staff_user())
    # when
    response = client.get("/no-such-page-SMITH-JOHN/")
    # then
    assert response.status_code == 404
    assert "SMITH-JOHN" not in response.content.decode()


def test_sign_in_layout_states_authorized_use_only() -> None:
    # when
    html = render_to_string("auth_base.html")
    # then
    assert "Authorized use only. Activity is logged." in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "style=" not in html


def test_superuser_without_groups_is_not_warned(client: Client) -> None:
    # given
    sign_in(client, staff_user(is_superuser=True))
    # when
    body = client.get(reverse("core:home")).content.decode()
    # then
    assert '<span class="badge badge-danger">Superuser</span>' in body
    assert "Your login has no role yet" not in body
