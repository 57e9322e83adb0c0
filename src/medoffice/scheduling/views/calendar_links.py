"""URLs the calendar draws hundreds of times per page, built from one ``reverse`` each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

INSTANT = "%Y-%m-%dT%H:%MZ"  # a slot's start in links: UTC, to the minute


def instant_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime(INSTANT)


def parse_instant(text: str) -> dt.datetime | None:
    """An aware instant from a link or form ("2026-11-30T14:00Z"); None when unreadable or naive."""
    try:
        at = dt.datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    return at if at.tzinfo is not None else None


@dataclass(frozen=True)
class Links:
    """Booking links for open slots (only for users who may book) and appointment links."""

    book: str
    appointment_prefix: str
    can_book: bool

    @classmethod
    def build(cls, *, can_book: bool) -> Links:
        sample = reverse("scheduling:appointment", args=[1])
        return cls(
            book=reverse("scheduling:book"),
            appointment_prefix=sample[: sample.rindex("1/")],
            can_book=can_book,
        )

    def slot(self, provider_id: int, location_id: int, at: dt.datetime) -> str:
        if not self.can_book:
            return ""
        query = urlencode(
            {"provider": provider_id, "location": location_id, "start": instant_text(at)}
        )
        return f"{self.book}?{query}"

    def appointment(self, appointment_id: int) -> str:
        return f"{self.appointment_prefix}{appointment_id}/"
