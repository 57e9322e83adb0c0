"""Building the scheduling benchmark's database: 20 providers' year of sessions, booked.

The demo practice (six providers) plus generated ones, all working at Main Street, so one day
view shows every column; each works weekdays 07:00-12:00 and 12:30-19:00 and Saturdays
08:00-14:00 on a 10-minute grid, with a weekly admin block and the federal holidays off, from
six months back to six months ahead. The patients come from the patient bulk import; the
appointments are planned slot by slot (``demo.schedule_plan``) in time order until the wanted
count is reached, then written in bulk: the database's double-booking constraints check each.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import time
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from medoffice.core.identifiers import make_npi
from medoffice.demo import steps
from medoffice.demo.holidays import holidays_between
from medoffice.demo.load import load_population
from medoffice.demo.names import pool
from medoffice.demo.schedule_patients import ANYONE, PatientRow, Patients
from medoffice.demo.schedule_plan import (
    Calendars,
    Closed,
    Filler,
    Planned,
    SessionRow,
    TypeInfo,
    windows,
)
from medoffice.demo.schedule_write import write_plan
from medoffice.patients import queries as patient_queries
from medoffice.practice import queries as practice_queries
from medoffice.practice import services as practice_services
from medoffice.practice.choices import Specialty
from medoffice.scheduling.choices import AppointmentStatus, BlockKind, CancelReason, ExceptionKind
from medoffice.scheduling.models import (
    Appointment,
    AppointmentType,
    Block,
    ScheduleException,
    ScheduleSession,
)

S = AppointmentStatus
GRID = 10
HOURS = (
    ("MO,TU,WE,TH,FR", dt.time(7), dt.time(12)),
    ("MO,TU,WE,TH,FR", dt.time(12, 30), dt.time(19)),
    ("SA", dt.time(8), dt.time(14)),
)
TYPES = (
    ("sick", "Sick visit", 10, 35),
    ("follow-up", "Follow-up", 20, 45),
    ("physical", "Annual physical", 40, 10),
    ("telehealth", "Telehealth visit", 10, 10),
)
MEASURED_TYPE = "follow-up"
FILL = 0.95
SPECIALTIES = (
    Specialty.FAMILY_MEDICINE,
    Specialty.INTERNAL_MEDICINE,
    Specialty.PEDIATRICS,
    Specialty.NURSE_PRACTITIONER,
    Specialty.PHYSICIAN_ASSISTANT,
)
FIRST_NAMES = pool(
    "Avery Blake Casey Devon Emerson Finley Harper Jordan Kendall Logan Morgan Parker Quinn "
    "Reese Rowan Sawyer Skyler Taylor Tatum Wren"
)
LAST_NAMES = pool(
    "Abbott Barnes Calloway Dunmore Ellery Fairbanks Gallo Hargrove Iverson Jessup Kincaid "
    "Lowell Merritt Novak Oakley Prescott Quimby Radcliffe Stroud Thornton"
)


@dataclass
class SchedulingBuild:
    """What the build made and measured, kept beside the database for the runs that reuse it."""

    appointments: int
    providers: int
    months: int
    patients: int
    seed: int
    built_on: str
    seconds_patients: float
    seconds_planning: float
    seconds_writing: float

    @property
    def write_rate(self) -> float:
        return self.appointments / self.seconds_writing if self.seconds_writing else 0.0

    @classmethod
    def read(cls, path: Path) -> SchedulingBuild | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))

    def matches(self, wanted: SchedulingBuild) -> bool:
        keys = ("appointments", "providers", "months", "patients", "seed")
        return all(getattr(self, k) == getattr(wanted, k) for k in keys)


def state(wanted: SchedulingBuild, record: Path) -> str:
    """ "ready" (built as wanted), "empty", or "stale"."""
    stored = Appointment.objects.count()
    practice = practice_queries.get_practice()
    if practice is None and stored == 0 and not patient_queries.list_patients().exists():
        return "empty"
    found = SchedulingBuild.read(record)
    if found is None or not found.matches(wanted) or stored != wanted.appointments:
        return "stale"
    providers = practice_queries.list_providers().count()
    return "ready" if providers == wanted.providers else "stale"


def _practice(wanted: SchedulingBuild) -> steps.DemoContext:
    rng = random.Random(wanted.seed)  # noqa: S311 - synthetic data, as the demo command
    ctx = steps.DemoContext(
        seed=wanted.seed, password=secrets.token_urlsafe(16), rng=rng, patients=wanted.patients
    )
    ctx.today = timezone.localdate()
    for step in (
        steps.create_practice,
        steps.create_locations,
        steps.create_providers,
        steps.create_staff_logins,
        steps.create_referring_providers,
    ):
        step(ctx)
    main = ctx.locations["main"]
    for provider in ctx.providers:  # everyone works at Main Street: one day view shows all
        places = [*provider.locations.all(), main]
        practice_services.update_provider(provider, acting_user=None, locations=places)
    for n in range(wanted.providers - len(ctx.providers)):
        ctx.providers.append(
            practice_services.create_provider(
                acting_user=None,
                locations=[main],
                npi=make_npi(f"2{n:08d}"),
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]}{'' if n < 20 else n // 20}",
                credentials="MD",
                specialty=SPECIALTIES[n % len(SPECIALTIES)],
            )
        )
    return ctx


def _set_up(
    ctx: steps.DemoContext, first: dt.date, last: dt.date
) -> tuple[list[SessionRow], list[Closed], list[TypeInfo]]:
    main = ctx.locations["main"]
    made = AppointmentType.objects.bulk_create(
        AppointmentType(name=name, code=code, default_minutes=minutes)
        for code, name, minutes, _ in TYPES
    )
    types = [TypeInfo(row.pk, row.code, row.default_minutes, lead_days=(0, 40)) for row in made]
    rows = ScheduleSession.objects.bulk_create(
        ScheduleSession(
            provider_id=p.pk,
            location_id=main.pk,
            rrule=f"FREQ=WEEKLY;BYDAY={days}",
            starts_on=first,
            ends_on=last,
            start_time=start,
            end_time=end,
            slot_minutes=GRID,
            overbook_limit=1,
        )
        for p in ctx.providers
        for days, start, end in HOURS
    )
    sessions = [
        SessionRow(
            r.pk,
            r.provider_id,
            r.location_id,
            main.time_zone,
            r.rrule,
            first,
            last,
            r.start_time,
            r.end_time,
            GRID,
            overbook_limit=1,
        )
        for r in rows
    ]
    closed = _closures(ctx, first, last)
    return sessions, closed, types


def _closures(ctx: steps.DemoContext, first: dt.date, last: dt.date) -> list[Closed]:
    zone = zoneinfo.ZoneInfo(ctx.locations["main"].time_zone)

    def at(day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=zone)

    holidays = ScheduleException.objects.bulk_create(
        ScheduleException(
            kind=ExceptionKind.HOLIDAY,
            note=name,
            starts_at=at(day, dt.time()),
            ends_at=at(day + dt.timedelta(days=1), dt.time()),
        )
        for day, name in holidays_between(first, last)
    )
    blocks = []
    for n, provider in enumerate(ctx.providers):
        group, weekday = uuid.UUID(int=n + 1, version=4), n % 5
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
        while day <= last:
            blocks.append(
                Block(
                    provider_id=provider.pk,
                    kind=BlockKind.ADMIN,
                    group=group,
                    title="Charts and refills",
                    starts_at=at(day, dt.time(17)),
                    ends_at=at(day, dt.time(18)),
                )
            )
            day += dt.timedelta(weeks=1)
    Block.objects.bulk_create(blocks)
    return [Closed(h.starts_at, h.ends_at) for h in holidays] + [
        Closed(b.starts_at, b.ends_at, provider=b.provider_id) for b in blocks
    ]


@dataclass
class _Book:
    """A plain outcome for benchmark rows: booked some days ahead; past visits mostly kept."""

    rng: random.Random
    now: dt.datetime

    def __call__(self, visit: Planned) -> list[Planned]:
        lead = dt.timedelta(days=self.rng.uniform(0, 40))
        visit.booked_at = min(visit.starts_at - lead, self.now - dt.timedelta(minutes=5))
        roll = self.rng.random()
        if roll < 0.06:
            visit.status = S.CANCELLED
            visit.cancel_reason = CancelReason.PATIENT
        elif visit.starts_at >= self.now:
            visit.status = S.BOOKED
        else:
            visit.status = S.NO_SHOW if roll < 0.11 else S.CHECKED_OUT
        return [visit]


def _plan(
    wanted: SchedulingBuild,
    sessions: list[SessionRow],
    closed: list[Closed],
    types: list[TypeInfo],
    first: dt.date,
    last: dt.date,
) -> list[Planned]:
    rng = random.Random(f"medoffice-bench-schedule:{wanted.seed}")  # noqa: S311 - synthetic
    rows = patient_queries.list_patients().order_by("pk").values_list("pk", "birth_date")
    people = Patients([PatientRow(pk, born) for pk, born in rows], rng, timezone.localdate())
    mix = [(t, weight) for t, (*_, weight) in zip(types, TYPES, strict=True)]
    filler = Filler(
        rng,
        Calendars({}),
        lambda kind, visit: people.pick(ANYONE, visit.provider, visit.starts_at, visit.ends_at),
        _Book(rng, timezone.now()),
    )
    found = sorted(windows(sessions, first, last, closed), key=lambda w: (w.start, w.session.key))
    for window in found:
        filler.fill(window, mix, FILL)
        if len(filler.planned) >= wanted.appointments:
            break
    return filler.planned[: wanted.appointments]


def build(wanted: SchedulingBuild, record: Path, write: Callable[[str], None]) -> SchedulingBuild:
    """The practice and set-up (one transaction), the patients, then the appointments."""
    today = timezone.localdate()
    half = dt.timedelta(days=round(wanted.months * 30.4 / 2))
    first, last = today - half, today + half
    with transaction.atomic():
        ctx = _practice(wanted)
        sessions, closed, types = _set_up(ctx, first, last)
    began = time.perf_counter()
    load_population(
        wanted.patients,
        seed=wanted.seed,
        today=today,
        practice=steps.practice_ids(ctx),
        progress=lambda n: write(f"  {n:,} patients"),
    )
    wanted.seconds_patients = round(time.perf_counter() - began, 2)
    began = time.perf_counter()
    planned = _plan(wanted, sessions, closed, types, first, last)
    wanted.seconds_planning = round(time.perf_counter() - began, 2)
    if len(planned) < wanted.appointments:
        write(f"  (the sessions hold only {len(planned):,} appointments)")
        wanted.appointments = len(planned)
    began = time.perf_counter()
    for start in range(0, len(planned), 20_000):
        with transaction.atomic():
            write_plan(planned[start : start + 20_000])
        write(f"  {min(start + 20_000, len(planned)):,} appointments")
    wanted.seconds_writing = round(time.perf_counter() - began, 2)
    wanted.built_on = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    wanted.write(record)
    return wanted
