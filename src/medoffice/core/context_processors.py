"""Template context shared by every staff page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, object]:
    from medoffice.core.navigation import navigation_for

    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user) if user is not None else [],
        "idle_minutes": settings.MEDOFFICE_IDLE_MINUTES,
        "idle_warning_seconds": settings.MEDOFFICE_IDLE_WARNING_SECONDS,
    }
