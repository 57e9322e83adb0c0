"""Template context shared by every staff page."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest


def _practice_name() -> str:
    """The practice's name for the top bar; empty before the practice is set up."""
    try:
        from medoffice.practice.queries import get_practice
    except ImportError:  # pragma: no cover - the practice app is optional for the shell
        return ""
    try:
        practice = get_practice()
    except DatabaseError:
        return ""
    return practice.name if practice is not None else ""


def shell(request: HttpRequest) -> dict[str, object]:
    from medoffice.core.navigation import navigation_for

    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "nav_items": navigation_for(user) if user is not None else [],
        "practice_name": _practice_name() if signed_in else "",
        "idle_minutes": settings.MEDOFFICE_IDLE_MINUTES,
        "idle_warning_seconds": settings.MEDOFFICE_IDLE_WARNING_SECONDS,
    }
