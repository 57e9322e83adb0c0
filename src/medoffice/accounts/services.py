"""Every write about staff accounts goes through these functions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from medoffice.accounts import roles
from medoffice.accounts.choices import Role
from medoffice.accounts.models import ApiToken, EmergencyAccess, RolePolicy, User
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record

EMERGENCY_MINUTES = 60
EMERGENCY_REASON_MIN = 15
TOKEN_TOUCH_SECONDS = 60


def sync_roles() -> None:
    """Create or update the five role groups with their permission sets."""
    roles.sync_roles()


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    roles: Iterable[str] = (),
    acting_user: User | None = None,
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.is_staff = Role.ADMIN in {Role(r) for r in roles}
    user.save()
    groups = [Group.objects.get_or_create(name=Role(r).label)[0] for r in roles]
    user.groups.set(groups)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=user,
        fields=["username", "first_name", "last_name", "email", "groups"],
    )
    return user


@transaction.atomic
def create_staff_user_checked(*, password: str, acting_user: User | None, **kwargs: object) -> User:
    """create_staff_user after AUTH_PASSWORD_VALIDATORS pass (else ValidationError)."""
    probe = User(username=str(kwargs.get("username", "")))
    validate_password(password, probe)
    if User.objects.filter(username=kwargs.get("username")).exists():
        raise ValidationError("That user name is taken.")
    return create_staff_user(password=password, acting_user=acting_user, **kwargs)  # type: ignore[arg-type]


@transaction.atomic
def deactivate_user(*, user: User, acting_user: User | None) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(AuditAction.UPDATE, actor=acting_user, target=user, fields=["is_active"])


@transaction.atomic
def reset_mfa(*, user: User, acting_user: User | None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    record(AuditAction.SECURITY, actor=acting_user, target=user, fields=["otp_devices"])


def role_requires_mfa(user: User) -> bool:
    return RolePolicy.objects.filter(group__user=user, mfa_required=True).exists()


@transaction.atomic
def set_role_mfa(*, group: Group, required: bool, acting_user: User | None) -> RolePolicy:
    policy, _ = RolePolicy.objects.get_or_create(group=group)
    policy.mfa_required = required
    policy.save()
    record(
        AuditAction.SECURITY,
        actor=acting_user,
        target=policy,
        fields=["mfa_required"],
        detail={"role": group.name, "mfa_required": required},
    )
    return policy


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, acting_user: User) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        AuditAction.MFA_ENROLLED,
        actor=acting_user,
        target_type="otp_totp.totpdevice",
        target_id=device.pk,
    )


def record_mfa_failure(*, user: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        record(AuditAction.MFA_FAILED, actor=user, target=user, outcome="failure", request=request)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str, acting_user: User | None) -> tuple[ApiToken, str]:
    """Return the token and its raw value, which is shown once and never stored."""
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw = f"mo_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, token_hash=_hash(raw))
    record(AuditAction.TOKEN_CREATED, actor=acting_user, target=token, detail={"prefix": prefix})
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, acting_user: User | None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    record(
        AuditAction.TOKEN_REVOKED, actor=acting_user, target=token, detail={"prefix": token.prefix}
    )


def authenticate_token(raw_token: str) -> User | None:
    """Return the active user owning this API token, or None."""
    parts = (raw_token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "mo":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.token_hash, _hash(raw_token)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(
        seconds=TOKEN_TOUCH_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def grant_emergency_access(
    *,
    user: User,
    target_type: str,
    target_id: str | int,
    patient_id: int | None,
    reason: str,
    request: HttpRequest | None = None,
) -> EmergencyAccess:
    """Open one record for an hour; the reason must say why (at least 15 characters)."""
    reason = (reason or "").strip()
    if len(reason) < EMERGENCY_REASON_MIN:
        raise ValidationError(
            f"Give a reason of at least {EMERGENCY_REASON_MIN} characters.", code="reason"
        )
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        user=user,
        reason=reason,
        target_type=target_type,
        target_id=str(target_id),
        patient_id=patient_id,
        granted_at=now,
        expires_at=now + timedelta(minutes=EMERGENCY_MINUTES),
    )
    record(
        AuditAction.EMERGENCY_ACCESS,
        actor=user,
        target_type=target_type,
        target_id=target_id,
        patient_id=patient_id,
        detail={"grant_id": grant.pk},
        request=request,
    )
    return grant


def has_emergency_grant(*, user: User, target_type: str, target_id: str | int) -> bool:
    return EmergencyAccess.objects.filter(
        user=user,
        target_type=target_type,
        target_id=str(target_id),
        expires_at__gt=timezone.now(),
    ).exists()


@transaction.atomic
def review_emergency_access(*, grant: EmergencyAccess, note: str, acting_user: User) -> None:
    grant.reviewed_by = acting_user
    grant.reviewed_at = timezone.now()
    grant.review_note = note
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=grant,
        fields=["reviewed_by", "reviewed_at", "review_note"],
    )
