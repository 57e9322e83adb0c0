"""Session hardening: idle logoff (164.312(a)(2)(iii)) and the MFA requirement (164.312(d))."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

LAST_ACTIVITY_KEY = "medoffice_last_activity"
BACKGROUND_HEADER = "HTTP_X_MEDOFFICE_BACKGROUND"
MFA_EXEMPT_NAMES = ("login", "logout", "mfa", "mfa_setup", "timed_out")


def idle_limit_seconds() -> float:
    return float(settings.MEDOFFICE_IDLE_MINUTES) * 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - float(last) > idle_limit_seconds():
                logout(request)
                return redirect("accounts:timed_out")
            if request.META.get(BACKGROUND_HEADER) != "1" or last is None:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def _exempt(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    if path.startswith(static if static.startswith("/") else "/" + static):
        return True
    return any(path == reverse(f"accounts:{name}") for name in MFA_EXEMPT_NAMES)


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from medoffice.accounts.mfa import mfa_step_url

        user: Any = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _exempt(request.path)
        ):
            target = mfa_step_url(user)
            if target is not None:
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
