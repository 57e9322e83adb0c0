"""A subscription feed: one person's calendar as METHOD:PUBLISH (read-only events)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from medoffice.interchange.icalendar.events import TimedEvent
from medoffice.interchange.icalendar.writer import (
    add_timezone,
    calendar_bytes,
    event_component,
    new_calendar,
    zone_of,
)

# How often a subscribing client should come back (RFC 7986 REFRESH-INTERVAL, and the
# de-facto X-PUBLISHED-TTL that Outlook and Apple Calendar read).
REFRESH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Feed:
    """A named calendar of events written in ``time_zone`` (an IANA name, or "UTC")."""

    name: str
    time_zone: str
    stamp: dt.datetime
    events: Sequence[TimedEvent]


def write_feed(feed: Feed) -> bytes:
    """The feed as iCalendar text, events in start order (UIDs must be unique)."""
    uids = [event.uid for event in feed.events]
    if len(set(uids)) != len(uids):
        raise ValueError("Two events of one feed share a UID.")
    zone = zone_of(feed.time_zone)
    calendar = new_calendar(method="PUBLISH", time_zone=feed.time_zone, name=feed.name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    add_timezone(calendar, feed.time_zone, feed.events)
    for event in sorted(feed.events, key=lambda e: (e.starts_at, e.uid)):
        calendar.add_component(event_component(event, zone=zone, stamp=feed.stamp))
    return calendar_bytes(calendar)
