"""Reads of the front desk: the day's list, the waiting-room board, a visit's timeline.

Each list costs a fixed handful of queries whatever its length (tests count them). These do not
audit: the page or API answer showing patients calls ``services.audit_shown``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from medoffice.frontdesk import desk_settings
from medoffice.frontdesk.choices import BoardStatus
from medoffice.frontdesk.models import CheckIn, DemographicsConfirmation, ExcuseNote
from medoffice.frontdesk.rules import waits
from medoffice.scheduling import queries as scheduling
from medoffice.scheduling.choices import AppointmentStatus as S

ON_BOARD = (S.ARRIVED, S.ROOMED, S.WITH_PROVIDER)


def day_bounds(location: Any, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(location.time_zone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return start, end


def rooms_of(appointment: Any) -> str:
    return ", ".join(use.resource.name for use in appointment.resource_uses.all())


def board_status(appointment_status: str, check_in: CheckIn | None) -> str:
    if appointment_status == S.WITH_PROVIDER and check_in and check_in.ready_for_checkout_at:
        return BoardStatus.READY_FOR_CHECKOUT
    return appointment_status


# ---- the day at the desk -----------------------------------------------------------------


@dataclass
class DayRow:
    appointment: Any
    check_in: CheckIn | None

    @property
    def status(self) -> str:
        return board_status(self.appointment.status, self.check_in)

    @property
    def status_label(self) -> str:
        status = self.status
        if status in BoardStatus.values:
            return str(BoardStatus(status).label)
        return str(S(status).label)

    @property
    def can_check_in(self) -> bool:
        return self.check_in is None and self.appointment.status in (S.BOOKED, S.CONFIRMED)


@dataclass
class ProviderDay:
    provider: Any
    rows: list[DayRow] = field(default_factory=list)


def today_rows(location: Any, day: dt.date) -> list[ProviderDay]:
    """The day's appointments at the location (cancelled left out), grouped by provider."""
    start, end = day_bounds(location, day)
    statuses = [s for s in S.values if s != S.CANCELLED]
    appointments = list(
        scheduling.desk_appointments(start, end, location_id=location.pk, statuses=statuses)
    )
    check_ins = {
        c.appointment_id: c
        for c in CheckIn.objects.filter(appointment_id__in=[a.pk for a in appointments])
    }
    groups: dict[int, ProviderDay] = {}
    for appointment in appointments:
        group = groups.setdefault(appointment.provider_id, ProviderDay(appointment.provider))
        group.rows.append(DayRow(appointment, check_ins.get(appointment.pk)))
    return sorted(groups.values(), key=lambda g: (g.provider.last_name, g.provider.pk))


# ---- the waiting-room board --------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    check_in: CheckIn
    appointment: Any
    status: str
    status_label: str
    room: str
    waited_minutes: int  # arrival until the provider came in (or now)
    in_status_minutes: int
    level: str  # ok / warning / alert (waits only count until the provider comes in)

    @property
    def patient(self) -> Any:
        return self.appointment.patient


def _status_label(status: str) -> str:
    return str(BoardStatus(status).label)


def board(location: Any, *, now: dt.datetime | None = None) -> list[BoardRow]:
    """Today's checked-in visits at the location not yet checked out, longest wait first."""
    now = now or timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(location.time_zone)).date()
    check_ins = list(
        CheckIn.objects.filter(
            location=location, arrival_date=today, appointment__status__in=ON_BOARD
        )
        .select_related("appointment__patient", "appointment__provider", "appointment__location")
        .prefetch_related("appointment__resource_uses__resource")
        .order_by("arrived_at", "pk")
    )
    times = scheduling.status_times([c.appointment_id for c in check_ins])
    settings = desk_settings.settings_for(location)
    rows = []
    for check_in in check_ins:
        appointment = check_in.appointment
        reached = times.get(appointment.pk, {})
        seen_at = reached.get(S.WITH_PROVIDER)
        status = board_status(appointment.status, check_in)
        since: dt.datetime | None = {
            str(S.ARRIVED): check_in.arrived_at,
            str(S.ROOMED): reached.get(S.ROOMED),
            str(S.WITH_PROVIDER): seen_at,
            str(BoardStatus.READY_FOR_CHECKOUT): check_in.ready_for_checkout_at,
        }.get(str(status))
        since = since or check_in.arrived_at
        waited = waits.minutes_between(check_in.arrived_at, seen_at or now)
        level = (
            waits.OK
            if seen_at
            else waits.wait_level(
                waited,
                warning=settings.wait_warning_minutes,
                alert=settings.wait_alert_minutes,
            )
        )
        rows.append(
            BoardRow(
                check_in, appointment, status, _status_label(status), rooms_of(appointment),
                waited, waits.minutes_between(since, now), level,
            )
        )  # fmt: skip
    return rows


def public_name(patient: Any) -> str:
    """First name and last initial ("Jonah S."): never the full name."""
    first = (patient.preferred_name or patient.first_name or "").strip().split(" ")[0]
    initial = (patient.last_name or "").strip()[:1].upper()
    return f"{first} {initial}." if initial else first


def public_board(settings: Any, *, now: dt.datetime | None = None) -> list[dict[str, str]]:
    """What the waiting-room screen may show: a label per waiting patient and a status word."""
    from medoffice.frontdesk.choices import DisplayMode

    rows = []
    for row in board(settings.location, now=now):
        if settings.display_mode == DisplayMode.TICKET:
            label = row.check_in.ticket_label
        else:
            label = public_name(row.patient)
        word = "Waiting" if row.status == S.ARRIVED else "Being seen"
        if row.status == BoardStatus.READY_FOR_CHECKOUT:
            word = "Please see the front desk"
        rows.append({"label": label, "status": word})
    return rows


# ---- one visit ---------------------------------------------------------------------------


def check_in_for(appointment_id: int) -> CheckIn | None:
    return (
        CheckIn.objects.select_related(
            "appointment__patient",
            "appointment__provider",
            "appointment__location",
            "appointment__appointment_type",
            "checked_in_by",
            "demographics_confirmed_by",
        )
        .filter(appointment_id=appointment_id)
        .first()
    )


def last_confirmed(patient_id: int) -> DemographicsConfirmation | None:
    return (
        DemographicsConfirmation.objects.select_related("confirmed_by")
        .filter(patient_id=patient_id)
        .first()
    )


def last_confirmed_for(patient_ids: list[int]) -> dict[int, dt.datetime]:
    rows = DemographicsConfirmation.objects.filter(patient_id__in=patient_ids).values_list(
        "patient_id", "confirmed_at"
    )
    return dict(rows)


@dataclass(frozen=True)
class TimelineStep:
    key: str
    label: str
    at: dt.datetime | None


def timeline(appointment: Any, check_in: CheckIn | None) -> list[TimelineStep]:
    """Booked, arrived, roomed, with provider, ready for check-out, checked out."""
    reached = scheduling.status_times([appointment.pk]).get(appointment.pk, {})
    arrived = check_in.arrived_at if check_in else reached.get(S.ARRIVED)
    ready = check_in.ready_for_checkout_at if check_in else None
    return [
        TimelineStep("booked", "Booked", appointment.booked_at),
        TimelineStep("arrived", "Arrived", arrived),
        TimelineStep("roomed", "Roomed", reached.get(S.ROOMED)),
        TimelineStep("with_provider", "With provider", reached.get(S.WITH_PROVIDER)),
        TimelineStep("ready_for_checkout", "Ready for check-out", ready),
        TimelineStep("checked_out", "Checked out", reached.get(S.CHECKED_OUT)),
    ]


def excuse_notes_of(patient_id: int) -> list[ExcuseNote]:
    return list(
        ExcuseNote.objects.filter(patient_id=patient_id)
        .select_related("provider", "issued_by")
        .defer("pdf")[:20]
    )


def check_ins_of(patient_id: int, *, limit: int = 20) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(patient_id=patient_id)
        .select_related("appointment__provider", "location")
        .order_by("-arrived_at")[:limit]
    )
