from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from medoffice.accounts.models import User


def make_user(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username=username, password="x-Synthetic-pass-1")
    user.first_name, user.last_name = "Pat", "Example"
    user.save()
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def api_user(db: None) -> User:
    return make_user("api-user", "use_api")


@pytest.fixture
def plain_user(db: None) -> User:
    return make_user("plain-user")
