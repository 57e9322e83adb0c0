"""``medoffice bench scheduling``: slot search, the day view and booking at 200,000 appointments.

Prints p50/p95/p99 of open slots for one provider over 90 days, first available across all
providers, and the day view of 20 provider columns (Django's test client, a signed-in front
desk user), then booking throughput through ``services.book_appointment`` one after another
and with 8 clients racing for overlapping slots (threads, each with its own connection),
and proves no two appointments of a provider overlap afterwards. Each figure stands beside its
target and the peer (GNU Health). The query plans behind any latency that misses its target
are printed. Bookings made here are deleted again, so the next run finds the database as built.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from medoffice.demo.bench import report as r
from medoffice.demo.bench import scheduling_race as race
from medoffice.demo.bench.scheduling_build import MEASURED_TYPE, SchedulingBuild
from medoffice.demo.bench.scheduling_plans import print_plans
from medoffice.practice import queries as practice_queries
from medoffice.scheduling import availability
from medoffice.scheduling.models import AppointmentType, ScheduleSession

DESK_LOGIN = "frontdesk"
SEARCH_DAYS = 90
OPEN_SLOTS_P95_MS = 20.0
FIRST_AVAILABLE_P95_MS = 30.0
DAY_VIEW_MS = 100.0
PEER_DAY_MS = {"sqlite": 17.0, "postgresql": 14.0}  # one provider's day of appointments
WARM = 3


@dataclass(frozen=True)
class Options:
    appointments: int
    seed: int
    queries: int
    day_views: int
    bookings: int
    racers: int
    race_slots: int
    plans: bool


@dataclass
class Setting:
    """What every measurement uses: the measured type, the providers, the place, the desk."""

    kind: AppointmentType
    providers: list[Any]
    location: Any
    user: Any
    today: dt.date
    last_day: dt.date  # the last day the providers' templates cover

    @classmethod
    def load(cls) -> Setting:
        location = practice_queries.list_locations().get(code="main")
        providers = list(practice_queries.list_providers().filter(locations=location))
        return cls(
            kind=AppointmentType.objects.get(code=MEASURED_TYPE),
            providers=sorted(providers, key=lambda p: p.pk),
            location=location,
            user=get_user_model().objects.get(username=DESK_LOGIN),
            today=timezone.localdate(),
            last_day=_last_template_day(providers),
        )


def _last_template_day(providers: list[Any]) -> dt.date:
    ends = ScheduleSession.objects.filter(provider__in=providers).aggregate(last=Max("ends_on"))
    return ends["last"] or timezone.localdate() + dt.timedelta(days=365)


@dataclass
class Timed:
    label: str
    target_ms: float
    peer: str
    ms: list[float]
    found: list[int]
    explain: Callable[[], object] | None = None

    @property
    def p95(self) -> float:
        return r.percentile(sorted(self.ms), 95)


def _time(calls: list[Callable[[], int]]) -> tuple[list[float], list[int]]:
    for call in calls[:WARM]:
        call()
    ms, found = [], []
    for call in calls:
        began = time.perf_counter()
        count = call()
        ms.append((time.perf_counter() - began) * 1000)
        found.append(count)
    return ms, found


def _open_slots(s: Setting, rng: random.Random, n: int) -> Timed:
    def call(provider: Any, start: dt.date) -> Callable[[], int]:
        end = start + dt.timedelta(days=SEARCH_DAYS - 1)
        return lambda: len(
            availability.open_slots(
                provider=provider, appointment_type=s.kind, start=start, end=end
            )
        )

    calls = [
        call(rng.choice(s.providers), s.today + dt.timedelta(days=rng.randrange(7)))
        for _ in range(n)
    ]
    ms, found = _time(calls)
    return Timed(
        f"open slots, 1 provider, {SEARCH_DAYS} days",
        OPEN_SLOTS_P95_MS,
        "none (no slot finder)",
        ms,
        found,
        calls[0],
    )


def _first_available(s: Setting, rng: random.Random, n: int) -> Timed:
    def call(start: dt.date) -> Callable[[], int]:
        end = start + dt.timedelta(days=SEARCH_DAYS - 1)
        return lambda: len(
            availability.first_available(appointment_type=s.kind, start=start, end=end, limit=10)
        )

    calls = [call(s.today + dt.timedelta(days=rng.randrange(14))) for _ in range(n)]
    ms, found = _time(calls)
    return Timed(
        f"first available, {len(s.providers)} providers",
        FIRST_AVAILABLE_P95_MS,
        "none (no slot finder)",
        ms,
        found,
        calls[0],
    )


def _day_view(s: Setting, rng: random.Random, n: int, vendor: str) -> Timed | None:
    try:
        url = reverse("scheduling:day")
    except NoReverseMatch:
        return None
    client = Client(HTTP_HOST="localhost")
    logging.getLogger("axes").setLevel(logging.WARNING)  # its sign-in lines are noise here
    client.force_login(s.user)
    weekdays = [s.today + dt.timedelta(days=d) for d in range(1, 21)]
    weekdays = [day for day in weekdays if day.weekday() < 5]

    def call(day: dt.date) -> Callable[[], int]:
        def get() -> int:
            response = client.get(url, {"date": day.isoformat(), "location": s.location.pk})
            if response.status_code != 200:
                raise RuntimeError(f"The day view answered {response.status_code}.")
            return len(response.content) // 1024

        return get

    calls = [call(rng.choice(weekdays)) for _ in range(n)]
    ms, found = _time(calls)
    return Timed(
        f"day view, {len(s.providers)} provider columns",
        DAY_VIEW_MS,
        f"{PEER_DAY_MS[vendor]:.0f} ms for 1 provider's day",
        ms,
        found,
        calls[0],
    )


def _print_latency(write: Callable[[str], None], results: list[Timed]) -> None:
    write(f"Latency in-process (ms; {len(results[0].ms)} runs each, warmed)")
    table = r.Table(
        write,
        [
            r.Column("measure", 34, "<"),
            r.Column("p50", 7),
            r.Column("p95", 7),
            r.Column("p99", 7),
            r.Column("found", 7),
            r.Column("target p95", 11),
            r.Column("", 6),
            r.Column("peer", 26, "<"),
        ],
    )
    for t in results:
        ms = sorted(t.ms)
        found = sorted(t.found)[len(t.found) // 2] if t.found else 0
        table.row(
            t.label,
            f"{r.percentile(ms, 50):.2f}",
            f"{t.p95:.2f}",
            f"{r.percentile(ms, 99):.2f}",
            f"{found:,}",
            f"<{t.target_ms:.0f}",
            r.verdict(t.p95 < t.target_ms),
            t.peer,
        )
    write("found: median slots returned (open slots, first available) or page KiB (day view).")


def run(
    options: Options,
    build: SchedulingBuild | None,
    vendor: str,
    write: Callable[[str], None],
) -> None:
    rng = random.Random(options.seed)  # noqa: S311 - sampling, not secrets
    setting = Setting.load()
    _print_build(write, build)
    write("")
    results = [
        _open_slots(setting, rng, options.queries),
        _first_available(setting, rng, options.queries),
    ]
    day = _day_view(setting, rng, options.day_views, vendor)
    if day is None:
        write("(no day view yet: scheduling:day is not routed; not measured)")
    else:
        results.append(day)
    _print_latency(write, results)
    missed = [t for t in results if options.plans or t.p95 >= t.target_ms]
    if missed:
        write("")
        write("Query plans" + ("" if options.plans else " of what missed its target"))
        for timed in missed:
            if timed.explain is not None:
                print_plans(write, timed.label, timed.explain)
    write("")
    race.print_bookings(write, setting, options, vendor, rng)


def _print_build(write: Callable[[str], None], build: SchedulingBuild | None) -> None:
    if build is None:
        write("(build figures unknown: the database was built without a record)")
        return
    write(
        f"Built {build.built_on}: {build.appointments:,} appointments for {build.providers} "
        f"providers over {build.months} months, {build.patients:,} patients "
        f"({build.seconds_patients:.0f} s); appointments planned in "
        f"{build.seconds_planning:.0f} s, written in {build.seconds_writing:.0f} s "
        f"({r.rate(build.write_rate)} with the double-booking check; peer 20,000 in batches: "
        f"430-987/s)"
    )
