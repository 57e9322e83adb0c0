"""Open slots from the availability module, as the finder lists them (no N+1 on names)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from medoffice.practice.models import Location, Provider
from medoffice.scheduling.views.calendar_layout import time_label
from medoffice.scheduling.views.calendar_links import instant_text

RESULT_LIMIT = 12


@dataclass(frozen=True)
class SlotRow:
    slot: Any  # availability.Slot
    day: str
    time: str
    provider: Provider
    location: Location
    value: str  # "provider:location:instant", what a move form posts
    instant: str
    book_url: str


def slot_value(provider_id: int, location_id: int, at: dt.datetime) -> str:
    return f"{provider_id}:{location_id}:{instant_text(at)}"


def parse_slot_value(text: str) -> tuple[int, int, str] | None:
    provider, _, rest = (text or "").partition(":")
    location, _, instant = rest.partition(":")
    if not (provider.isdigit() and location.isdigit() and instant):
        return None
    return int(provider), int(location), instant


def slot_rows(
    slots: Sequence[Any],
    *,
    providers: Sequence[Provider] = (),
    locations: Sequence[Location] = (),
    book: dict[str, Any] | None = None,
) -> list[SlotRow]:
    """Rows with names and local times; ``book`` adds booking links carrying those ids."""
    by_provider = {p.pk: p for p in providers}
    by_location = {place.pk: place for place in locations}
    missing = {s.provider_id for s in slots} - set(by_provider)
    if missing:
        by_provider.update(Provider.objects.in_bulk(missing))
    missing = {s.location_id for s in slots} - set(by_location)
    if missing:
        by_location.update(Location.objects.in_bulk(missing))
    base = reverse("scheduling:book") if book is not None else ""
    rows = []
    for slot in slots:
        place = by_location[slot.location_id]
        zone = zoneinfo.ZoneInfo(place.time_zone)
        local = slot.starts_at.astimezone(zone)
        query = {
            "provider": slot.provider_id,
            "location": slot.location_id,
            "start": instant_text(slot.starts_at),
            **(book or {}),
        }
        rows.append(
            SlotRow(
                slot=slot,
                day=f"{local:%a, %b} {local.day}",
                time=time_label(slot.starts_at, zone),
                provider=by_provider[slot.provider_id],
                location=place,
                value=slot_value(slot.provider_id, slot.location_id, slot.starts_at),
                instant=instant_text(slot.starts_at),
                book_url=f"{base}?{urlencode(query)}" if book is not None else "",
            )
        )
    return rows
