"""The desk's "Today": the day's appointments per provider, searchable, with one-action check-in.

The search box filters the rows in the page (``frontdesk.js``), so names typed never travel in a
URL. Checking in posts the appointment id and lands on the visit's checklist.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.frontdesk import queries, services
from medoffice.frontdesk.errors import DeskRefused
from medoffice.frontdesk.views.common import (
    USE,
    actor,
    appointment_or_404,
    date_from,
    local_today,
    location_from,
    locations,
)


@staff_view(USE)
def today(request: HttpRequest) -> HttpResponse:
    location = location_from(request)
    day = date_from(request, local_today(location))
    groups = queries.today_rows(location, day)
    shown = [row.appointment.patient_id for group in groups for row in group.rows]
    if shown:
        services.audit_shown(shown, acting_user=actor(request), what="desk day list")
    context = {
        "location": location,
        "locations": locations(),
        "day": day,
        "is_today": day == local_today(location),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "groups": groups,
        "count": len(shown),
    }
    return render(request, "frontdesk/today.html", context)


@staff_view(USE)
@require_POST
def check_in(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("appointment", "")
    appointment = appointment_or_404(int(raw) if raw.isdigit() else 0)
    try:
        services.check_in(appointment, acting_user=actor(request))
    except DeskRefused as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('frontdesk:today')}?location={appointment.location_id}")
    messages.success(request, "Checked in.")
    return redirect("frontdesk:visit", appointment_id=appointment.pk)


urlpatterns = [
    path("", today, name="today"),
    path("check-in/", check_in, name="check_in"),
]
