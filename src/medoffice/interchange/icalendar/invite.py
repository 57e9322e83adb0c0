"""A meeting invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL), RFC 5546 style.

Each new version of one meeting keeps its UID and raises SEQUENCE, so mail clients update
the meeting already in the calendar instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import icalendar

from medoffice.interchange.icalendar.events import Person, TimedEvent
from medoffice.interchange.icalendar.writer import (
    add_timezone,
    calendar_bytes,
    event_component,
    new_calendar,
    zone_of,
)

InvitationMethod = Literal["REQUEST", "CANCEL"]


@dataclass(frozen=True)
class Invitation:
    """One meeting sent to its attendees by its organizer."""

    event: TimedEvent
    organizer: Person
    attendees: Sequence[Person]
    time_zone: str
    stamp: dt.datetime
    method: InvitationMethod = "REQUEST"


def _address(person: Person) -> icalendar.vCalAddress:
    email = person.email.strip()
    if not email or "@" not in email:
        raise ValueError("Every person on an invitation needs an e-mail address.")
    address = icalendar.vCalAddress(f"mailto:{email}")
    if person.name:
        address.params["CN"] = person.name
    return address


def _attendee(person: Person, method: InvitationMethod) -> icalendar.vCalAddress:
    address = _address(person)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = "NEEDS-ACTION"
    if method == "REQUEST":
        address.params["RSVP"] = "TRUE"
    return address


def write_invitation(invitation: Invitation) -> bytes:
    """The invitation as iCalendar text, ready to attach as ``text/calendar; method=...``."""
    if not invitation.attendees:
        raise ValueError("An invitation needs at least one attendee.")
    event = invitation.event
    if invitation.method == "CANCEL":
        event = replace(event, status="CANCELLED")
    calendar = new_calendar(method=invitation.method, time_zone=invitation.time_zone)
    add_timezone(calendar, invitation.time_zone, [event])
    component = event_component(event, zone=zone_of(invitation.time_zone), stamp=invitation.stamp)
    component.add("organizer", _address(invitation.organizer))
    for person in invitation.attendees:
        component.add("attendee", _attendee(person, invitation.method))
    calendar.add_component(component)
    return calendar_bytes(calendar)
