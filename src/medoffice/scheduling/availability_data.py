"""What a slot search reads from the database: one query per kind of data for the range.

Only the columns the rules need are fetched (``values_list``), each filter follows an index
((provider, starts_at), (resource, starts_at), (starts_at, ends_at)), and appointments are
bounded below by their longest possible length so the index range stays short.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import BigIntegerField, Exists, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from medoffice.practice.models import Provider
from medoffice.scheduling import queries
from medoffice.scheduling.choices import HOLDING_TIME
from medoffice.scheduling.models import (
    Appointment,
    AppointmentResource,
    AppointmentType,
    AppointmentTypeDuration,
    Block,
    Resource,
    ScheduleException,
    ScheduleSession,
)
from medoffice.scheduling.rules.slots import Busy, Interval, Session

# Appointments last at most 8 hours (services.MAX_MINUTES): an appointment overlapping a range
# starts at most that long before it, which bounds the index scan.
SESSION_COLUMNS = (
    "pk", "provider_id", "location_id", "location__time_zone", "rrule", "starts_on", "ends_on",
    "start_time", "end_time", "slot_minutes", "label", "overbook_limit",
)  # fmt: skip


def now() -> dt.datetime:
    """The current instant: slots before it are never offered (tests pin it)."""
    return timezone.now()


def _works_there() -> Exists:
    return Exists(
        Provider.locations.through.objects.filter(
            provider_id=OuterRef("provider_id"), location_id=OuterRef("location_id")
        )
    )


def _sees_type(appointment_type: AppointmentType) -> Q:
    named = AppointmentType.providers.through.objects.filter(appointmenttype_id=appointment_type.pk)
    return Q(provider_id__in=named.values("provider_id")) | Q(~Exists(named))


def load_sessions(
    *,
    first: dt.date,
    last: dt.date,
    provider_ids: Iterable[int] | None = None,
    location_id: int | None = None,
    appointment_type: AppointmentType | None = None,
) -> list[Session]:
    """Active sessions in [first, last] of active providers at locations they work at.

    With ``appointment_type``: only providers who see that type (sessions reserved for other
    types are still returned; the rules skip them, ``booking_problem`` names them).
    """
    qs: QuerySet[ScheduleSession] = ScheduleSession.objects.filter(
        _works_there(),
        Q(ends_on__isnull=True) | Q(ends_on__gte=first),
        active=True,
        provider__active=True,
        location__active=True,
        starts_on__lte=last,
    )
    if provider_ids is not None:
        qs = qs.filter(provider_id__in=list(provider_ids))
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if appointment_type is not None:
        qs = qs.filter(_sees_type(appointment_type))
    # one row per reserved type (or one with None): the reservations come in the same query
    ordered = qs.order_by("provider_id", "start_time", "pk")
    rows: dict[int, tuple[Any, ...]] = {}
    reserved: dict[int, set[int]] = defaultdict(set)
    for *row, type_id in ordered.values_list(*SESSION_COLUMNS, "appointment_types"):
        rows.setdefault(row[0], tuple(row))
        if type_id is not None:
            reserved[row[0]].add(type_id)
    return [session_from_row(row, frozenset(reserved.get(pk, ()))) for pk, row in rows.items()]


def session_from_row(row: tuple[Any, ...], type_ids: frozenset[int]) -> Session:
    pk, provider_id, location_id, time_zone, rrule, starts_on, ends_on = row[:7]
    start_time, end_time, slot_minutes, label, overbook_limit = row[7:]
    return Session(
        id=pk,
        provider_id=provider_id,
        location_id=location_id,
        time_zone=time_zone,
        rrule=rrule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        label=label,
        type_ids=type_ids,
        overbook_limit=overbook_limit,
    )


def durations(appointment_type: AppointmentType) -> dict[int, int]:
    """Providers' own lengths for the type (others take the type's default)."""
    return dict(
        AppointmentTypeDuration.objects.filter(appointment_type=appointment_type).values_list(
            "provider_id", "minutes"
        )
    )


@dataclass
class ProviderBusy:
    """Busy time of providers over a range, per provider and per location closure."""

    by_provider: dict[int, list[Interval]] = field(default_factory=lambda: defaultdict(list))
    by_location: dict[int, list[Interval]] = field(default_factory=lambda: defaultdict(list))
    everyone: list[Interval] = field(default_factory=list)
    _cache: dict[tuple[int, int], Busy] = field(default_factory=dict)

    def at(self, provider_id: int, location_id: int) -> Busy:
        key = (provider_id, location_id)
        if key not in self._cache:
            self._cache[key] = Busy(
                self.by_provider.get(provider_id, [])
                + self.by_location.get(location_id, [])
                + self.everyone
            )
        return self._cache[key]


def _overlapping(qs: QuerySet, lo: dt.datetime, hi: dt.datetime) -> QuerySet:
    return qs.filter(starts_at__lt=hi, ends_at__gt=lo)


class Epoch(Func):
    """Whole seconds since 1970 of an instant.

    A 90-day search over a full calendar reads thousands of appointments; integers cross the
    driver several times cheaper than datetimes (which SQLite keeps as text and Django parses
    and makes aware one by one), and appointments start on whole minutes anyway.
    """

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday, not strftime('%s'): a literal %s would be taken for a query parameter
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, **extra)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def keyed_intervals(qs: QuerySet, key: str) -> list[tuple[int, dt.datetime, dt.datetime]]:
    """``(key, starts_at, ends_at)`` of the rows, read as epoch seconds straight off the cursor
    (integers need none of Django's per-value converters)."""
    query = qs.order_by().values_list(key, Epoch("starts_at"), Epoch("ends_at")).query
    sql, params = query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    second = dt.timedelta(seconds=1)
    return [
        (int(k), EPOCH + int(start) * second, EPOCH + int(end) * second) for k, start, end in rows
    ]


def load_busy(provider_ids: list[int], lo: dt.datetime, hi: dt.datetime) -> ProviderBusy:
    """Appointments holding time, blocks and exceptions of the providers over [lo, hi)."""
    busy = ProviderBusy()
    if not provider_ids:
        return busy
    appointments = Appointment.objects.filter(
        queries.overlapping(lo, hi), provider_id__in=provider_ids, status__in=HOLDING_TIME
    )
    blocks = _overlapping(Block.objects.filter(provider_id__in=provider_ids), lo, hi)
    for qs in (appointments, blocks):
        for provider_id, start, end in keyed_intervals(qs, "provider_id"):
            busy.by_provider[provider_id].append((start, end))
    exceptions = _overlapping(
        ScheduleException.objects.filter(
            Q(provider_id__in=provider_ids) | Q(provider__isnull=True)
        ),
        lo,
        hi,
    ).values_list("provider_id", "location_id", "starts_at", "ends_at")
    for provider_id, location_id, start, end in exceptions:
        if provider_id is not None:
            busy.by_provider[provider_id].append((start, end))  # any location: they're away
        elif location_id is not None:
            busy.by_location[location_id].append((start, end))
        else:
            busy.everyone.append((start, end))
    return busy


def load_resources(
    kinds: list[str], location_ids: Iterable[int], lo: dt.datetime, hi: dt.datetime
) -> dict[int, list[list[Busy]]]:
    """Per location: for each needed kind (in ``kinds`` order), each resource's busy times."""
    if not kinds:
        return {}
    wanted = set(location_ids)
    rows = list(
        Resource.objects.filter(active=True, kind__in=kinds, location_id__in=wanted)
        .order_by("pk")
        .values_list("pk", "location_id", "kind")
    )
    taken: dict[int, list[Interval]] = defaultdict(list)
    ids = [pk for pk, _, _ in rows]
    if ids:
        uses = AppointmentResource.objects.filter(
            queries.overlapping(lo, hi), resource_id__in=ids, holds_time=True
        )
        blocks = _overlapping(Block.objects.filter(resource_id__in=ids), lo, hi)
        for qs in (uses, blocks):
            for resource_id, start, end in keyed_intervals(qs, "resource_id"):
                taken[resource_id].append((start, end))
    found: dict[int, list[list[Busy]]] = {}
    for location_id in wanted:
        found[location_id] = [
            [Busy(taken[pk]) for pk, at, kind_ in rows if at == location_id and kind_ == kind]
            for kind in kinds
        ]
    return found
