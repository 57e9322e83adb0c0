"""Authorization inside API operations. The API work fills in the details; this is the contract.

Authentication (bearer token or session) is set once on the NinjaAPI, so routers do not repeat it.
Each operation starts with ``require(request, "app.codename")``.
"""

from __future__ import annotations

from django.http import HttpRequest

from medoffice.api.problems import ProblemError


def require(request: HttpRequest, permission: str) -> None:
    """Raise 403 problem details unless the caller holds ``permission`` (and may use the API)."""
    user = request.user
    if not user.is_authenticated:
        raise ProblemError(401, "Not signed in", "Send a bearer token or a session cookie.")
    if not (user.has_perm("accounts.use_api") and user.has_perm(permission)):
        raise ProblemError(403, "Forbidden", "Your role does not allow this.")
