"""Staff meetings: on several staff calendars at once, with iCalendar invitations by e-mail.

Every attendee who is a provider gets a block of kind "meeting" whose ``group`` is the
meeting's UID, so the slot finder keeps patients out of that time. Each change raises the
meeting's SEQUENCE and re-sends the invitation, which calendar clients treat as an update of
the same meeting (same UID) rather than a new one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.practice import queries as practice_queries
from medoffice.scheduling.choices import BlockKind
from medoffice.scheduling.models import Block, StaffMeeting
from medoffice.scheduling.setup_common import actor_or_none, refuse
from medoffice.scheduling.setup_invitations import queue_invitation

MAX_HOURS = 12
TITLE_MAX = 120


def _check(title: str, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    title = title.strip()
    if not title:
        raise refuse("Give the meeting a title.", "title")
    if len(title) > TITLE_MAX:
        raise refuse(f"Keep the title under {TITLE_MAX} characters.", "title")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise refuse("Times need a time zone.")
    if ends_at <= starts_at:
        raise refuse("The meeting must end after it starts.", "ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_HOURS):
        raise refuse(f"A staff meeting lasts at most {MAX_HOURS} hours.", "ends_at")
    return title


def _place_blocks(meeting: StaffMeeting, acting_user: Any) -> int:
    """(Re)place the meeting's block on every attending provider's calendar."""
    Block.objects.filter(group=meeting.uid).delete()
    if meeting.cancelled:
        return 0
    attendee_ids = list(meeting.attendees.values_list("pk", flat=True))
    providers = practice_queries.list_providers(active_only=False).filter(user_id__in=attendee_ids)
    by = actor_or_none(acting_user)
    rows = [
        Block(
            provider_id=provider_id, kind=BlockKind.MEETING, title=meeting.title,
            starts_at=meeting.starts_at, ends_at=meeting.ends_at, group=meeting.uid, created_by=by,
        )
        for provider_id in providers.order_by("pk").values_list("pk", flat=True)
    ]  # fmt: skip
    Block.objects.bulk_create(rows)
    return len(rows)


def _audit(action: str, meeting: StaffMeeting, acting_user: Any, fields: Iterable[str]) -> None:
    record(
        action,
        actor=acting_user,
        target=meeting,
        fields=sorted(fields),
        detail={"uid": str(meeting.uid), "sequence": meeting.sequence},
    )


@transaction.atomic
def create_staff_meeting(
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    attendees: Iterable[Any],
    organizer: Any,
    location: Any = None,
    acting_user: Any = None,
    notify: bool = True,
) -> StaffMeeting:
    """A meeting on every attendee's calendar; the invitation is e-mailed after commit."""
    acting_user = acting_user if acting_user is not None else organizer
    people = list({user.pk: user for user in attendees}.values())
    if not people:
        raise refuse("Choose who attends.", "attendees")
    meeting = StaffMeeting.objects.create(
        uid=uuid.uuid4(), title=_check(title, starts_at, ends_at), starts_at=starts_at,
        ends_at=ends_at, location=location, organizer=actor_or_none(organizer),
    )  # fmt: skip
    meeting.attendees.set(people)
    _place_blocks(meeting, acting_user)
    _audit(AuditAction.CREATE, meeting, acting_user, ["title", "starts_at", "ends_at", "attendees"])
    if notify:
        queue_invitation(meeting)
    return meeting


def _locked(meeting: StaffMeeting) -> StaffMeeting:
    fresh = StaffMeeting.objects.select_for_update().get(pk=meeting.pk)
    if fresh.cancelled:
        raise refuse("This meeting was cancelled.")
    return fresh


@transaction.atomic
def reschedule_staff_meeting(
    meeting: StaffMeeting,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    acting_user: Any,
    title: str | None = None,
    notify: bool = True,
) -> StaffMeeting:
    """Move the meeting (and its blocks); SEQUENCE goes up and attendees get the update."""
    meeting = _locked(meeting)
    new_title = _check(meeting.title if title is None else title, starts_at, ends_at)
    changed = [
        name
        for name, value in (("title", new_title), ("starts_at", starts_at), ("ends_at", ends_at))
        if getattr(meeting, name) != value
    ]
    if not changed:
        return meeting
    meeting.title, meeting.starts_at, meeting.ends_at = new_title, starts_at, ends_at
    meeting.sequence += 1
    meeting.save(update_fields=[*changed, "sequence"])
    _place_blocks(meeting, acting_user)
    _audit(AuditAction.UPDATE, meeting, acting_user, [*changed, "sequence"])
    if notify:
        queue_invitation(meeting)
    return meeting


@transaction.atomic
def cancel_staff_meeting(
    meeting: StaffMeeting, *, acting_user: Any, notify: bool = True
) -> StaffMeeting:
    """Cancel: blocks removed, SEQUENCE up, attendees get a METHOD:CANCEL message."""
    meeting = _locked(meeting)
    meeting.cancelled = True
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled", "sequence"])
    _place_blocks(meeting, acting_user)
    _audit(AuditAction.UPDATE, meeting, acting_user, ["cancelled", "sequence"])
    if notify:
        queue_invitation(meeting)
    return meeting
