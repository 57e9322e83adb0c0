"""What feeds and invitations share: the VCALENDAR envelope, VTIMEZONE and VEVENT building.

Times are written in the calendar's own zone (``DTSTART;TZID=America/New_York:...``) with a
VTIMEZONE covering the events' dates, so clients show 09:00 as 09:00 on both sides of a
daylight-saving change; a calendar in "UTC" writes UTC times and no VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

import icalendar

from medoffice.interchange.icalendar.events import PRODID, TimedEvent

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Z"})
TIMEZONE_MARGIN = dt.timedelta(days=366)


def zone_of(name: str) -> dt.tzinfo:
    """The zone for an IANA name; ``ValueError`` for an unknown one."""
    if name in UTC_NAMES:
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone {name!r}.") from exc


def new_calendar(*, method: str, time_zone: str, name: str = "") -> icalendar.Calendar:
    """An empty VCALENDAR with the properties every client expects."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "UTC" if time_zone in UTC_NAMES else time_zone)
    return calendar


def add_timezone(
    calendar: icalendar.Calendar, time_zone: str, events: Sequence[TimedEvent]
) -> None:
    """Add the VTIMEZONE of ``time_zone`` covering the events (a year either side)."""
    if time_zone in UTC_NAMES or not events:
        return
    first = min(event.starts_at for event in events).date() - TIMEZONE_MARGIN
    last = max(event.ends_at for event in events).date() + TIMEZONE_MARGIN
    vtimezone = icalendar.Timezone.from_tzid(time_zone, first_date=first, last_date=last)
    calendar.add_component(vtimezone)


def event_component(event: TimedEvent, *, zone: dt.tzinfo, stamp: dt.datetime) -> icalendar.Event:
    """The VEVENT of ``event`` with its times in ``zone`` and DTSTAMP ``stamp`` (in UTC)."""
    if stamp.tzinfo is None:
        raise ValueError("DTSTAMP must be timezone-aware.")
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp.astimezone(dt.UTC))
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", event.summary)
    component.add("sequence", event.sequence)
    component.add("status", event.status)
    component.add("transp", "OPAQUE" if event.busy else "TRANSPARENT")
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if event.categories:
        component.add("categories", list(event.categories))
    return component


def calendar_bytes(calendar: icalendar.Calendar) -> bytes:
    """RFC 5545 text: CRLF line ends, lines folded at 75 octets, UTF-8."""
    text: bytes = calendar.to_ical()
    return text
