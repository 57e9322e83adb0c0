"""Factories for the shell tests (synthetic staff only)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from medoffice.accounts.tests.factories import staff_user

__all__ = ["sign_in", "staff_user"]


def sign_in(client: Client, user: Any) -> None:
    """Sign in with a confirmed second factor, as the MFA requirement expects."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
