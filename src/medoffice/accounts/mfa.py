"""Which second-factor step a signed-in user must go through."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from medoffice.accounts.services import role_requires_mfa


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))


def mfa_step_url(user: Any) -> str | None:
    """The MFA step if the user has a device, enrollment if their role needs one, else None."""
    if confirmed_devices(user):
        return reverse("accounts:mfa")
    if role_requires_mfa(user):
        return reverse("accounts:mfa_setup")
    return None
