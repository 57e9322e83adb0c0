"""Every staff view and API endpoint declares the permission it needs.

``staff_view("app.codename")`` wraps a function view: anonymous users go to sign-in, signed-in users
without the permission get 403. ``staff_view(None)`` asks only for a signed-in user. Views that are
deliberately public (sign-in, the MFA step) are listed in ``PUBLIC_URL_NAMES`` so the URL-walk test
knows they are meant to be reachable.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

PUBLIC_URL_NAMES: set[str] = set()


def staff_view(permission: str | None) -> Callable[[ViewFunc], ViewFunc]:
    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permission is not None and not user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public_view(view: ViewFunc) -> ViewFunc:
    """Mark a view as intentionally reachable without signing in."""
    view.public = True  # type: ignore[attr-defined]
    return view
