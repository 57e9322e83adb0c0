"""Pieces every calendar page shares: permissions, the location and day chosen, the audit of
what was shown, and panels that are a dialog with JavaScript and a whole page without it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from medoffice.accounts.models import User
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.practice.models import Location, Provider

VIEW = "scheduling.view_appointment"
ADD = "scheduling.add_appointment"
CHANGE = "scheduling.change_appointment"
CHANGED_EVENT = "calendar-changed"  # the day and week boards refresh on it
SESSION_LOCATION = "calendar_location"


def actor(request: HttpRequest) -> User:
    """The signed-in user (``staff_view`` guarantees one)."""
    return cast(User, request.user)


def parse_day(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return default


def parse_id(text: Any) -> int | None:
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def active_locations() -> list[Location]:
    return list(Location.objects.filter(active=True).order_by("name", "pk"))


def choose_location(request: HttpRequest, locations: list[Location]) -> Location:
    """The location asked for, else the one last used in this session, else the first."""
    if not locations:
        raise Http404("No location is set up yet.")
    by_id = {place.pk: place for place in locations}
    wanted = parse_id(request.GET.get("location")) or parse_id(
        request.session.get(SESSION_LOCATION)
    )
    place = by_id.get(wanted or 0, locations[0])
    if request.session.get(SESSION_LOCATION) != place.pk:
        request.session[SESSION_LOCATION] = place.pk  # written only when it changes
    return place


def location_today(location: Location) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(location.time_zone)).date()


def provider_or_404(provider_id: int) -> Provider:
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None:
        raise Http404("No such provider.")
    return provider


def audit_shown(
    request: HttpRequest,
    *,
    patient_ids: Iterable[int],
    appointment_ids: Iterable[int] = (),
    what: str,
) -> None:
    """Who is seen when is PHI: record which patients (ids, never names) a page showed."""
    shown = sorted(set(patient_ids))
    if not shown:
        return
    record(
        AuditAction.READ,
        actor=actor(request),
        target_type="scheduling.appointment",
        detail={
            "what": what,
            "shown": shown,
            "count": len(shown),
            "appointments": sorted(set(appointment_ids)),
        },
    )


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def panel(
    request: HttpRequest,
    partial: str,
    context: dict[str, Any],
    *,
    page: str,
    status: int = 200,
    changed: bool = False,
) -> HttpResponse:
    """The partial into the calendar's dialog (HTMX), or ``page`` wrapping it (no JavaScript).

    ``changed`` tells the boards on the page to refresh (an appointment was written).
    """
    template = partial if is_htmx(request) else page
    response = render(request, template, {**context, "partial": partial}, status=status)
    if changed:
        response["HX-Trigger"] = CHANGED_EVENT
    return response
