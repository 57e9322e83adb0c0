"""The schedule set-up overview; every set-up page module lists its own routes here.

Everything a manager sets up on one page: appointment types, sessions, rooms and equipment,
coming closures, blocks (one row per set placed together), on-call and staff meetings. Each
section is one query, whatever its length.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from medoffice.core.permissions import staff_view
from medoffice.practice import queries as practice_queries
from medoffice.scheduling import queries
from medoffice.scheduling.models import (
    Block,
    OnCallShift,
    Resource,
    ScheduleException,
    ScheduleSession,
    StaffMeeting,
)
from medoffice.scheduling.setup_recurrence import describe
from medoffice.scheduling.views import setup_blocks, setup_catalog, setup_meetings, setup_sessions
from medoffice.scheduling.views.setup_support import MANAGE

LIST_LIMIT = 50


def _block_sets(now: dt.datetime) -> list[dict[str, Any]]:
    """Coming blocks, one row per set placed together (meeting blocks are under meetings)."""
    rows = (
        Block.objects.filter(ends_at__gte=now, group__isnull=False)
        .exclude(kind="meeting")
        .values("group", "kind", "title")
        .annotate(count=Count("pk"), first=Min("starts_at"), last=Max("starts_at"))
        .order_by("first")[:LIST_LIMIT]
    )
    return [dict(row) for row in rows]


def _single_blocks(now: dt.datetime) -> list[Block]:
    """Coming blocks placed without a group (by other tools, e.g. the demo)."""
    rows = Block.objects.filter(ends_at__gte=now, group__isnull=True).exclude(kind="meeting")
    return list(rows.select_related("provider", "resource", "user").order_by("starts_at")[:20])


def _sessions() -> list[ScheduleSession]:
    rows = (
        ScheduleSession.objects.select_related("provider", "location")
        .prefetch_related("appointment_types")
        .order_by("provider__last_name", "provider__first_name", "provider_id", "start_time")
    )
    sessions = list(rows)
    for session in sessions:
        session.rule_text = describe(session.rrule)  # type: ignore[attr-defined]
    return sessions


@staff_view(MANAGE)
def overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "types": queries.list_appointment_types(active_only=False).prefetch_related("durations"),
        "sessions": _sessions(),
        "resources": Resource.objects.select_related("location").order_by(
            "location__name", "kind", "name"
        ),
        "exceptions": ScheduleException.objects.filter(ends_at__gte=now)
        .select_related("provider", "location")
        .order_by("starts_at")[:LIST_LIMIT],
        "block_sets": _block_sets(now),
        "single_blocks": _single_blocks(now),
        "shifts": OnCallShift.objects.filter(ends_at__gte=now)
        .select_related("provider")
        .order_by("starts_at")[:10],
        "meetings": StaffMeeting.objects.filter(ends_at__gte=now, cancelled=False)
        .select_related("location")
        .order_by("starts_at")[:10],
        "providers": practice_queries.list_providers(),
        "can_manage_feeds": request.user.has_perm("scheduling.manage_calendar_feeds"),
    }
    return render(request, "scheduling/setup/overview.html", context)


urlpatterns = [
    path("setup/", overview, name="setup"),
    *setup_catalog.urlpatterns,
    *setup_sessions.urlpatterns,
    *setup_blocks.urlpatterns,
    *setup_meetings.urlpatterns,
]
