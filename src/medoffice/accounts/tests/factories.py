"""Synthetic staff logins for the accounts tests."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from medoffice.accounts import services
from medoffice.accounts.models import User

PASSWORD = "Sample-Pass-2026!"


def make_user(username: str = "robin", roles: tuple[str, ...] = ()) -> User:
    services.sync_roles()
    return services.create_staff_user(
        username=username, password=PASSWORD, first_name="Robin", last_name="Sample", roles=roles
    )


def add_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


def login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})
