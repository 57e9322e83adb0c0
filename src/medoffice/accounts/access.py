"""Record-level access with "break the glass" (HIPAA 164.312(a)(2)(ii) emergency access)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medoffice.accounts import services

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])
EMERGENCY_PERMISSION = "accounts.emergency_access"


def record_view(
    permission: str, target_type: str, id_kwarg: str = "pk"
) -> Callable[[ViewFunc], ViewFunc]:
    """Run the view for holders of ``permission`` or of an unexpired emergency grant."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.has_perm(permission):
                return view(request, *args, **kwargs)
            if not user.has_perm(EMERGENCY_PERMISSION):
                raise PermissionDenied
            target_id = kwargs[id_kwarg]
            if services.has_emergency_grant(
                user=user, target_type=target_type, target_id=target_id
            ):
                return view(request, *args, **kwargs)
            return _break_glass(request, user, target_type, target_id)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def _break_glass(request: HttpRequest, user: Any, target_type: str, target_id: Any) -> HttpResponse:
    error = ""
    reason = ""
    if request.method == "POST" and "emergency_reason" in request.POST:
        reason = request.POST.get("emergency_reason", "")
        try:
            services.grant_emergency_access(
                user=user,
                target_type=target_type,
                target_id=target_id,
                patient_id=_int_or_none(request.POST.get("patient_id")),
                reason=reason,
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(request.get_full_path())
    return render(
        request,
        "accounts/break_glass.html",
        {"error": error, "reason": reason, "target_type": target_type},
        status=403,
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
