"""Sign-in and permissions: Django's ``ModelBackend`` with the permission set read in one query.

Every staff page and API call asks ``has_perm``; the stock backend reads a user's own and group
permissions in two ORM queries per request. This one reads both in one plain SQL query (same
result, same per-request cache ``_perm_cache``; superusers are left to the stock code).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


@lru_cache(maxsize=1)
def _sql() -> str:
    user = get_user_model()
    own = user.user_permissions.through._meta
    groups = user.groups.through._meta
    group_perms = Group.permissions.through._meta
    own_user = own.get_field("user").column if _has(own, "user") else f"{user._meta.model_name}_id"
    group_user = (
        groups.get_field("user").column if _has(groups, "user") else f"{user._meta.model_name}_id"
    )
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p"  # noqa: S608
        f" JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT permission_id FROM {own.db_table} WHERE {own_user} = %s"
        f" UNION SELECT gp.permission_id FROM {group_perms.db_table} gp"
        f" JOIN {groups.db_table} ug ON ug.group_id = gp.group_id WHERE ug.{group_user} = %s)"
    )


def _has(meta: Any, name: str) -> bool:
    return any(f.name == name for f in meta.get_fields())


class PermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                cursor.execute(_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor.fetchall()}
        return user_obj._perm_cache
