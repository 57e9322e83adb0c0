from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from medoffice.accounts.choices import Role
from medoffice.accounts.middleware import LAST_ACTIVITY_KEY
from medoffice.accounts.tests.factories import add_device, current_code, login, make_user
from medoffice.audit.choices import AuditAction
from medoffice.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_lockout_after_failure_limit_refuses_even_right_password(client):
    # given a login
    make_user("desk")
    # when the wrong password is tried AXES_FAILURE_LIMIT times
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "desk", "wrong-password")
    # then even the right password is refused with the locked-out page
    response = login(client, "desk")
    assert response.status_code == 429
    assert b"Sign-in locked" in response.content
    assert "_auth_user_id" not in client.session


def test_plain_login_without_mfa_reaches_home(client):
    make_user("desk", roles=(Role.FRONT_DESK,))
    response = login(client, "desk")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_session_key_changes_at_login(client):
    make_user("desk")
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.session.session_key
    login(client, "desk")
    assert client.session.session_key != before


def test_user_with_device_must_enter_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a failure
    # given a user with a confirmed authenticator
    user = make_user("desk", roles=(Role.FRONT_DESK,))
    device = add_device(user)
    # when they sign in with the password only
    response = login(client, "desk")
    assert response["Location"].startswith(reverse("accounts:mfa"))
    # then the home page sends them back to the code step
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:mfa"))
    # a wrong code is refused and recorded
    wrong = "000000" if current_code(device) != "000000" else "111111"
    refused = client.post(reverse("accounts:mfa"), {"code": wrong})
    assert refused.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.MFA_FAILED, actor=user).count() == 1
    assert client.get(reverse("core:home")).status_code == 302
    # the right code lets them in
    ok = client.post(reverse("accounts:mfa"), {"code": current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_admin_role_is_forced_to_enroll(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("boss", roles=(Role.ADMIN,))
    response = login(client, "boss")
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:mfa_setup"))
    page = client.get(reverse("accounts:mfa_setup"))
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:mfa_setup"), {"code": current_code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert AuditEntry.objects.filter(action=AuditAction.MFA_ENROLLED, actor=user).count() == 1
    assert client.get(reverse("core:home")).status_code == 200


def test_idle_session_is_signed_out(client, settings):
    settings.MEDOFFICE_IDLE_MINUTES = 0.5
    make_user("desk")
    login(client, "desk")
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = session[LAST_ACTIVITY_KEY] - 31
    session.save()
    response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert b"You were signed out after 0.5 minutes without activity." in response.content


def test_background_request_does_not_count_as_activity(client):
    make_user("desk")
    login(client, "desk")
    client.get(reverse("core:home"))
    session = client.session
    session[LAST_ACTIVITY_KEY] = session[LAST_ACTIVITY_KEY] - 10
    session.save()
    stamp = client.session[LAST_ACTIVITY_KEY]
    client.get(reverse("core:home"), headers={"X-Medoffice-Background": "1"})
    assert client.session[LAST_ACTIVITY_KEY] == stamp
    client.post(reverse("accounts:keepalive"))
    assert client.session[LAST_ACTIVITY_KEY] > stamp


def test_logout_requires_post(client):
    make_user("desk")
    login(client, "desk")
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
