"""The plain data a calendar is written from: timed events and the people invited to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PRODID = "-//medoffice//Scheduling//EN"

EventStatus = Literal["TENTATIVE", "CONFIRMED", "CANCELLED"]


@dataclass(frozen=True)
class Person:
    """Someone named on an invitation (organizer or attendee), reached by e-mail."""

    name: str
    email: str


@dataclass(frozen=True)
class TimedEvent:
    """One VEVENT. ``uid`` must stay the same for the same thing across every export.

    ``busy`` False marks the time as free (TRANSP:TRANSPARENT), e.g. an on-call shift that
    does not keep the provider from seeing patients.
    """

    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    busy: bool = True
    status: EventStatus = "CONFIRMED"
    sequence: int = 0
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError(f"Event {self.uid}: times must be timezone-aware.")
        if self.ends_at <= self.starts_at:
            raise ValueError(f"Event {self.uid}: it must end after it starts.")
        if not self.uid.strip():
            raise ValueError("An event needs a UID.")
