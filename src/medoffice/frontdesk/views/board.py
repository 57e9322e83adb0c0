"""The waiting-room board (staff) and the waiting-room screen (public, by secret address).

Both refresh their rows by HTMX every 10 seconds. The screen needs no login: its address holds
a random token (never anything about a patient) that a manager can replace at any time, and it
shows only a first name and last initial, or a ticket number.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from medoffice.core.permissions import public_view, staff_view
from medoffice.frontdesk import desk_settings, queries, services
from medoffice.frontdesk.views.common import USE, actor, location_from, locations


def _board_context(request: HttpRequest, location: Any) -> dict[str, Any]:
    rows = queries.board(location)
    if rows:
        services.audit_shown(
            [row.check_in.patient_id for row in rows],
            acting_user=actor(request),
            what="waiting room board",
        )
    return {
        "location": location,
        "rows": rows,
        "settings": desk_settings.settings_for(location),
        "now": timezone.now(),
    }


def board_rows_response(request: HttpRequest, location: Any) -> HttpResponse:
    return render(request, "frontdesk/_board_rows.html", _board_context(request, location))


@staff_view(USE)
def board(request: HttpRequest) -> HttpResponse:
    location = location_from(request)
    context = {**_board_context(request, location), "locations": locations()}
    return render(request, "frontdesk/board.html", context)


@staff_view(USE)
def board_rows(request: HttpRequest) -> HttpResponse:
    return board_rows_response(request, location_from(request))


def _screen(token: str) -> Any:
    found = desk_settings.settings_for_token(token)
    if found is None:
        raise Http404("This screen address is not valid (it may have been replaced).")
    return found


def _no_cache(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public_view
def display(request: HttpRequest, token: str) -> HttpResponse:
    found = _screen(token)
    context = {"rows": queries.public_board(found), "location": found.location, "token": token}
    return _no_cache(render(request, "frontdesk/display.html", context))


@public_view
def display_rows(request: HttpRequest, token: str) -> HttpResponse:
    found = _screen(token)
    context = {"rows": queries.public_board(found), "location": found.location}
    return _no_cache(render(request, "frontdesk/_display_rows.html", context))


urlpatterns = [
    path("board/", board, name="board"),
    path("board/rows/", board_rows, name="board_rows"),
    path("display/<str:token>/", display, name="display"),
    path("display/<str:token>/rows/", display_rows, name="display_rows"),
]
