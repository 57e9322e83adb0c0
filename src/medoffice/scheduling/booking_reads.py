"""The reads of one booking, in plain SQL (part of the booking service and ``booking_problem``).

A booking asks six small questions (may this provider take the type here and for how long, is
an exception or a block in the way, which sessions cover the day, which appointment is in the
way, which rooms does the type need). Each is one indexed lookup; through the ORM, building the
query cost several times more than running it (the scheduling benchmark measured ~70 % of a
booking's time in query compilation). Written once here as parameterized SQL that runs on both
SQLite and PostgreSQL; the tests check these answers against the ORM readers they shortcut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from medoffice.practice.models import Location, Provider
from medoffice.scheduling import queries
from medoffice.scheduling.choices import HOLDING_TIME
from medoffice.scheduling.models import (
    Appointment,
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeResource,
    Block,
    ScheduleException,
    ScheduleSession,
)
from medoffice.scheduling.rules.slots import Session


def _table(model: Any) -> str:
    return str(model._meta.db_table)


TYPE_PROVIDERS = _table(AppointmentType.providers.through)
PROVIDER_LOCATIONS = _table(Provider.locations.through)
SESSION_TYPES = _table(ScheduleSession.appointment_types.through)
HOLDING = tuple(str(s) for s in HOLDING_TIME)

FIT_SQL = f"""
SELECT
  EXISTS(SELECT 1 FROM {TYPE_PROVIDERS} WHERE appointmenttype_id = %s),
  EXISTS(SELECT 1 FROM {TYPE_PROVIDERS} WHERE appointmenttype_id = %s AND provider_id = %s),
  EXISTS(SELECT 1 FROM {PROVIDER_LOCATIONS} WHERE provider_id = %s AND location_id = %s),
  (SELECT minutes FROM {_table(AppointmentTypeDuration)}
    WHERE appointment_type_id = %s AND provider_id = %s)
"""

EXCEPTION_SQL = f"""
SELECT provider_id, kind, note FROM {_table(ScheduleException)}
WHERE starts_at < %s AND ends_at > %s
  AND (provider_id = %s OR provider_id IS NULL)
  AND (location_id = %s OR location_id IS NULL OR provider_id = %s)
ORDER BY starts_at, id LIMIT 1
"""

BLOCK_SQL = f"""
SELECT kind, title FROM {_table(Block)}
WHERE provider_id = %s AND starts_at < %s AND ends_at > %s
ORDER BY starts_at, id LIMIT 1
"""

SESSIONS_SQL = f"""
SELECT s.id, s.provider_id, s.location_id, l.time_zone, s.rrule, s.starts_on, s.ends_on,
       s.start_time, s.end_time, s.slot_minutes, s.label, s.overbook_limit, t.appointmenttype_id
FROM {_table(ScheduleSession)} s
JOIN {_table(Location)} l ON l.id = s.location_id
JOIN {_table(Provider)} p ON p.id = s.provider_id
LEFT JOIN {SESSION_TYPES} t ON t.schedulesession_id = s.id
WHERE s.provider_id = %s AND s.location_id = %s
  AND s.active = %s AND p.active = %s AND l.active = %s
  AND s.starts_on <= %s AND (s.ends_on IS NULL OR s.ends_on >= %s)
  AND EXISTS(SELECT 1 FROM {PROVIDER_LOCATIONS} pl
             WHERE pl.provider_id = s.provider_id AND pl.location_id = s.location_id)
ORDER BY s.start_time, s.id
"""

CONFLICTS_SQL = f"""
SELECT id FROM {_table(Appointment)}
WHERE provider_id = %s AND overbook = %s AND status IN ({", ".join(["%s"] * len(HOLDING))})
  AND starts_at >= %s AND starts_at < %s AND ends_at > %s AND id <> %s
ORDER BY starts_at LIMIT 5
"""

RESOURCE_KINDS_SQL = f"""
SELECT kind FROM {_table(AppointmentTypeResource)} WHERE appointment_type_id = %s ORDER BY kind
"""


def _instant(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@dataclass(frozen=True)
class ProviderFit:
    """Whether a provider may take a type at a location, and for how long."""

    sees_type: bool
    works_there: bool
    minutes: int


def provider_fit(appointment_type: AppointmentType, provider: Any, location: Any) -> ProviderFit:
    t, p = appointment_type.pk, provider.pk
    ((named_any, named_this, works, own),) = _rows(FIT_SQL, [t, t, p, p, location.pk, t, p])
    return ProviderFit(
        sees_type=not named_any or bool(named_this),
        works_there=bool(works),
        minutes=int(own or appointment_type.default_minutes),
    )


def first_exception(
    provider_id: int, location_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> tuple[int | None, str, str] | None:
    """(provider id or None for the whole office, kind, note) of the earliest exception."""
    found = _rows(
        EXCEPTION_SQL,
        [_instant(ends_at), _instant(starts_at), provider_id, location_id, provider_id],
    )
    return (found[0][0], found[0][1], found[0][2]) if found else None


def first_block(
    provider_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> tuple[str, str] | None:
    """(kind, title) of the earliest block on the provider's calendar in the range."""
    found = _rows(BLOCK_SQL, [provider_id, _instant(ends_at), _instant(starts_at)])
    return (found[0][0], found[0][1]) if found else None


def sessions_on(provider_id: int, location_id: int, day: dt.date) -> list[Session]:
    """What ``availability_data.load_sessions`` returns for one provider, location and day."""
    from medoffice.scheduling.availability_data import session_from_row

    params = [provider_id, location_id, True, True, True, _day(day), _day(day)]
    rows: dict[int, tuple[Any, ...]] = {}
    reserved: dict[int, set[int]] = {}
    for *row, type_id in _rows(SESSIONS_SQL, params):
        rows.setdefault(row[0], tuple(row))
        if type_id is not None:
            reserved.setdefault(row[0], set()).add(type_id)
    return [session_from_row(row, frozenset(reserved.get(pk, ()))) for pk, row in rows.items()]


def conflicting_ids(
    provider_id: int, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None
) -> list[int]:
    """Up to five holding, non-overbook appointments of the provider overlapping the range."""
    params = [
        provider_id,
        False,
        *HOLDING,
        _instant(starts_at - queries.LONGEST_APPOINTMENT),
        _instant(ends_at),
        _instant(starts_at),
        exclude if exclude is not None else 0,
    ]
    return [row[0] for row in _rows(CONFLICTS_SQL, params)]


def resource_kinds_needed(appointment_type_id: int) -> list[str]:
    return [row[0] for row in _rows(RESOURCE_KINDS_SQL, [appointment_type_id])]
