"""Synthetic staff logins for the accounts tests."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from medoffice.accounts import services
from medoffice.accounts.models import User

PASSWORD = "Sample-Pass-2026!"


class StaffUserFactory(factory.django.DjangoModelFactory):
    """A staff login without roles; every context's tests build logins from this one."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Robin"
    last_name = factory.Sequence(lambda n: f"Sample{n}")
    display_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    password = factory.django.Password(PASSWORD)


def grant(user: User, codename: str) -> User:
    """Give ``user`` one ``app.codename`` permission; returns a fresh instance (no stale cache)."""
    app_label, name = codename.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=name)
    )
    return User.objects.get(pk=user.pk)


def staff_user(*codenames: str, roles: tuple[str, ...] = (), **fields: Any) -> User:
    """A staff login holding the given ``app.codename`` permissions and named groups."""
    user = StaffUserFactory(**fields)
    for codename in codenames:
        grant(user, codename)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return User.objects.get(pk=user.pk)


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
