"""The front desk's calendar: the day view (a column per provider), a provider's week, the
printable day, and the routes of the booking, appointment and waitlist modules.

The boards refresh themselves (HTMX, every ``REFRESH_SECONDS``, and at once after a change made
in the dialog); a refresh whose version is unchanged gets 204, so nothing is redrawn, focus
stays put, and no new read is audited. Every board shown is audited with the patient ids on it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from medoffice.core.permissions import staff_view
from medoffice.core.phones import display as phone_display
from medoffice.practice.models import Location
from medoffice.scheduling import availability
from medoffice.scheduling.views import calendar_appointment, calendar_booking, calendar_waitlist
from medoffice.scheduling.views.calendar_board import (
    Board,
    day_board,
    provider_zone,
    week_board,
    week_of,
)
from medoffice.scheduling.views.calendar_common import (
    ADD,
    VIEW,
    active_locations,
    audit_shown,
    choose_location,
    location_today,
    parse_day,
    parse_id,
    provider_or_404,
)
from medoffice.scheduling.views.calendar_layout import time_label
from medoffice.scheduling.views.calendar_links import Links

REFRESH_SECONDS = 45
VERSION_HEADER = "X-Calendar-Version"


@dataclass(frozen=True)
class OnCall:
    name: str
    phone: str
    until: str


def _on_call(day: dt.date, today: dt.date, zone: zoneinfo.ZoneInfo) -> list[OnCall]:
    """Who covers now (today) or at noon of the day shown."""
    at = timezone.now()
    if day != today:
        at = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
    shifts = availability.on_call_at(at)
    return [
        OnCall(
            name=shift.provider.display_name,
            phone=phone_display(shift.phone) if shift.phone else "",
            until=f"{shift.ends_at.astimezone(zone):%a} {time_label(shift.ends_at, zone)}",
        )
        for shift in shifts
    ]


def _refresh(request: HttpRequest, board: Board, context: dict[str, Any]) -> HttpResponse:
    """The board alone (live refresh): 204 when nothing drawn has changed."""
    if request.headers.get(VERSION_HEADER) == board.version:
        return HttpResponse(status=204)
    return render(request, "scheduling/day_board.html", context)


def _query(**params: Any) -> str:
    return urlencode({name: value for name, value in params.items() if value is not None})


@staff_view(VIEW)
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    locations = active_locations()
    location = choose_location(request, locations)
    today = location_today(location)
    shown = parse_day(request.GET.get("date"), today)
    links = Links.build(can_book=request.user.has_perm(ADD))
    board = day_board(location, shown, links=links, now=timezone.now())
    query = _query(date=shown.isoformat(), location=location.pk)
    context = {
        "board": board,
        "day": shown,
        "today": today,
        "location": location,
        "locations": locations,
        "refresh_url": f"{reverse('scheduling:day')}?{query}&board=1",
        "refresh_seconds": REFRESH_SECONDS,
        "can_book": links.can_book,
        "links": links,
    }
    if request.GET.get("board"):
        response = _refresh(request, board, context)
        if response.status_code == 204:
            return response
    else:
        context.update(
            previous=shown - dt.timedelta(days=1),
            next=shown + dt.timedelta(days=1),
            on_call=_on_call(shown, today, board.zone),
            print_url=f"{reverse('scheduling:day_print')}?{query}",
            find_url=f"{reverse('scheduling:find')}?{_query(location=location.pk)}",
        )
        response = render(request, "scheduling/day.html", context)
    audit_shown(
        request,
        patient_ids=board.patient_ids,
        appointment_ids=board.appointment_ids,
        what="day view",
    )
    return response


@staff_view(VIEW)
@require_GET
def week(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = provider_or_404(provider_id)
    locations = active_locations()
    location: Location | None = next(
        (p for p in locations if p.pk == parse_id(request.GET.get("location"))), None
    )
    zone = provider_zone(provider, location)
    today = timezone.now().astimezone(zone).date()
    shown = parse_day(request.GET.get("date"), today)
    links = Links.build(can_book=request.user.has_perm(ADD))
    board = week_board(
        provider, shown, zone=zone, location=location, links=links, now=timezone.now()
    )
    days = week_of(shown)
    base = reverse("scheduling:week", args=[provider.pk])
    place = location.pk if location else None
    context = {
        "board": board,
        "provider": provider,
        "day": shown,
        "today": today,
        "days": days,
        "location": location,
        "locations": locations,
        "refresh_url": f"{base}?{_query(date=shown.isoformat(), location=place)}&board=1",
        "refresh_seconds": REFRESH_SECONDS,
        "can_book": links.can_book,
        "week": True,
        "day_url": reverse("scheduling:day"),
    }
    if request.GET.get("board"):
        response = _refresh(request, board, context)
        if response.status_code == 204:
            return response
    else:
        context.update(
            previous=shown - dt.timedelta(days=7),
            next=shown + dt.timedelta(days=7),
            base=base,
        )
        response = render(request, "scheduling/week.html", context)
    audit_shown(
        request,
        patient_ids=board.patient_ids,
        appointment_ids=board.appointment_ids,
        what="week view",
    )
    return response


@staff_view(VIEW)
@require_GET
def day_print(request: HttpRequest) -> HttpResponse:
    """One section per provider, appointments in time order: made for paper."""
    locations = active_locations()
    location = choose_location(request, locations)
    shown = parse_day(request.GET.get("date"), location_today(location))
    board = day_board(location, shown, links=Links.build(can_book=False), now=timezone.now())
    query = _query(date=shown.isoformat(), location=location.pk)
    audit_shown(
        request,
        patient_ids=board.patient_ids,
        appointment_ids=board.appointment_ids,
        what="printed day",
    )
    context = {
        "board": board,
        "day": shown,
        "location": location,
        "printed_at": timezone.now().astimezone(board.zone),
        "back_url": f"{reverse('scheduling:day')}?{query}",
    }
    return render(request, "scheduling/print_day.html", context)


urlpatterns: list[URLPattern] = [
    path("", day, name="day"),
    path("week/<int:provider_id>/", week, name="week"),
    path("print/", day_print, name="day_print"),
    *calendar_booking.urlpatterns,
    *calendar_appointment.urlpatterns,
    *calendar_waitlist.urlpatterns,
]
