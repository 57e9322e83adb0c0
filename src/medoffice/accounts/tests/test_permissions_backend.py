"""The one-query permission read gives exactly what Django's ModelBackend gives."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from medoffice.accounts.backends import PermissionsBackend
from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_roles_and_direct_permissions_match_the_stock_backend(django_assert_num_queries):
    user = make_user("robin", roles=(Role.FRONT_DESK, Role.BILLING))
    user.user_permissions.add(Permission.objects.get(codename="view_audit_report"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    found_user = _fresh(user)
    with django_assert_num_queries(1):
        found = PermissionsBackend().get_all_permissions(found_user)
        assert PermissionsBackend().has_perm(found_user, "billing.add_payment")
    assert found == expected
    assert "accounts.view_audit_report" in found
    assert "billing.close_day" not in found


def test_inactive_users_hold_nothing():
    user = make_user("gone", roles=(Role.MANAGER,))
    user.is_active = False
    assert PermissionsBackend().get_all_permissions(user) == set()
