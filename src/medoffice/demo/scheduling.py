"""The demo's scheduling steps: the set-up, then the booked calendar and its no-show model.

``create_schedule`` writes appointment types, rooms, sessions, holidays, a vacation, blocks,
meetings and the on-call rotation; ``book_appointments`` (after the patients) plans about three
months of past and future visits around the scripted day, writes them in bulk, then fits the
no-show model on that history and scores the upcoming visits. "Now" is 07:30 on the day the
demo is built for, so the same seed and day always give the same calendar.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from medoffice.demo.schedule_book import Planner
from medoffice.demo.schedule_patients import PatientRow
from medoffice.demo.schedule_script import SCRIPTED
from medoffice.demo.schedule_setup import set_up
from medoffice.demo.schedule_write import write_plan
from medoffice.patients import queries as patient_queries
from medoffice.patients.choices import PatientStatus
from medoffice.scheduling import noshow

DAY_STARTS = dt.time(7, 30)
MIN_SETUP_DAYS = 14


@dataclass
class Booked:
    appointments: int
    past: int
    ahead: int
    per_weekday: float  # appointments per open weekday in the past
    statuses: dict[str, int]
    overbooks: int
    series: int
    waitlist: int
    events: int
    model: Any = None  # the fitted NoShowModel, if there was enough history
    scored: int = 0


def _today(ctx: Any) -> dt.date:
    return ctx.today or timezone.localdate()


def create_schedule(ctx: Any) -> None:
    rng = random.Random(f"medoffice-demo-schedule-setup:{ctx.seed}")  # noqa: S311 - synthetic
    days = max(ctx.appointment_days, MIN_SETUP_DAYS)
    ctx.schedule = set_up(ctx, _today(ctx), days, rng)


def _patients() -> list[PatientRow]:
    rows = (
        patient_queries.list_patients(status=PatientStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "birth_date", "primary_care_provider_id")
    )
    return [PatientRow(pk, born, pcp) for pk, born, pcp in rows]


def _scripted() -> dict[str, int]:
    found = {}
    for key, (first, last) in SCRIPTED.items():
        pk = (
            patient_queries.list_patients(status=PatientStatus.ACTIVE)
            .filter(first_name=first, last_name=last)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            found[key] = pk
    return found


def book_appointments(ctx: Any) -> None:
    layout = ctx.schedule
    if layout is None or ctx.loaded is None or ctx.appointment_days <= 0:
        return
    today = _today(ctx)
    now = dt.datetime.combine(today, DAY_STARTS, tzinfo=layout.zone())
    plan = Planner(layout, _patients(), _scripted(), ctx.seed, today, now).plan()
    written = write_plan(
        plan.appointments,
        series=plan.series,
        waitlist=plan.waitlist,
        desk_users=layout.desk_users,
        types={code: t.id for code, t in layout.types.items()},
        events_rng=random.Random(f"medoffice-demo-events:{ctx.seed}"),  # noqa: S311
    )
    past = [v for v in plan.appointments if v.starts_at < now]
    open_days = {v.starts_at.date() for v in past if v.starts_at.weekday() < 5}
    booked = Booked(
        appointments=written.appointments,
        past=len(past),
        ahead=written.appointments - len(past),
        per_weekday=sum(1 for v in past if v.starts_at.weekday() < 5) / max(1, len(open_days)),
        statuses=dict(Counter(str(v.status) for v in plan.appointments)),
        overbooks=sum(1 for v in plan.appointments if v.overbook),
        series=written.series,
        waitlist=written.waitlist,
        events=written.events,
    )
    booked.model = noshow.fit_no_show_model(until=now)
    if booked.model is not None:
        end = dt.datetime.combine(layout.last + dt.timedelta(days=1), dt.time(), layout.zone())
        booked.scored = noshow.score_appointments(now, end)
    ctx.booked = booked
