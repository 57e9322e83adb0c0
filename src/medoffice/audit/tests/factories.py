from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


class StaffUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Dana"
    last_name = "Example"
    password = factory.django.Password("correct horse battery")


def grant(user: Any, codename: str) -> Any:
    app_label, name = codename.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=name)
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh instance: no stale permission cache
