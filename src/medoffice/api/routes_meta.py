"""Operations about the API itself: who am I, health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from medoffice.api.security import require

router = Router(tags=["meta"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    permissions: list[str]


class HealthOut(Schema):
    status: str
    database: str


@router.get("/me", response=MeOut, url_name="me")
def me(request: HttpRequest) -> MeOut:
    require(request, "accounts.use_api")
    user = request.user  # require() proved the caller is signed in
    assert user.is_authenticated  # narrows the type for mypy
    return MeOut(
        username=user.get_username(),
        display_name=user.get_full_name() or user.get_username(),
        roles=sorted(user.groups.values_list("name", flat=True)),
        permissions=sorted(user.get_all_permissions()),
    )


@router.get("/health", response=HealthOut, auth=None, url_name="health")
def health(request: HttpRequest) -> HealthOut:
    """Public liveness check; reveals only whether the database answers (no PHI)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HealthOut(status="ok", database="ok")
