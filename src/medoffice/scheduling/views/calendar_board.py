"""What the calendar pages show, read with one query per kind of data.

``day_board`` is the front desk's main screen: a column per provider working at a location that
day (a session there, or appointments there). ``week_board`` is one provider's week. Both give a
``Board`` with the ids shown (for the audit) and a version: the live refresh sends nothing back
while the version is unchanged, so the desk's focus and scroll stay where they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from medoffice.practice.models import Location, Provider
from medoffice.scheduling import queries
from medoffice.scheduling.models import Block, ScheduleException, ScheduleSession
from medoffice.scheduling.views import calendar_layout as lay
from medoffice.scheduling.views.calendar_columns import Column, ColumnBuilder, Span
from medoffice.scheduling.views.calendar_drawn import DrawnAppointment, drawn_appointments
from medoffice.scheduling.views.calendar_links import Links

WEEKEND = (5, 6)


@dataclass
class Board:
    columns: list[Column]
    marks: list[lay.Mark]
    rows: int
    zone: zoneinfo.ZoneInfo
    idle: list[Provider]  # linked to the location but not working there that day
    version: str

    @property
    def appointment_ids(self) -> list[int]:
        return [card.appointment.pk for column in self.columns for card in column.cards]

    @property
    def patient_ids(self) -> list[int]:
        return sorted(
            {card.appointment.patient_id for column in self.columns for card in column.cards}
        )


def _works_there() -> Exists:
    """Sessions count only where the provider still works (as the slot search has it)."""
    return Exists(
        Provider.locations.through.objects.filter(
            provider_id=OuterRef("provider_id"), location_id=OuterRef("location_id")
        )
    )


def _builder(
    provider_ids: Sequence[int],
    days: Sequence[dt.date],
    bounds: tuple[dt.datetime, dt.datetime],
    appointments: list[DrawnAppointment],
    zone: zoneinfo.ZoneInfo,
    links: Links,
    now: dt.datetime,
) -> ColumnBuilder:
    low, high = bounds
    sessions = (
        ScheduleSession.objects.filter(
            _works_there(),
            Q(ends_on__isnull=True) | Q(ends_on__gte=days[0]),
            provider_id__in=provider_ids,
            active=True,
            location__active=True,
            starts_on__lte=days[-1],
        )
        .select_related("location")
        .order_by("start_time", "pk")
    )
    exceptions = ScheduleException.objects.filter(starts_at__lt=high, ends_at__gt=low).filter(
        Q(provider_id__in=provider_ids) | Q(provider__isnull=True)
    )
    blocks = Block.objects.filter(provider_id__in=provider_ids, starts_at__lt=high, ends_at__gt=low)
    return ColumnBuilder(
        sessions=list(sessions),
        exceptions=list(exceptions),
        blocks=list(blocks),
        appointments=appointments,
        zone=zone,
        links=links,
        now=now,
    )


def _spans(builder: ColumnBuilder, provider_id: int, day: dt.date, here: int | None) -> list[Span]:
    """What a column must show whole: its sessions (at ``here``) and its appointments."""
    windows = builder.windows(provider_id, day)
    spans = [(w.starts_at, w.ends_at) for w in windows if here in (None, w.session.location_id)]
    low, high = lay.day_bounds(day, builder.zone)
    spans += [(a.starts_at, a.ends_at) for a in builder.appointments_on(provider_id, low, high)]
    return spans


def day_board(location: Location, day: dt.date, *, links: Links, now: dt.datetime) -> Board:
    """Every provider working at ``location`` on ``day``, by last name."""
    zone = zoneinfo.ZoneInfo(location.time_zone)
    bounds = lay.day_bounds(day, zone)
    linked = list(
        Provider.objects.filter(active=True, locations=location).order_by(
            "last_name", "first_name", "pk"
        )
    )
    appointments = drawn_appointments(Q(location=location) & queries.overlapping(*bounds))
    booked_ids = {a.provider_id for a in appointments}
    others = booked_ids - {p.pk for p in linked}
    staff = linked + (list(Provider.objects.filter(pk__in=others)) if others else [])
    builder = _builder([p.pk for p in staff], [day], bounds, appointments, zone, links, now)
    working = [
        p
        for p in staff
        if p.pk in booked_ids
        or any(w.session.location_id == location.pk for w in builder.windows(p.pk, day))
    ]
    working.sort(key=lambda p: (p.last_name.lower(), p.first_name.lower(), p.pk))
    spans = [s for p in working for s in _spans(builder, p.pk, day, location.pk)]
    axis = lay.axis_for(day, zone, spans)
    columns = [builder.column(p, day, axis, here=location.pk) for p in working]
    idle = [p for p in linked if p not in working]
    return Board(columns, axis.marks(), axis.rows, zone, idle, _version(columns))


def week_of(day: dt.date) -> list[dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=n) for n in range(7)]


def provider_zone(provider: Provider, location: Location | None) -> zoneinfo.ZoneInfo:
    """The week's clock: the chosen location's, else the provider's first location's."""
    if location is None:
        location = provider.locations.order_by("name", "pk").first()
    return zoneinfo.ZoneInfo(location.time_zone if location else settings.TIME_ZONE)


def week_board(
    provider: Provider,
    day: dt.date,
    *,
    zone: zoneinfo.ZoneInfo,
    location: Location | None,
    links: Links,
    now: dt.datetime,
) -> Board:
    """One provider's week (Monday to Friday, and weekend days with anything on them)."""
    days = week_of(day)
    bounds = (lay.day_bounds(days[0], zone)[0], lay.day_bounds(days[-1], zone)[1])
    where = Q(provider=provider) & queries.overlapping(*bounds)
    if location is not None:
        where &= Q(location=location)
    appointments = drawn_appointments(where)
    builder = _builder([provider.pk], days, bounds, appointments, zone, links, now)
    here = location.pk if location is not None else None
    spans = {d: _spans(builder, provider.pk, d, here) for d in days}
    shown = [d for d in days if d.weekday() not in WEEKEND or spans[d]]
    axes = lay.common_axes([lay.axis_for(d, zone, spans[d]) for d in shown], shown)
    columns = [
        builder.column(provider, d, axis, here=here) for d, axis in zip(shown, axes, strict=True)
    ]
    return Board(columns, axes[0].marks(), axes[0].rows, zone, [], _version(columns))


def _version(columns: Sequence[Column]) -> str:
    """A fingerprint of everything drawn: the same fingerprint, the same page."""
    digest = hashlib.blake2b(digest_size=10)
    for column in columns:
        slots = [slot.key for slot in column.slots]
        digest.update(repr((column.key, column.now, column.shades, slots)).encode())
        for card in column.cards:
            a = card.appointment
            drawn = (
                card.key, a.status, a.starts_at, a.ends_at, a.overbook, a.patient.display_name,
                a.appointment_type_id, card.place, card.lane, card.risk, card.overbook_ok,
            )  # fmt: skip
            digest.update(repr(drawn).encode())
    return digest.hexdigest()
