"""Staff logins and clients for the intake view and API tests."""

from __future__ import annotations

from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.accounts.models import User
from medoffice.accounts.tests.factories import make_user


def desk_user(username: str = "desk") -> User:
    return make_user(username, roles=(Role.FRONT_DESK,))


def manager_user(username: str = "manager") -> User:
    return make_user(username, roles=(Role.MANAGER,))


def billing_user(username: str = "biller") -> User:
    return make_user(username, roles=(Role.BILLING,))


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
