"""What a provider's subscription feed shows, from 30 days back to 180 days ahead.

Appointments appear as "Busy" unless the feed was created to show patient names; then every
patient shown is named in one audit entry per refresh. Blocks, closures, staff meetings (with
the invitation's UID, so a calendar holding both shows one) and on-call shifts complete it.
Each kind of row is read in one query, whatever the number of events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.interchange.icalendar import Feed, TimedEvent, write_feed
from medoffice.scheduling import queries
from medoffice.scheduling.choices import HOLDING_TIME, BlockKind, ExceptionKind
from medoffice.scheduling.models import (
    Appointment,
    Block,
    CalendarFeed,
    OnCallShift,
    ScheduleException,
    StaffMeeting,
)

DAYS_BACK = 30
DAYS_AHEAD = 180
UID_DOMAIN = "medoffice"
BUSY = "Busy"


@dataclass(frozen=True)
class FeedContent:
    ics: bytes
    patient_ids: list[int]
    events: int


def _appointments(feed: CalendarFeed, start: dt.datetime, end: dt.datetime) -> list[Appointment]:
    fields = ["pk", "starts_at", "ends_at", "status", "location__name", "appointment_type__name"]
    related = ["location", "appointment_type"]
    if feed.show_patient_names:
        fields += ["patient__first_name", "patient__last_name"]
        related.append("patient")
    return list(
        Appointment.objects.filter(
            queries.overlapping(start, end),
            provider_id=feed.provider_id, status__in=HOLDING_TIME,
        ).select_related(*related).only(*fields).order_by("starts_at", "pk")
    )  # fmt: skip


def _appointment_event(appointment: Appointment, named: bool) -> TimedEvent:
    summary = BUSY
    if named:
        patient = appointment.patient
        summary = f"{patient.first_name} {patient.last_name} ({appointment.appointment_type.name})"
    return TimedEvent(
        uid=f"appointment-{appointment.pk}@{UID_DOMAIN}",
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=summary,
        location=appointment.location.name,
    )


def _meetings(feed: CalendarFeed, start: dt.datetime, end: dt.datetime) -> list[StaffMeeting]:
    user_id = feed.provider.user_id
    if user_id is None:
        return []
    return list(
        StaffMeeting.objects.filter(
            attendees=user_id, cancelled=False, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("location")
        .order_by("starts_at", "pk")
    )


def _meeting_event(meeting: StaffMeeting) -> TimedEvent:
    return TimedEvent(
        uid=str(meeting.uid),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=meeting.location.name if meeting.location else "",
        sequence=meeting.sequence,
        categories=("Staff meeting",),
    )


def _block_events(
    feed: CalendarFeed, start: dt.datetime, end: dt.datetime, meeting_uids: list[Any]
) -> list[TimedEvent]:
    blocks = Block.objects.filter(
        provider_id=feed.provider_id, starts_at__lt=end, ends_at__gt=start
    ).exclude(kind=BlockKind.MEETING, group__in=meeting_uids)
    return [
        TimedEvent(
            uid=f"block-{block.pk}@{UID_DOMAIN}",
            starts_at=block.starts_at,
            ends_at=block.ends_at,
            summary=block.title or BlockKind(block.kind).label,
        )
        for block in blocks.order_by("starts_at", "pk")
    ]


def _exception_events(
    feed: CalendarFeed, start: dt.datetime, end: dt.datetime, location_ids: list[int]
) -> list[TimedEvent]:
    scope = (
        Q(provider_id=feed.provider_id, location__isnull=True)
        | Q(provider_id=feed.provider_id, location_id__in=location_ids)
        | Q(provider__isnull=True, location__isnull=True)
        | Q(provider__isnull=True, location_id__in=location_ids)
    )
    rows = ScheduleException.objects.filter(scope, starts_at__lt=end, ends_at__gt=start)
    return [
        TimedEvent(
            uid=f"exception-{row.pk}@{UID_DOMAIN}",
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            summary=str(ExceptionKind(row.kind).label),
            description=row.note,
            location=row.location.name if row.location else "",
        )
        for row in rows.select_related("location").order_by("starts_at", "pk")
    ]


def _on_call_events(feed: CalendarFeed, start: dt.datetime, end: dt.datetime) -> list[TimedEvent]:
    shifts = OnCallShift.objects.filter(
        provider_id=feed.provider_id, starts_at__lt=end, ends_at__gt=start
    ).order_by("starts_at", "pk")
    return [
        TimedEvent(
            uid=f"on-call-{shift.pk}@{UID_DOMAIN}",
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            summary="On call",
            busy=False,
        )
        for shift in shifts
    ]


def _locations(feed: CalendarFeed) -> tuple[list[int], str]:
    """The provider's location ids and the feed's zone (the first location's, else default)."""
    rows = list(feed.provider.locations.order_by("pk").values_list("pk", "time_zone"))
    return [pk for pk, _ in rows], rows[0][1] if rows else str(settings.TIME_ZONE)


def feed_content(feed: CalendarFeed, *, now: dt.datetime) -> FeedContent:
    """The feed's iCalendar text as of ``now``; audits the patients named, if any."""
    start, end = now - dt.timedelta(days=DAYS_BACK), now + dt.timedelta(days=DAYS_AHEAD)
    location_ids, time_zone = _locations(feed)
    appointments = _appointments(feed, start, end)
    meetings = _meetings(feed, start, end)
    events = [
        *(_appointment_event(a, feed.show_patient_names) for a in appointments),
        *(_meeting_event(m) for m in meetings),
        *_block_events(feed, start, end, [m.uid for m in meetings]),
        *_exception_events(feed, start, end, location_ids),
        *_on_call_events(feed, start, end),
    ]
    name = f"{feed.provider.display_name} (medoffice)"
    ics = write_feed(Feed(name=name, time_zone=time_zone, stamp=now, events=events))
    patient_ids = sorted({a.patient_id for a in appointments}) if feed.show_patient_names else []
    if patient_ids:
        record(
            AuditAction.READ,
            target_type="patients.patient",
            detail={
                "what": "calendar feed",
                "feed": feed.prefix,
                "shown": patient_ids,
                "count": len(patient_ids),
            },
        )
    return FeedContent(ics=ics, patient_ids=patient_ids, events=len(events))
