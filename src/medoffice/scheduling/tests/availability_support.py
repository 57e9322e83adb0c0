"""Helpers of the availability tests: read slots in local time, pin "now"."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

import pytest

from medoffice.scheduling import availability_data


def pin_now(monkeypatch: pytest.MonkeyPatch, at: dt.datetime) -> None:
    """Fix the instant before which slots are never offered."""
    monkeypatch.setattr(availability_data, "now", lambda: at)


def local_times(found: Iterable[Any], place: Any) -> list[dt.datetime]:
    zone = zoneinfo.ZoneInfo(place.time_zone)
    return [slot.starts_at.astimezone(zone) for slot in found]


def hours(found: Iterable[Any], place: Any) -> list[str]:
    """Slot starts as "HH:MM" on the location's wall clock."""
    return [f"{at:%H:%M}" for at in local_times(found, place)]


def days(found: Iterable[Any], place: Any) -> list[dt.date]:
    return [at.date() for at in local_times(found, place)]
