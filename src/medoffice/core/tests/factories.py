"""Factories for the shell tests (synthetic staff only)."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"desk{n}")
    first_name = "Robin"
    last_name = factory.Sequence(lambda n: f"Sample{n}")
    display_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")


def staff_user(*codenames: str, roles: tuple[str, ...] = (), **fields: Any) -> Any:
    """A staff login holding the given ``app.codename`` permissions and named groups."""
    user = StaffUserFactory(**fields)
    for full in codenames:
        app_label, codename = full.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def sign_in(client: Client, user: Any) -> None:
    """Sign in with a confirmed second factor, as the MFA requirement expects."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
