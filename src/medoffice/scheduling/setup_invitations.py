"""Staff-meeting invitations: the ``.ics`` text and the e-mail that carries it.

The e-mail goes out after the meeting's transaction commits, from a job that takes the
meeting's id and SEQUENCE: a retry re-sends the same version (harmless: same UID and SEQUENCE),
and a job for a version already superseded does nothing (the newer one is queued too).
Subjects carry the meeting title only, never patient data.
"""

from __future__ import annotations

import zoneinfo
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from medoffice.interchange.icalendar import Invitation, Person, TimedEvent, write_invitation
from medoffice.jobs.registry import job
from medoffice.scheduling.models import StaffMeeting

UID_DOMAIN = "medoffice"


def meeting_uid(meeting: StaffMeeting) -> str:
    return str(meeting.uid)


def _person(user: Any) -> Person | None:
    email = (getattr(user, "email", "") or "").strip()
    return Person(name=str(user), email=email) if email else None


def _organizer(meeting: StaffMeeting) -> Person:
    organizer = _person(meeting.organizer) if meeting.organizer is not None else None
    return organizer or Person(name="medoffice", email=str(settings.DEFAULT_FROM_EMAIL))


def meeting_time_zone(meeting: StaffMeeting) -> str:
    return str(meeting.location.time_zone if meeting.location else settings.TIME_ZONE)


def reachable_attendees(meeting: StaffMeeting) -> tuple[list[Person], list[str]]:
    """(attendees with an e-mail address, names of those without one)."""
    people, missing = [], []
    for user in meeting.attendees.order_by("last_name", "first_name", "pk"):
        person = _person(user)
        if person is None:
            missing.append(str(user))
        else:
            people.append(person)
    return people, missing


def invitation_for(meeting: StaffMeeting) -> Invitation | None:
    """The current version of the invitation (a cancellation once cancelled); None when no
    attendee has an e-mail address."""
    people, _ = reachable_attendees(meeting)
    if not people:
        return None
    event = TimedEvent(
        uid=meeting_uid(meeting),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=meeting.location.name if meeting.location else "",
        sequence=meeting.sequence,
        status="CANCELLED" if meeting.cancelled else "CONFIRMED",
        categories=("Staff meeting",),
    )
    return Invitation(
        event=event,
        organizer=_organizer(meeting),
        attendees=people,
        time_zone=meeting_time_zone(meeting),
        stamp=timezone.now(),
        method="CANCEL" if meeting.cancelled else "REQUEST",
    )


def _calendar_part(invitation: Invitation) -> MIMEText:
    part = MIMEText(write_invitation(invitation).decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", invitation.method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _message(meeting: StaffMeeting, invitation: Invitation) -> EmailMessage:
    cancelled = invitation.method == "CANCEL"
    subject = f"{'Cancelled' if cancelled else 'Invitation'}: {meeting.title}"
    when = timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(invitation.time_zone))
    body = (
        f"{meeting.title}\n{when:%A %B} {when.day}, {when.year} at {when:%H:%M}"
        f"{' (cancelled)' if cancelled else ''}\n\n"
        "The attached invitation adds this meeting to your calendar.\n"
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email for person in invitation.attendees],
    )
    message.attach(_calendar_part(invitation))
    return message


@job
def send_meeting_invitation(meeting_id: int, sequence: int) -> int:
    """E-mail version ``sequence`` of the meeting's invitation; returns how many were sent."""
    meeting = (
        StaffMeeting.objects.select_related("organizer", "location").filter(pk=meeting_id).first()
    )
    if meeting is None or meeting.sequence != sequence:
        return 0
    invitation = invitation_for(meeting)
    if invitation is None:
        return 0
    return _message(meeting, invitation).send()


def queue_invitation(meeting: StaffMeeting) -> None:
    """Send the current version once the caller's transaction has committed."""
    meeting_id, sequence = meeting.pk, meeting.sequence
    transaction.on_commit(lambda: send_meeting_invitation.enqueue(meeting_id, sequence))
