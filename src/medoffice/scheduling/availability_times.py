"""Calendar reads that are not slots: blocked rooms, who is on call, a free meeting time.

Part of the ``availability`` contract; import them from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from medoffice.practice.models import Provider
from medoffice.scheduling import availability_data as data
from medoffice.scheduling import queries
from medoffice.scheduling.choices import HOLDING_TIME
from medoffice.scheduling.models import (
    Appointment,
    Block,
    OnCallShift,
    ScheduleException,
    StaffMeeting,
)
from medoffice.scheduling.rules import free_times
from medoffice.scheduling.rules.slots import Busy, Interval, to_instant


def blocked_resource_ids(starts_at: dt.datetime, ends_at: dt.datetime) -> set[int]:
    """Rooms and equipment with a block overlapping [starts_at, ends_at)."""
    return set(
        Block.objects.filter(
            resource__isnull=False, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).values_list("resource_id", flat=True)
    )


def on_call_at(at: dt.datetime) -> list[OnCallShift]:
    """The shifts covering the instant ``at`` (usually one), with their provider."""
    return list(
        OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at)
        .select_related("provider")
        .order_by("starts_at", "pk")
    )


def _pks(items: Iterable[Any]) -> list[int]:
    return [int(getattr(item, "pk", item)) for item in items]


def _busy_of_users(user_ids: list[int], lo: dt.datetime, hi: dt.datetime) -> list[Interval]:
    if not user_ids:
        return []
    meetings = (
        StaffMeeting.objects.filter(
            attendees__in=user_ids, cancelled=False, starts_at__lt=hi, ends_at__gt=lo
        )
        .values_list("starts_at", "ends_at")
        .distinct()
    )
    blocks = Block.objects.filter(user_id__in=user_ids, starts_at__lt=hi, ends_at__gt=lo)
    return [*meetings, *blocks.values_list("starts_at", "ends_at")]


def _busy_of_providers(provider_ids: list[int], lo: dt.datetime, hi: dt.datetime) -> list[Interval]:
    if not provider_ids:
        return []
    appointments = Appointment.objects.filter(
        queries.overlapping(lo, hi), provider_id__in=provider_ids, status__in=HOLDING_TIME
    ).values_list("starts_at", "ends_at")
    blocks = Block.objects.filter(
        provider_id__in=provider_ids, starts_at__lt=hi, ends_at__gt=lo
    ).values_list("starts_at", "ends_at")
    away = ScheduleException.objects.filter(
        Q(provider_id__in=provider_ids) | Q(provider__isnull=True, location__isnull=True),
        starts_at__lt=hi,
        ends_at__gt=lo,
    ).values_list("starts_at", "ends_at")
    return [*appointments, *blocks, *away]


def common_free_times(
    *,
    users: Iterable[Any] = (),
    providers: Iterable[Any] = (),
    start: dt.date,
    end: dt.date,
    minutes: int,
    day_start: dt.time = dt.time(8),
    day_end: dt.time = dt.time(17),
    time_zone: str,
    limit: int = 10,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Weekday times between ``day_start`` and ``day_end`` (in ``time_zone``) free for every
    staff user (meetings, their blocks) and provider (appointments, blocks, time away).

    Users who are providers bring their provider calendar too. One candidate per free stretch.
    """
    user_ids = _pks(users)
    provider_ids = set(_pks(providers))
    if user_ids:
        provider_ids |= set(
            Provider.objects.filter(user_id__in=user_ids).values_list("pk", flat=True)
        )
    lo = to_instant(start, dt.time(0), time_zone)
    hi = to_instant(end + dt.timedelta(days=1), dt.time(0), time_zone)
    busy = Busy(
        [*_busy_of_users(user_ids, lo, hi), *_busy_of_providers(sorted(provider_ids), lo, hi)]
    )
    return free_times.common_free_times(
        busy,
        first=start,
        last=end,
        minutes=minutes,
        day_start=day_start,
        day_end=day_end,
        time_zone=time_zone,
        limit=limit,
        not_before=data.now(),
    )
