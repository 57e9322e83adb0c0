"""Staff meetings: choose who and how long, find a time all are free, create, invite.

"Find a time" asks the availability module for common free times of the attendees (their
appointments, blocks, sessions and meetings); each time found is a button that creates the
meeting. The invitation (.ics) can be downloaded and is e-mailed to attendees.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.interchange.icalendar import write_invitation
from medoffice.scheduling import availability, setup_services
from medoffice.scheduling.models import StaffMeeting
from medoffice.scheduling.setup_forms_calendar import MeetingForm, RescheduleMeetingForm
from medoffice.scheduling.setup_invitations import (
    invitation_for,
    meeting_time_zone,
    queue_invitation,
    reachable_attendees,
)
from medoffice.scheduling.views.setup_support import MANAGE, actor, get_or_404, show_errors

FOUND_LIMIT = 10


def _free_times(form: MeetingForm) -> list[tuple[dt.datetime, dt.datetime]]:
    data = form.cleaned_data
    # attendees who are providers bring their provider calendar (appointments, blocks, time off)
    return availability.common_free_times(
        users=list(data["attendees"]), start=data["first_day"], end=data["last_day"],
        minutes=data["minutes"], day_start=data["day_start"], day_end=data["day_end"],
        time_zone=data["time_zone"], limit=FOUND_LIMIT,
    )  # fmt: skip


def _slot(text: str) -> tuple[dt.datetime, dt.datetime] | None:
    """The (start, end) a "use this time" button carries, as two ISO instants."""
    start_text, _, end_text = (text or "").partition("/")
    try:
        start, end = dt.datetime.fromisoformat(start_text), dt.datetime.fromisoformat(end_text)
    except ValueError:
        return None
    if start.tzinfo is None or end.tzinfo is None or end <= start:
        return None
    return start, end


def _create(
    request: HttpRequest, form: MeetingForm, slot: tuple[dt.datetime, dt.datetime]
) -> StaffMeeting:
    data = form.cleaned_data
    return setup_services.create_staff_meeting(
        title=data["title"], starts_at=slot[0], ends_at=slot[1], attendees=data["attendees"],
        location=data["location"], organizer=actor(request),
    )  # fmt: skip


@staff_view(MANAGE)
def meetings(request: HttpRequest) -> HttpResponse:
    """Coming meetings, and the find-a-time form (POST: find, or create with a chosen time)."""
    today = timezone.localdate()
    initial = {"first_day": today + dt.timedelta(days=1), "last_day": today + dt.timedelta(days=14)}
    form = MeetingForm(request.POST or None, initial=initial)
    found: list[tuple[dt.datetime, dt.datetime]] | None = None
    if request.method == "POST" and form.is_valid():
        slot = _slot(request.POST.get("slot", ""))
        if slot is not None:
            try:
                meeting = _create(request, form, slot)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, "Meeting created; invitations are on their way.")
                return redirect("scheduling:setup_meeting", meeting_id=meeting.pk)
        else:
            found = _free_times(form)
    coming = (
        StaffMeeting.objects.filter(ends_at__gte=timezone.now())
        .select_related("location")
        .prefetch_related("attendees")
        .order_by("starts_at")[:50]
    )
    time_zone = form.cleaned_data.get("time_zone") if found is not None else None
    context: dict[str, Any] = {
        "form": form, "found": found, "meetings": coming, "time_zone": time_zone,
    }  # fmt: skip
    return render(request, "scheduling/setup/meetings.html", context)


def _meeting_or_404(meeting_id: int) -> StaffMeeting:
    queryset = StaffMeeting.objects.select_related("location", "organizer")
    return get_or_404(queryset, pk=meeting_id)


@staff_view(MANAGE)
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_or_404(meeting_id)
    time_zone = meeting_time_zone(meeting)
    local_start = timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(time_zone))
    minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    form = RescheduleMeetingForm(request.POST or None, initial={
        "day": local_start.date(), "start_time": local_start.time(), "minutes": minutes,
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.instants(time_zone)
        try:
            setup_services.reschedule_staff_meeting(
                meeting, starts_at=starts_at, ends_at=ends_at, acting_user=actor(request)
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Meeting moved; attendees get the update.")
            return redirect("scheduling:setup_meeting", meeting_id=meeting.pk)
    reachable, missing = reachable_attendees(meeting)
    context = {
        "meeting": meeting, "form": form, "reachable": reachable, "missing": missing,
        "time_zone": time_zone, "local_start": local_start,
        "local_end": timezone.localtime(meeting.ends_at, zoneinfo.ZoneInfo(time_zone)),
    }  # fmt: skip
    return render(request, "scheduling/setup/meeting_detail.html", context)


@staff_view(MANAGE)
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The current invitation as a file (a cancellation once cancelled)."""
    meeting = _meeting_or_404(meeting_id)
    invitation = invitation_for(meeting)
    if invitation is None:
        messages.error(request, "No attendee has an e-mail address: there is no one to invite.")
        return redirect("scheduling:setup_meeting", meeting_id=meeting.pk)
    response = HttpResponse(
        write_invitation(invitation),
        content_type=f"text/calendar; charset=utf-8; method={invitation.method}",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@staff_view(MANAGE)
@require_POST
def meeting_send(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_or_404(meeting_id)
    queue_invitation(meeting)
    messages.success(request, "The invitation will be e-mailed again.")
    return redirect("scheduling:setup_meeting", meeting_id=meeting.pk)


@staff_view(MANAGE)
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_or_404(meeting_id)
    try:
        setup_services.cancel_staff_meeting(meeting, acting_user=actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Meeting cancelled; attendees are told.")
    return redirect("scheduling:setup_meeting", meeting_id=meeting.pk)


urlpatterns = [
    path("setup/meetings/", meetings, name="setup_meetings"),
    path("setup/meetings/<int:meeting_id>/", meeting_detail, name="setup_meeting"),
    path("setup/meetings/<int:meeting_id>/invite.ics", meeting_ics, name="setup_meeting_ics"),
    path("setup/meetings/<int:meeting_id>/send/", meeting_send, name="setup_meeting_send"),
    path("setup/meetings/<int:meeting_id>/cancel/", meeting_cancel, name="setup_meeting_cancel"),
]
