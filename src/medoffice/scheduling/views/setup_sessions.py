"""Set-up pages for sessions (with the weekly template preview) and for exceptions."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.practice import queries as practice_queries
from medoffice.practice.models import Provider
from medoffice.scheduling import setup_services
from medoffice.scheduling.models import Block, ScheduleException, ScheduleSession
from medoffice.scheduling.setup_common import zone_name
from medoffice.scheduling.setup_forms import SessionForm
from medoffice.scheduling.setup_forms_calendar import ExceptionForm
from medoffice.scheduling.setup_recurrence import WEEKDAY_NAMES, describe, occurrence_days
from medoffice.scheduling.views.setup_support import MANAGE, actor, get_or_404, show_errors


def _session_page(request: HttpRequest, session: ScheduleSession | None) -> HttpResponse:
    initial = {"provider": request.GET.get("provider")} if session is None else None
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session = setup_services.create_session(
                    acting_user=actor(request), **form.service_kwargs()
                )
            else:
                session = setup_services.update_session(
                    session, acting_user=actor(request), **form.service_kwargs()
                )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Session saved.")
            return redirect("scheduling:setup_week", provider_id=session.provider_id)
    heading = "Edit session" if session else "Add session"
    return render(request, "scheduling/setup/session_form.html", {"form": form, "heading": heading})


@staff_view(MANAGE)
def session_add(request: HttpRequest) -> HttpResponse:
    return _session_page(request, None)


@staff_view(MANAGE)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_page(request, get_or_404(ScheduleSession.objects.all(), pk=session_id))


@dataclass
class TemplateDay:
    day: dt.date
    name: str
    sessions: list[ScheduleSession] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    closures: list[ScheduleException] = field(default_factory=list)


def _monday(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _week_of(provider: Provider, monday: dt.date, time_zone: str) -> list[TemplateDay]:
    """The provider's sessions, blocks and closures on each day of the week."""
    days = [TemplateDay(monday + dt.timedelta(days=n), WEEKDAY_NAMES[n]) for n in range(7)]
    sunday = days[-1].day
    sessions = (
        ScheduleSession.objects.filter(provider=provider, active=True)
        .select_related("location")
        .prefetch_related("appointment_types")
        .order_by("start_time")
    )
    for session in sessions:
        for day in occurrence_days(
            session.rrule, first_day=session.starts_on, last_day=session.ends_on,
            start=monday, end=sunday,
        ):  # fmt: skip
            days[day.weekday()].sessions.append(session)
    place = zoneinfo.ZoneInfo(time_zone)
    start = dt.datetime.combine(monday, dt.time(), tzinfo=place)
    end = start + dt.timedelta(days=7)
    for block in Block.objects.filter(provider=provider, starts_at__lt=end, ends_at__gt=start):
        offset = (block.starts_at.astimezone(place).date() - monday).days
        days[min(max(offset, 0), 6)].blocks.append(block)
    location_ids = [location.pk for location in provider.locations.all()]  # prefetched
    scope = Q(provider=provider) | Q(provider__isnull=True) & (
        Q(location__isnull=True) | Q(location_id__in=location_ids)
    )
    closures = ScheduleException.objects.filter(scope, starts_at__lt=end, ends_at__gt=start)
    for closure in closures.select_related("location"):
        for item in days:
            day_start = dt.datetime.combine(item.day, dt.time(), tzinfo=place)
            if closure.starts_at < day_start + dt.timedelta(days=1) and closure.ends_at > day_start:
                item.closures.append(closure)
    return days


@staff_view(MANAGE)
def week_template(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = get_or_404(practice_queries.list_providers(active_only=False), pk=provider_id)
    monday = _monday(request)
    sessions = list(
        ScheduleSession.objects.filter(provider=provider).select_related("location")
        .order_by("-active", "start_time")
    )  # fmt: skip
    for session in sessions:
        session.rule_text = describe(session.rrule)  # type: ignore[attr-defined]
    places = sorted(provider.locations.all(), key=lambda location: location.pk)  # prefetched
    time_zone = places[0].time_zone if places else zone_name()
    context = {
        "provider": provider,
        "days": _week_of(provider, monday, time_zone),
        "monday": monday,
        "previous_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
        "time_zone": time_zone,
        "sessions": sessions,
    }
    return render(request, "scheduling/setup/week.html", context)


@staff_view(MANAGE)
def exception_add(request: HttpRequest) -> HttpResponse:
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.create_exception(acting_user=actor(request), **form.service_kwargs())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Closure saved: no one is booked in that time.")
            return redirect("scheduling:setup")
    return render(request, "scheduling/setup/exception_form.html", {"form": form})


@staff_view(MANAGE)
@require_POST
def exception_delete(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = get_or_404(ScheduleException.objects.all(), pk=exception_id)
    setup_services.delete_exception(exception, acting_user=actor(request))
    messages.success(request, "Closure removed.")
    return redirect("scheduling:setup")


urlpatterns = [
    path("setup/sessions/new/", session_add, name="setup_session_add"),
    path("setup/sessions/<int:session_id>/", session_edit, name="setup_session_edit"),
    path("setup/week/<int:provider_id>/", week_template, name="setup_week"),
    path("setup/exceptions/new/", exception_add, name="setup_exception_add"),
    path(
        "setup/exceptions/<int:exception_id>/delete/",
        exception_delete,
        name="setup_exception_delete",
    ),
]
