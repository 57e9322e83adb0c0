"""Every write about staff accounts goes through these functions.

The accounts work replaces the bodies; the signatures are the contract other contexts use.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from medoffice.accounts.choices import Role
from medoffice.accounts.models import User


def sync_roles() -> None:
    """Create or update the five role groups with their permission sets."""
    for role in Role:
        Group.objects.get_or_create(name=role.label)


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
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    groups = [Group.objects.get_or_create(name=Role(r).label)[0] for r in roles]
    user.groups.set(groups)
    return user


def authenticate_token(raw_token: str) -> User | None:
    """Return the active user owning this API token, or None."""
    return None
