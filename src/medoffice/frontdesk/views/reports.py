"""Wait-time report per provider and day (no patient is named: not a PHI read)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from medoffice.core.permissions import staff_view
from medoffice.frontdesk import wait_report
from medoffice.frontdesk.views.common import REPORT, local_today, location_from, locations


def _day(raw: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@staff_view(REPORT)
def waits(request: HttpRequest) -> HttpResponse:
    location = location_from(request)
    today = local_today(location)
    last = _day(request.GET.get("end", ""), today)
    first = _day(request.GET.get("start", ""), last - dt.timedelta(days=13))
    first = max(first, last - dt.timedelta(days=wait_report.MAX_DAYS - 1))
    if first > last:
        first = last
    context = {
        "location": location,
        "locations": locations(),
        "start": first,
        "end": last,
        "lines": wait_report.wait_lines(location, first, last),
    }
    return render(request, "frontdesk/wait_report.html", context)


urlpatterns = [path("reports/waits/", waits, name="wait_report")]
