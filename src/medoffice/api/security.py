"""Authentication and authorization for the API.

Authentication (bearer token or session with CSRF) is set once on the NinjaAPI, so routers do not
repeat it. Each operation starts with ``require(request, "app.codename")``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from medoffice.api.problems import ProblemError


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` resolved by the accounts service."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from medoffice.accounts import services

        user = services.authenticate_token(token)
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The signed-in browser session; ninja enforces CSRF on unsafe methods (csrf=True)."""

    def __init__(self) -> None:
        super().__init__(csrf=True)


def require(request: HttpRequest, permission: str) -> None:
    """Raise 403 problem details unless the caller holds ``permission`` (and may use the API)."""
    user = request.user
    if not user.is_authenticated:
        raise ProblemError(401, "Not signed in", "Send a bearer token or a session cookie.")
    if not (user.has_perm("accounts.use_api") and user.has_perm(permission)):
        raise ProblemError(403, "Forbidden", "Your role does not allow this.")
