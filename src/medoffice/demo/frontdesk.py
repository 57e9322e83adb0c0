"""The demo's front desk: today's patients checked in at every stage so the waiting-room board
looks alive, two weeks of past visits with check-ins (their timelines feed the wait report), a
few excuse notes, the desk settings of each location and a waiting-room screen address.

Today's visits go through the desk's and scheduling's own services (check-in, roomed, with
provider); past visits already carry their history from the scheduling demo, so their check-ins
are written in bulk from it. Arrival times today are counted back from the real "now", so the
board shows waits of a few minutes to about forty (amber and red included).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from medoffice.frontdesk import desk_settings, excuse_notes
from medoffice.frontdesk import services as desk
from medoffice.frontdesk.models import CheckIn
from medoffice.frontdesk.rules import waits
from medoffice.practice import queries as practice
from medoffice.scheduling import queries as scheduling
from medoffice.scheduling.choices import AppointmentStatus as S
from medoffice.scheduling.models import AppointmentEvent

PAST_DAYS = 14
# (minutes since arrival, stage reached) for the first visits of today at each location
TODAY = [(41, S.ARRIVED), (27, S.ARRIVED), (12, S.ARRIVED), (3, S.ARRIVED), (34, S.ROOMED),
         (22, S.ROOMED), (48, S.WITH_PROVIDER), (55, "ready_for_checkout")]  # fmt: skip


@dataclass
class DeskDemo:
    checked_in_today: int = 0
    past_check_ins: int = 0
    notes: int = 0
    screens: dict[str, str] = field(default_factory=dict)  # location name -> screen path


def _today_visits(location: Any, now: dt.datetime) -> list[Any]:
    zone = zoneinfo.ZoneInfo(location.time_zone)
    day = now.astimezone(zone).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return list(
        scheduling.desk_appointments(
            start, start + dt.timedelta(days=1), location_id=location.pk,
            statuses=[S.BOOKED, S.CONFIRMED],
        )
    )  # fmt: skip


def _backdate(appointment_id: int, to_status: str, at: dt.datetime) -> None:
    AppointmentEvent.objects.filter(appointment_id=appointment_id, to_status=to_status).update(
        at=at
    )


def _check_in_today(location: Any, user: Any, now: dt.datetime) -> int:
    zone = zoneinfo.ZoneInfo(location.time_zone)
    midnight = dt.datetime.combine(now.astimezone(zone).date(), dt.time(0), tzinfo=zone)
    done = 0
    for appointment, (minutes, stage) in zip(_today_visits(location, now), TODAY, strict=False):
        arrived = max(midnight, now - dt.timedelta(minutes=minutes))
        found = desk.check_in(appointment, acting_user=user, at=arrived)
        _backdate(appointment.pk, S.ARRIVED, arrived)
        path = [S.ROOMED, S.WITH_PROVIDER, "ready_for_checkout"]
        steps = path[: path.index(stage) + 1] if stage != S.ARRIVED else []
        at = arrived
        for step in steps:
            at = min(now, at + dt.timedelta(minutes=max(2, minutes // 3)))
            desk.move_visit(found, step, acting_user=user)
            if step in (S.ROOMED, S.WITH_PROVIDER):
                _backdate(appointment.pk, step, at)
            else:
                CheckIn.objects.filter(pk=found.pk).update(ready_for_checkout_at=at)
        done += 1
    return done


def _past_check_ins(location: Any, today: dt.date) -> list[CheckIn]:
    zone = zoneinfo.ZoneInfo(location.time_zone)
    start = dt.datetime.combine(today - dt.timedelta(days=PAST_DAYS), dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(today, dt.time(0), tzinfo=zone)
    seen = list(
        scheduling.desk_appointments(start, end, location_id=location.pk, statuses=[S.CHECKED_OUT])
    )
    times = scheduling.status_times([a.pk for a in seen])
    tickets: dict[dt.date, int] = defaultdict(int)
    rows = []
    for appointment in seen:
        reached = times.get(appointment.pk, {})
        arrived, out = reached.get(S.ARRIVED), reached.get(S.CHECKED_OUT)
        if arrived is None or out is None:
            continue
        day = arrived.astimezone(zone).date()
        tickets[day] += 1
        late = waits.minutes_late(appointment.starts_at, arrived)
        rows.append(
            CheckIn(
                appointment=appointment, patient_id=appointment.patient_id, location=location,
                arrival_date=day, arrived_at=arrived, minutes_late=late, late=late > 10,
                ticket=tickets[day], ready_for_checkout_at=out - dt.timedelta(minutes=2),
                checked_out_at=out, demographics_confirmed_at=arrived,
            )
        )  # fmt: skip
    CheckIn.objects.bulk_create(rows, batch_size=500)
    return rows


def _notes(rows: list[CheckIn], today: dt.date) -> int:
    issued = 0
    for check_in, kind in zip(rows[-3:], ("work", "school", "work"), strict=False):
        appointment = check_in.appointment
        visit_day = check_in.arrival_date
        excuse_notes.issue_excuse_note(
            acting_user=None, patient=appointment.patient, provider=appointment.provider,
            kind=kind, visit_date=visit_day, excused_from=visit_day,
            excused_through=visit_day + dt.timedelta(days=1), appointment=appointment,
        )  # fmt: skip
        issued += 1
    return issued


def populate(ctx: Any) -> DeskDemo:
    """Run after the scheduling demo (needs its appointments and desk logins)."""
    from django.contrib.auth import get_user_model

    result = DeskDemo()
    if ctx.booked is None:
        return result
    users = get_user_model()
    user = users.objects.filter(username="frontdesk").first()
    now = timezone.now()
    today = ctx.today or timezone.localdate()
    past: list[CheckIn] = []
    for location in practice.list_locations():
        desk_settings.update_settings(
            location, acting_user=None, wait_warning_minutes=20, wait_alert_minutes=35,
            late_after_minutes=10, display_mode="first_initial",
        )  # fmt: skip
        token = desk_settings.create_display_token(location, acting_user=None)
        result.screens[location.name] = f"/desk/display/{token}/"
        past.extend(_past_check_ins(location, today))
        result.checked_in_today += _check_in_today(location, user, now)
    result.past_check_ins = len(past)
    result.notes = _notes(past, today)
    ctx.frontdesk = result
    return result
