"""A calendar column: one provider's day, built from data read once for the whole page.

A column holds session backgrounds, taken-out time (blocks, exceptions, sessions at another
location), open slots on each session's grid, and appointment cards placed in lanes when they
overlap (overbooks). No query runs here: ``calendar_board`` reads, this lays out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import SafeString

from medoffice.patients.templatetags.patients_tags import age_text
from medoffice.practice.models import Provider
from medoffice.scheduling.choices import HOLDING_TIME
from medoffice.scheduling.models import Block, ScheduleException, ScheduleSession
from medoffice.scheduling.rules.recurrence import occurrence_days
from medoffice.scheduling.views import calendar_layout as lay
from medoffice.scheduling.views.calendar_drawn import DrawnAppointment
from medoffice.scheduling.views.calendar_html import column_body
from medoffice.scheduling.views.calendar_links import Links

Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Window:
    """A session's occurrence on one day, as instants."""

    session: ScheduleSession
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class Shade:
    """A background: open session time, or time taken out (block, exception, elsewhere)."""

    kind: str  # "session" | "block" | "exception" | "away"
    label: str
    when: str
    place: lay.Place


@dataclass(frozen=True)
class Slot:
    key: str
    label: str  # "8:15" (the axis says AM or PM)
    full: str  # "8:15 AM"
    url: str
    place: lay.Place


@dataclass(frozen=True)
class Card:
    appointment: DrawnAppointment
    key: str
    url: str
    place: lay.Place
    lane: int  # first grid column (1-based)
    lane_span: int
    start: str
    when: str
    age: str
    risk: str
    risk_high: bool
    overbook_ok: bool
    where: str  # the location's name when the column spans several, else ""


@dataclass
class Column:
    key: str
    provider: Provider
    day: dt.date
    axis: lay.Axis
    shades: list[Shade]
    slots: list[Slot]
    cards: list[Card]
    lanes: int
    now: lay.Place | None

    def body(self) -> SafeString:
        """The column's inside as HTML (``calendar_html``: fast for 20 providers)."""
        return column_body(self)

    def agenda(self) -> list[Card | Shade]:
        """Appointments and taken-out time in time order (the printed day)."""
        taken = [shade for shade in self.shades if shade.kind != "session"]
        return sorted([*self.cards, *taken], key=lambda item: item.place.row)


def _overlaps(start: dt.datetime, end: dt.datetime, low: dt.datetime, high: dt.datetime) -> bool:
    return start < high and low < end


def _when(start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return f"{lay.time_label(start, zone)}\N{EN DASH}{lay.time_label(end, zone)}"


def _taken_label(item: Block | ScheduleException) -> tuple[str, str]:
    if isinstance(item, Block):
        return "block", item.title or item.get_kind_display()
    kind = item.get_kind_display()
    return "exception", f"{kind}: {item.note}" if item.note else kind


def _window_of(windows: list[Window], at: dt.datetime) -> Window | None:
    return next((w for w in windows if w.starts_at <= at < w.ends_at), None)


@dataclass(frozen=True)
class _Day:
    """One column being built: whose, which day, where it may be booked, and its clock."""

    provider_id: int
    axis: lay.Axis
    low: dt.datetime
    high: dt.datetime
    windows: list[Window]  # sessions that day, every location
    local: list[Window]  # those bookable in this column
    places: set[int]  # locations whose exceptions apply
    many: bool  # the provider works at several locations that day


class ColumnBuilder:
    """Builds columns from data read once for the whole board (no query here)."""

    def __init__(
        self,
        *,
        sessions: list[ScheduleSession],
        exceptions: list[ScheduleException],
        blocks: list[Block],
        appointments: list[DrawnAppointment],
        zone: zoneinfo.ZoneInfo,
        links: Links,
        now: dt.datetime,
    ) -> None:
        self.sessions: dict[int, list[ScheduleSession]] = defaultdict(list)
        for session in sessions:
            self.sessions[session.provider_id].append(session)
        self.blocks: dict[int | None, list[Block]] = defaultdict(list)
        for block in blocks:
            self.blocks[block.provider_id].append(block)
        self.appointments: dict[int, list[DrawnAppointment]] = defaultdict(list)
        for appointment in appointments:
            self.appointments[appointment.provider_id].append(appointment)
        self.exceptions = exceptions
        self.zone = zone
        self.links = links
        self.now = now

    def windows(self, provider_id: int, day: dt.date) -> list[Window]:
        """The provider's sessions on ``day``, each in its own location's clock."""
        found = []
        for session in self.sessions.get(provider_id, []):
            if occurrence_days(session.rrule, session.starts_on, session.ends_on, day, day):
                zone = zoneinfo.ZoneInfo(session.location.time_zone)
                start = lay.at_wall_clock(day, session.start_time, zone)
                end = lay.at_wall_clock(day, session.end_time, zone)
                if start < end:
                    found.append(Window(session, start, end))
        return found

    def appointments_on(
        self, provider_id: int, low: dt.datetime, high: dt.datetime
    ) -> list[DrawnAppointment]:
        return [
            a
            for a in self.appointments.get(provider_id, [])
            if _overlaps(a.starts_at, a.ends_at, low, high)
        ]

    def column(
        self, provider: Provider, day: dt.date, axis: lay.Axis, *, here: int | None
    ) -> Column:
        """One provider's day; ``here`` limits bookable sessions to one location (day view)."""
        low, high = lay.day_bounds(day, axis.zone)
        windows = self.windows(provider.pk, day)
        local = [w for w in windows if here in (None, w.session.location_id)]
        where = {w.session.location_id for w in windows}
        ctx = _Day(
            provider.pk, axis, low, high, windows, local,
            {here} if here is not None else where, len(where) > 1,
        )  # fmt: skip
        appointments = self.appointments_on(provider.pk, low, high)
        taken = self._taken(ctx)
        busy: list[Span] = [(item.starts_at, item.ends_at) for item in taken]
        busy += [(a.starts_at, a.ends_at) for a in appointments if a.holds_time and not a.overbook]
        lanes, cards = self._cards(ctx, appointments)
        return Column(
            key=f"col-{provider.pk}-{day:%Y%m%d}",
            provider=provider,
            day=day,
            axis=axis,
            shades=[*self._session_shades(ctx), *self._taken_shades(ctx, taken)],
            slots=self._slots(ctx, busy),
            cards=cards,
            lanes=lanes,
            now=axis.place(self.now, self.now + lay.STEP) if low <= self.now < high else None,
        )

    def _session_shades(self, ctx: _Day) -> list[Shade]:
        """Open session time here; sessions at another location are shaded "At North"."""
        shades = []
        for w in ctx.windows:
            place = ctx.axis.place(w.starts_at, w.ends_at)
            if place is None:
                continue
            when = _when(w.starts_at, w.ends_at, ctx.axis.zone)
            if w in ctx.local:
                label = w.session.label or (w.session.location.name if ctx.many else "")
                shades.append(Shade("session", label, when, place))
            else:
                shades.append(Shade("away", f"At {w.session.location.name}", when, place))
        return shades

    def _taken(self, ctx: _Day) -> list[Block | ScheduleException]:
        """The provider's blocks and the exceptions that apply to this column, that day."""
        found: list[Block | ScheduleException] = [
            b
            for b in self.blocks.get(ctx.provider_id, [])
            if _overlaps(b.starts_at, b.ends_at, ctx.low, ctx.high)
        ]
        for exception in self.exceptions:
            if exception.provider_id is not None:
                applies = exception.provider_id == ctx.provider_id  # away, wherever they work
            else:
                applies = exception.location_id is None or exception.location_id in ctx.places
            if applies and _overlaps(exception.starts_at, exception.ends_at, ctx.low, ctx.high):
                found.append(exception)
        return found

    def _taken_shades(self, ctx: _Day, taken: list[Block | ScheduleException]) -> list[Shade]:
        shades = []
        for item in taken:
            place = ctx.axis.place(item.starts_at, item.ends_at)
            if place is not None:
                kind, label = _taken_label(item)
                shades.append(
                    Shade(kind, label, _when(item.starts_at, item.ends_at, ctx.axis.zone), place)
                )
        return shades

    def _slots(self, ctx: _Day, busy: list[Span]) -> list[Slot]:
        """Free cells of each bookable session's grid, from now on."""
        slots = []
        for w in ctx.local:
            window = (w.starts_at, w.ends_at)
            minutes = w.session.slot_minutes
            for start, end in lay.open_starts(window, minutes, busy, not_before=self.now):
                place = ctx.axis.place(start, end)
                if place is not None:
                    slots.append(
                        Slot(
                            key=f"slot-{ctx.provider_id}-{int(start.timestamp())}",
                            label=lay.short_time(start, ctx.axis.zone),
                            full=lay.time_label(start, ctx.axis.zone),
                            url=self.links.slot(ctx.provider_id, w.session.location_id, start),
                            place=place,
                        )
                    )
        return slots

    def _cards(self, ctx: _Day, appointments: list[DrawnAppointment]) -> tuple[int, list[Card]]:
        """The cards, side by side where they overlap, and the grid columns that needs."""
        spans = [(a.starts_at, a.ends_at) for a in appointments]
        columns, lanes = lay.lane_columns(lay.lanes(spans))
        overbooks: dict[int, int] = defaultdict(int)  # per session window: overbooks held
        for other in appointments:
            window = _window_of(ctx.local, other.starts_at)
            if window is not None and other.overbook and other.status in HOLDING_TIME:
                overbooks[id(window)] += 1
        cards = []
        for appointment, lane in zip(appointments, lanes, strict=True):
            place = ctx.axis.place(appointment.starts_at, appointment.ends_at)
            if place is not None:
                cards.append(self._card(ctx, appointment, place, lane, overbooks))
        return columns, cards

    def _card(
        self, ctx: _Day, appointment: DrawnAppointment, place: lay.Place, lane: tuple[int, int],
        overbooks: dict[int, int],
    ) -> Card:  # fmt: skip
        window = _window_of(ctx.local, appointment.starts_at)
        limit = window.session.overbook_limit if window is not None else 0
        used = overbooks.get(id(window), 0)
        risk = appointment.no_show_risk
        zone = ctx.axis.zone
        return Card(
            appointment=appointment,
            key=f"appt-{appointment.pk}",
            url=self.links.appointment(appointment.pk),
            place=place,
            lane=lane[0],
            lane_span=lane[1],
            start=lay.short_time(appointment.starts_at, zone),
            when=_when(appointment.starts_at, appointment.ends_at, zone),
            age=age_text(
                appointment.patient.birth_date, appointment.starts_at.astimezone(zone).date()
            ),
            risk=lay.risk_label(risk),
            risk_high=risk is not None and risk >= lay.OVERBOOK_RISK,
            overbook_ok=lay.overbook_ok(
                risk, status=appointment.status, overbook_limit=limit, overbooks_used=used
            ),
            where=appointment.location.name if ctx.many else "",
        )
