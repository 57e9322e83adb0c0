"""iCalendar (RFC 5545) writing: subscription feeds and meeting invitations from plain data.

Django-free: callers turn their models into ``TimedEvent`` / ``Person`` values and get bytes.
"""

from medoffice.interchange.icalendar.events import PRODID, EventStatus, Person, TimedEvent
from medoffice.interchange.icalendar.feed import Feed, write_feed
from medoffice.interchange.icalendar.invite import Invitation, InvitationMethod, write_invitation

__all__ = [
    "PRODID",
    "EventStatus",
    "Feed",
    "Invitation",
    "InvitationMethod",
    "Person",
    "TimedEvent",
    "write_feed",
    "write_invitation",
]
