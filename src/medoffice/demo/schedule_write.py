"""Writing a planned calendar in bulk: series, appointments, resource uses, history, waitlist.

Rows go straight to the tables (the database's double-booking constraints still check every
one), with the visit timeline a real day leaves (booked, confirmed, arrived, roomed, with
provider, checked out; or cancelled, or no-show) and one audit entry per batch, as the patient
bulk import writes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.demo.schedule_plan import Planned
from medoffice.demo.schedule_script import SeriesPlan, WaitPlan
from medoffice.scheduling.choices import AppointmentEventKind, AppointmentStatus
from medoffice.scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentResource,
    AppointmentSeries,
    WaitlistEntry,
)

S = AppointmentStatus
BATCH = 5_000
VISIT_STEPS = (S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT)


@dataclass
class Written:
    appointments: int = 0
    events: int = 0
    series: int = 0
    waitlist: int = 0
    ids: dict[int, int] = field(default_factory=dict)  # id(Planned) -> appointment id


def write_plan(
    visits: list[Planned],
    *,
    series: Sequence[SeriesPlan] = (),
    waitlist: Sequence[WaitPlan] = (),
    desk_users: dict[int, int] | None = None,
    types: dict[str, int] | None = None,
    events_rng: random.Random | None = None,
) -> Written:
    """Write everything; ``events_rng`` given: the visit timelines too (the demo)."""
    desk_users = desk_users or {}
    written = Written()
    series_ids = _series(series, types or {}, desk_users)
    written.series = len(series_ids)
    for start in range(0, len(visits), BATCH):
        batch = visits[start : start + BATCH]
        rows = _appointments(batch, series_ids, desk_users)
        made = Appointment.objects.bulk_create(rows)
        ids = [row.pk for row in made]
        written.ids.update((id(v), pk) for v, pk in zip(batch, ids, strict=True))
        AppointmentResource.objects.bulk_create(
            AppointmentResource(
                appointment_id=pk,
                resource_id=resource,
                starts_at=v.starts_at,
                ends_at=v.ends_at,
                holds_time=v.holds_time,
            )
            for v, pk in zip(batch, ids, strict=True)
            for resource in v.resources
        )
        if events_rng is not None:
            events = [
                e
                for v, pk in zip(batch, ids, strict=True)
                for e in timeline(v, pk, desk_users, events_rng)
            ]
            _insert_events(events)
            written.events += len(events)
        record(
            AuditAction.CREATE,
            target_type="scheduling.appointment",
            detail={"bulk": len(ids), "first_id": min(ids), "last_id": max(ids)},
        )
        written.appointments += len(ids)
    written.waitlist = _waitlist(waitlist, written.ids, types or {}, desk_users)
    return written


def _booked_at(v: Planned) -> dt.datetime:
    assert v.booked_at is not None, "a planned visit is written once it is booked"
    return v.booked_at


def _appointments(
    batch: list[Planned], series_ids: list[int], desk_users: dict[int, int]
) -> list[Appointment]:
    return [
        Appointment(
            patient_id=v.patient,
            provider_id=v.provider,
            location_id=v.location,
            appointment_type_id=v.type.id,
            starts_at=v.starts_at,
            ends_at=v.ends_at,
            status=v.status,
            overbook=v.overbook,
            reason=v.reason,
            note=v.note,
            series_id=series_ids[v.series] if v.series is not None else None,
            cancel_reason=v.cancel_reason,
            booked_at=_booked_at(v),
            booked_by_id=desk_users.get(v.location),
        )
        for v in batch
    ]


def _series(
    plans: Sequence[SeriesPlan], types: dict[str, int], desk_users: dict[int, int]
) -> list[int]:
    rows = AppointmentSeries.objects.bulk_create(
        AppointmentSeries(
            patient_id=p.patient,
            provider_id=p.provider,
            location_id=p.location,
            appointment_type_id=types[p.type_code],
            rrule=p.rrule,
            first_starts_at=p.first_starts_at,
            created_at=p.created_at,
            created_by_id=desk_users.get(p.location),
        )
        for p in plans
    )
    return [row.pk for row in rows]


def _waitlist(
    plans: Sequence[WaitPlan],
    ids: dict[int, int],
    types: dict[str, int],
    desk_users: dict[int, int],
) -> int:
    by = next(iter(desk_users.values()), None)
    rows = WaitlistEntry.objects.bulk_create(
        WaitlistEntry(
            patient_id=w.patient,
            appointment_type_id=types[w.type_code],
            provider_id=w.provider,
            earliest_date=w.earliest,
            latest_date=w.latest,
            weekdays=w.weekdays,
            earliest_time=w.earliest_time,
            latest_time=w.latest_time,
            current_appointment_id=ids.get(id(w.current)) if w.current else None,
            booked_appointment_id=ids.get(id(w.booked)) if w.booked else None,
            status=w.status,
            note=w.note,
            created_at=w.created_at,
            created_by_id=by,
        )
        for w in plans
    )
    return len(rows)


EVENT_COLUMNS = ("appointment_id", "kind", "at", "by_id", "from_status", "to_status", "detail")
Event = tuple[int, str, dt.datetime, "int | None", str, str, dict[str, str]]


def _insert_events(events: list[Event]) -> None:
    """Many rows in one ``executemany``: model instances would cost ten times as long."""
    ops = connection.ops
    table = ops.quote_name(AppointmentEvent._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in EVENT_COLUMNS)
    marks = ", ".join(["%s"] * len(EVENT_COLUMNS))
    rows = [
        (
            pk,
            kind,
            ops.adapt_datetimefield_value(at),
            by,
            before,
            after,
            ops.adapt_json_value(detail, None),
        )
        for pk, kind, at, by, before, after, detail in events
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def _minutes(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(minutes=rng.randint(low, high))


def timeline(v: Planned, pk: int, desk_users: dict[int, int], rng: random.Random) -> list[Event]:
    """The events a visit leaves: booked, then confirmed, cancelled, missed or seen."""
    assert v.booked_at is not None
    by = desk_users.get(v.location)
    events: list[Event] = [(pk, AppointmentEventKind.BOOKED, v.booked_at, by, "", S.BOOKED, {})]
    status: str = S.BOOKED

    def step(kind: str, at: dt.datetime, to: str, **detail: str) -> None:
        nonlocal status
        events.append((pk, kind, at, by, status, to, detail))
        status = to

    if v.confirmed:
        day_before = v.starts_at - dt.timedelta(days=1)
        step(
            AppointmentEventKind.STATUS,
            max(day_before, v.booked_at + _minutes(rng, 1, 30)),
            S.CONFIRMED,
        )
    if v.status == S.CANCELLED and v.cancelled_at is not None:
        step(AppointmentEventKind.CANCELLED, v.cancelled_at, S.CANCELLED, reason=v.cancel_reason)
    elif v.status == S.NO_SHOW:
        step(AppointmentEventKind.STATUS, v.starts_at + _minutes(rng, 15, 30), S.NO_SHOW)
    elif v.status == S.CHECKED_OUT:
        at = v.starts_at - _minutes(rng, 2, 20)
        for to in VISIT_STEPS:
            if to == S.CHECKED_OUT:
                at = max(at, v.ends_at)
            step(AppointmentEventKind.STATUS, at, to)
            at += _minutes(rng, 2, 14)
    return events
