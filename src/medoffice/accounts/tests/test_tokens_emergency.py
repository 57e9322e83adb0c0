from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from medoffice.accounts import services
from medoffice.accounts.choices import Role
from medoffice.accounts.models import ApiToken, EmergencyAccess, RolePolicy, User
from medoffice.accounts.tests.factories import add_device, make_user
from medoffice.audit.choices import AuditAction
from medoffice.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    device = add_device(user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def test_token_create_authenticate_revoke():
    user = make_user("api", roles=(Role.FRONT_DESK,))
    token, raw = services.create_api_token(user=user, name="lab feed", acting_user=user)
    assert raw.startswith(f"mo_{token.prefix}_")
    assert len(token.prefix) == 8
    assert raw not in token.token_hash
    assert services.authenticate_token(raw) == user
    assert services.authenticate_token(raw + "x") is None
    assert services.authenticate_token("garbage") is None
    services.revoke_api_token(token=token, acting_user=user)
    assert services.authenticate_token(raw) is None
    actions = list(
        AuditEntry.objects.filter(target_type="accounts.apitoken", target_id=str(token.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.TOKEN_CREATED, AuditAction.TOKEN_REVOKED]


def test_token_of_inactive_user_is_refused():
    user = make_user("api")
    _token, raw = services.create_api_token(user=user, name="x", acting_user=None)
    services.deactivate_user(user=user, acting_user=None)
    assert services.authenticate_token(raw) is None


def test_token_command_create_list_revoke():
    make_user("api")
    out = StringIO()
    call_command("token", "create", "api", "--name", "cli", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert services.authenticate_token(raw) is not None
    listing = StringIO()
    call_command("token", "list", "api", stdout=listing)
    assert listing.getvalue() == f"{token.prefix}\tapi\tcli\tactive\n"
    call_command("token", "revoke", token.prefix, stdout=StringIO())
    assert services.authenticate_token(raw) is None


def test_tokens_page_shows_raw_once(client):
    user = make_user("api", roles=(Role.FRONT_DESK,))
    _sign_in(client, user)
    response = client.post(reverse("accounts:tokens"), {"name": "laptop"})
    assert response.status_code == 200
    assert b"mo_" in response.content
    assert ApiToken.objects.filter(user=user, name="laptop").count() == 1
    again = client.get(reverse("accounts:tokens"))
    assert b"mo_" + ApiToken.objects.get().prefix.encode() + b"_" not in again.content


def test_short_reason_grants_nothing():
    user = make_user("nurse", roles=(Role.CLINICAL,))
    with pytest.raises(ValidationError):
        services.grant_emergency_access(
            user=user,
            target_type="patients.patient",
            target_id=7,
            patient_id=7,
            reason="too short",
            request=None,
        )
    assert EmergencyAccess.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.EMERGENCY_ACCESS).count() == 0


@pytest.mark.urls("medoffice.accounts.tests.urls_record_view")
def test_break_the_glass_flow_and_review(client):
    nurse = make_user("nurse", roles=(Role.CLINICAL,))
    _sign_in(client, nurse)
    url = "/test-record/42/"
    # without a grant the break-the-glass form is shown
    form = client.get(url)
    assert form.status_code == 403
    assert b"emergency_reason" in form.content
    # a short reason is refused and grants nothing
    short = client.post(url, {"emergency_reason": "need it"})
    assert b"at least 15 characters" in short.content
    assert EmergencyAccess.objects.count() == 0
    # a proper reason opens the record and is flagged in the audit trail
    opened = client.post(
        url, {"emergency_reason": "Patient collapsed in waiting room"}, follow=True
    )
    assert opened.content == b"record 42"
    entry = AuditEntry.objects.get(action=AuditAction.EMERGENCY_ACCESS)
    assert entry.emergency is True
    assert entry.target_id == "42"
    # a manager reviews it
    manager = make_user("mgr", roles=(Role.MANAGER,))
    client.logout()
    _sign_in(client, manager)
    page = client.get(reverse("accounts:emergency_review"))
    assert b"Patient collapsed" in page.content
    grant = EmergencyAccess.objects.get()
    client.post(reverse("accounts:emergency_review"), {"grant": grant.pk, "note": "Checked."})
    grant.refresh_from_db()
    assert grant.reviewed_by == manager
    assert grant.review_note == "Checked."


@pytest.mark.urls("medoffice.accounts.tests.urls_record_view")
def test_user_without_emergency_right_gets_403(client):
    clerk = make_user("clerk", roles=(Role.BILLING,))
    _sign_in(client, clerk)
    response = client.get("/test-record/1/")
    assert response.status_code == 403
    assert b"emergency_reason" not in response.content


def test_password_validators_refuse_weak_password():
    admin = make_user("admin", roles=(Role.ADMIN,))
    with pytest.raises(ValidationError):
        services.create_staff_user_checked(
            username="weak", password="password1234", roles=[Role.FRONT_DESK], acting_user=admin
        )
    assert not User.objects.filter(username="weak").exists()


def test_users_page_creates_and_deactivates(client):
    admin = make_user("admin", roles=(Role.ADMIN,))
    _sign_in(client, admin)
    client.post(
        reverse("accounts:users"),
        {"username": "newdesk", "password": "Tulip-Harbor-93!", "roles": [Role.FRONT_DESK]},
    )
    new = User.objects.get(username="newdesk")
    assert list(new.groups.values_list("name", flat=True)) == ["Front desk"]
    client.post(reverse("accounts:user_deactivate", args=[new.pk]))
    new.refresh_from_db()
    assert new.is_active is False
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_id=str(new.pk)).get()
    assert entry.fields == ["is_active"]


def test_roles_and_policy():
    services.sync_roles()
    services.sync_roles()  # idempotent
    clinical = Group.objects.get(name="Clinical")
    codenames = set(clinical.permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_practice", "use_api", "emergency_access", "view_patient", "view_appointment",
        "change_appointment", "view_submission", "view_coverage", "view_eligibilitycheck",
        "view_payer", "view_goodfaithestimate", "view_referral", "view_priorauthorization",
    }  # fmt: skip
    admin_policy = RolePolicy.objects.get(group__name="Administrator")
    assert admin_policy.mfa_required is True
    assert RolePolicy.objects.get(group__name="Front desk").mfa_required is False


def test_manager_toggles_mfa_for_role(client):
    manager = make_user("mgr", roles=(Role.MANAGER,))
    _sign_in(client, manager)
    group = Group.objects.get(name="Billing")
    client.post(reverse("accounts:security"), {"group": group.pk, "mfa_required": "1"})
    assert RolePolicy.objects.get(group=group).mfa_required is True
    assert AuditEntry.objects.filter(action=AuditAction.SECURITY, actor=manager).count() == 1


def test_frontdesk_cannot_change_security(client):
    desk = make_user("desk", roles=(Role.FRONT_DESK,))
    _sign_in(client, desk)
    group = Group.objects.get(name="Billing")
    response = client.post(reverse("accounts:security"), {"group": group.pk, "mfa_required": "1"})
    assert response.status_code == 403
    assert RolePolicy.objects.get(group=group).mfa_required is False


def test_reset_mfa_removes_devices_and_is_audited(client):
    admin = make_user("admin", roles=(Role.ADMIN,))
    desk = make_user("desk", roles=(Role.FRONT_DESK,))
    add_device(desk)
    _sign_in(client, admin)
    client.post(reverse("accounts:user_reset_mfa", args=[desk.pk]))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.filter(user=desk).count() == 0
    assert (
        AuditEntry.objects.filter(action=AuditAction.SECURITY, target_id=str(desk.pk)).count() == 1
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/rolepolicy/",
        "/admin/accounts/apitoken/",
        "/admin/accounts/emergencyaccess/",
    ],
)
def test_admin_pages_render(client, url):
    admin = make_user("admin", roles=(Role.ADMIN,))
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    _sign_in(client, User.objects.get(pk=admin.pk))
    assert client.get(url).status_code == 200
