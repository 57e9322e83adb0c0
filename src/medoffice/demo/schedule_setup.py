"""The demo practice's scheduling set-up: types, rooms, sessions, closures, blocks, on-call.

Written straight to the tables in bulk (the demo is a seeding tool, like the patient bulk
import), from ``schedule_spec``; returns the ``Layout`` the appointment planner works from.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from medoffice.demo import schedule_spec as spec
from medoffice.demo.holidays import holidays_between
from medoffice.demo.schedule_plan import Closed, SessionRow, TypeInfo
from medoffice.scheduling.choices import BlockKind, ExceptionKind
from medoffice.scheduling.models import (
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeInstruction,
    AppointmentTypeResource,
    Block,
    OnCallShift,
    Resource,
    ScheduleException,
    ScheduleSession,
    StaffMeeting,
)

DESK_LOGINS = {"main": "frontdesk", "north": "frontdesk2"}
MEETING = ("Monthly staff meeting", dt.time(12, 10), dt.time(12, 50))


@dataclass
class Layout:
    """Ids of what the set-up wrote, as the planner needs them."""

    time_zone: str
    first: dt.date
    last: dt.date
    desk_day: dt.date  # the scripted day: today, or the next day the office is open
    providers: dict[str, int]  # last name -> id
    locations: dict[str, int]  # code -> id
    types: dict[str, TypeInfo]  # code -> type
    resources: dict[int, dict[str, list[int]]]  # location id -> kind -> ids
    sessions: list[SessionRow] = field(default_factory=list)
    closed: list[Closed] = field(default_factory=list)
    desk_users: dict[int, int] = field(default_factory=dict)  # location id -> booking user
    holidays: list[tuple[dt.date, str]] = field(default_factory=list)

    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone())


def _uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def desk_day(today: dt.date, closed_days: set[dt.date]) -> dt.date:
    day = today
    while day.weekday() >= 5 or day in closed_days:
        day += dt.timedelta(days=1)
    return day


def set_up(ctx: Any, today: dt.date, days: int, rng: random.Random) -> Layout:
    """Everything but appointments for ``ctx``'s practice, ``days`` back and ahead of today."""
    first, last = today - dt.timedelta(days=days), today + dt.timedelta(days=days)
    zone = ctx.locations["main"].time_zone
    holidays = holidays_between(first, last + dt.timedelta(days=14))
    layout = Layout(
        time_zone=zone,
        first=first,
        last=last,
        desk_day=desk_day(today, {day for day, _ in holidays}),
        providers={p.last_name: p.pk for p in ctx.providers},
        locations={code: place.pk for code, place in ctx.locations.items()},
        types={},
        resources={},
        holidays=holidays,
    )
    _types(layout)
    _resources(layout)
    _sessions(layout)
    _exceptions(layout)
    _blocks(layout, rng)
    _meetings(layout, rng)
    _on_call(layout)
    users = get_user_model().objects.filter(username__in=DESK_LOGINS.values())
    by_name = {u.username: u.pk for u in users}
    layout.desk_users = {
        layout.locations[site]: by_name[name]
        for site, name in DESK_LOGINS.items()
        if name in by_name
    }
    return layout


def _types(layout: Layout) -> None:
    made = AppointmentType.objects.bulk_create(
        AppointmentType(
            name=t.name,
            code=t.code,
            default_minutes=t.minutes,
            color=t.color,
            needs_referral=t.needs_referral,
            needs_prior_authorization=t.needs_prior_authorization,
            new_patients_only=t.new_patients_only,
            service_type_codes=t.service_type_codes,
        )
        for t in spec.TYPES
    )
    ids = {t.code: row.pk for t, row in zip(spec.TYPES, made, strict=True)}
    doctors = layout.providers
    Through = AppointmentType.providers.through
    Through.objects.bulk_create(
        Through(appointmenttype_id=ids[t.code], provider_id=doctors[name])
        for t in spec.TYPES
        for name in t.providers
    )
    AppointmentTypeDuration.objects.bulk_create(
        AppointmentTypeDuration(
            appointment_type_id=ids[t.code], provider_id=doctors[name], minutes=minutes
        )
        for t in spec.TYPES
        for name, minutes in t.own_minutes.items()
    )
    AppointmentTypeResource.objects.bulk_create(
        AppointmentTypeResource(appointment_type_id=ids[t.code], kind=kind)
        for t in spec.TYPES
        for kind in t.needs
    )
    AppointmentTypeInstruction.objects.bulk_create(
        AppointmentTypeInstruction(appointment_type_id=ids[t.code], language=language, text=text)
        for t in spec.TYPES
        if t.prep[0]
        for language, text in zip(("en", "es"), t.prep, strict=True)
    )
    for t in spec.TYPES:
        layout.types[t.code] = TypeInfo(
            id=ids[t.code],
            code=t.code,
            minutes=t.minutes,
            own_minutes={doctors[n]: m for n, m in t.own_minutes.items()},
            needs=tuple(str(kind) for kind in t.needs),
            lead_days=t.lead_days,
            new_patient=t.new_patients_only,
        )


def _resources(layout: Layout) -> None:
    rows = [
        Resource(location_id=layout.locations[site], name=name, kind=kind)
        for site, items in spec.RESOURCES.items()
        for name, kind in items
    ]
    for row in Resource.objects.bulk_create(rows):
        kinds = layout.resources.setdefault(row.location_id, {})
        kinds.setdefault(row.kind, []).append(row.pk)


def _starts_on(layout: Layout, s: spec.SessionSpec) -> dt.date:
    """The first day of the range; an every-other-week session starts on its own week."""
    if s.every_weeks == 1:
        return layout.first
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(s.days.split(",")[0])
    first = layout.first + dt.timedelta(days=(weekday - layout.first.weekday()) % 7)
    return first + dt.timedelta(weeks=s.week_offset)


def _sessions(layout: Layout) -> None:
    rows = [
        ScheduleSession(
            provider_id=layout.providers[s.provider],
            location_id=layout.locations[s.site],
            label=s.label,
            rrule=s.rrule,
            starts_on=_starts_on(layout, s),
            start_time=s.start,
            end_time=s.end,
            slot_minutes=s.grid,
            overbook_limit=s.overbook_limit,
        )
        for s in spec.SESSIONS
    ]
    made = ScheduleSession.objects.bulk_create(rows)
    Through = ScheduleSession.appointment_types.through
    Through.objects.bulk_create(
        Through(schedulesession_id=row.pk, appointmenttype_id=layout.types[code].id)
        for s, row in zip(spec.SESSIONS, made, strict=True)
        for code in s.types
    )
    for s, row in zip(spec.SESSIONS, made, strict=True):
        layout.sessions.append(
            SessionRow(
                key=row.pk,
                provider=row.provider_id,
                location=row.location_id,
                time_zone=layout.time_zone,
                rrule=row.rrule,
                starts_on=row.starts_on,
                ends_on=None,
                start=s.start,
                end=s.end,
                grid=s.grid,
                types=frozenset(layout.types[code].id for code in s.types),
                label=s.label,
                overbook_limit=s.overbook_limit,
            )
        )


def _exceptions(layout: Layout) -> None:
    rows = [
        ScheduleException(
            kind=ExceptionKind.HOLIDAY,
            starts_at=layout.at(day, 0),
            ends_at=layout.at(day + dt.timedelta(days=1), 0),
            note=name,
        )
        for day, name in layout.holidays
    ]
    who, weeks = spec.VACATION
    monday = (
        layout.desk_day - dt.timedelta(days=layout.desk_day.weekday()) + dt.timedelta(weeks=weeks)
    )
    rows.append(
        ScheduleException(
            kind=ExceptionKind.VACATION,
            provider_id=layout.providers[who],
            starts_at=layout.at(monday, 0),
            ends_at=layout.at(monday + dt.timedelta(days=5), 0),
            note="Vacation",
        )
    )
    for row in ScheduleException.objects.bulk_create(rows):
        layout.closed.append(Closed(row.starts_at, row.ends_at, row.provider_id, row.location_id))


def _weekly(layout: Layout, weekday: int) -> list[dt.date]:
    day = layout.first + dt.timedelta(days=(weekday - layout.first.weekday()) % 7)
    days = []
    while day <= layout.last:
        days.append(day)
        day += dt.timedelta(weeks=1)
    return days


def _blocks(layout: Layout, rng: random.Random) -> None:
    rows = []
    for b in spec.BLOCKS:
        group = _uid(rng)
        rows += [
            Block(
                provider_id=layout.providers[b.provider],
                kind=b.kind,
                title=b.title,
                starts_at=dt.datetime.combine(day, b.start, tzinfo=layout.zone()),
                ends_at=dt.datetime.combine(day, b.end, tzinfo=layout.zone()),
                group=group,
            )
            for day in _weekly(layout, b.weekday)
        ]
    for row in Block.objects.bulk_create(rows):
        layout.closed.append(Closed(row.starts_at, row.ends_at, provider=row.provider_id))


def _first_wednesdays(layout: Layout) -> list[dt.date]:
    return [day for day in _weekly(layout, 2) if day.day <= 7]


def _meetings(layout: Layout, rng: random.Random) -> None:
    """The monthly staff meeting over lunch: every login attends; providers' calendars blocked."""
    users = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
    organizer = next((u for u in users if u.username == "manager"), None)
    title, start, end = MEETING
    blocks = []
    for day in _first_wednesdays(layout):
        meeting = StaffMeeting.objects.create(
            uid=_uid(rng),
            title=title,
            starts_at=dt.datetime.combine(day, start, tzinfo=layout.zone()),
            ends_at=dt.datetime.combine(day, end, tzinfo=layout.zone()),
            location_id=layout.locations["main"],
            organizer=organizer,
        )
        meeting.attendees.set(users)
        blocks += [
            Block(provider_id=pk, kind=BlockKind.MEETING, title=title, group=meeting.uid,
                  starts_at=meeting.starts_at, ends_at=meeting.ends_at)
            for pk in layout.providers.values()
        ]  # fmt: skip
    for row in Block.objects.bulk_create(blocks):
        layout.closed.append(Closed(row.starts_at, row.ends_at, provider=row.provider_id))


def _on_call(layout: Layout) -> None:
    """Weeknights in turn among the physicians; the weekend (Fri 17:00-Mon 08:00) by week."""
    doctors = spec.ON_CALL
    rows = []
    day = layout.first
    while day <= layout.last:
        weekday = day.weekday()
        if weekday < 4:
            who = doctors[day.toordinal() % len(doctors)]
            ends = layout.at(day + dt.timedelta(days=1), 8)
        elif weekday == 4:
            who = doctors[(day.toordinal() // 7) % len(doctors)]
            ends = layout.at(day + dt.timedelta(days=3), 8)
        else:
            day += dt.timedelta(days=1)
            continue
        rows.append(
            OnCallShift(
                provider_id=layout.providers[who],
                starts_at=layout.at(day, 17),
                ends_at=ends,
                phone=spec.ON_CALL_PHONES[who],
                note="Weekend" if weekday == 4 else "Weeknight",
            )
        )
        day += dt.timedelta(days=1)
    OnCallShift.objects.bulk_create(rows)
