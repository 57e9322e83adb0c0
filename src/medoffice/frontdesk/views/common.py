"""What the desk pages share: the location being worked, the visit from its URL, permissions."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.http import Http404, HttpRequest

from medoffice.frontdesk import queries
from medoffice.frontdesk.models import CheckIn
from medoffice.practice import queries as practice
from medoffice.scheduling import queries as scheduling

USE = "frontdesk.use_desk"
NOTES = "frontdesk.issue_excuse_note"
MANAGE = "frontdesk.manage_desk_settings"
REPORT = "frontdesk.view_wait_report"


def actor(request: HttpRequest) -> Any:
    return request.user


def locations() -> list[Any]:
    return list(practice.list_locations())


def location_from(request: HttpRequest) -> Any:
    """``?location=`` (or the form's ``location``), else the first active location."""
    raw = request.GET.get("location") or request.POST.get("location") or ""
    places = locations()
    if raw.isdigit():
        for place in places:
            if place.pk == int(raw):
                return place
    if not places:
        raise Http404("No location is set up yet.")
    return places[0]


def local_today(location: Any) -> dt.date:
    from django.utils import timezone

    return timezone.now().astimezone(zoneinfo.ZoneInfo(location.time_zone)).date()


def date_from(request: HttpRequest, default: dt.date) -> dt.date:
    raw = request.GET.get("date", "")
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def appointment_or_404(appointment_id: int) -> Any:
    found = scheduling.get_appointment(appointment_id)
    if found is None:
        raise Http404("No such appointment.")
    return found


def check_in_or_404(appointment_id: int) -> CheckIn:
    found = queries.check_in_for(appointment_id)
    if found is None:
        raise Http404("This visit is not checked in.")
    return found


def local(at: dt.datetime | None, location: Any) -> dt.datetime | None:
    return at.astimezone(zoneinfo.ZoneInfo(location.time_zone)) if at else None
