"""Booking throughput with the conflict check: one desk after another, then clients racing.

Free slots are found first (not timed) with ``availability.open_slots``. The sequential run
books non-overlapping ones through ``services.book_appointment``, each in its own transaction.
The race gives every client (a thread with its own database connection) the same run of
consecutive slot starts, shuffled: a 20-minute visit on a 10-minute grid overlaps its
neighbours, so clients collide constantly and all but one of each overlapping pair get
``SlotUnavailable``. Afterwards one query looks for any two holding appointments of a provider
that overlap (there must be none), and the bookings made here are deleted.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection

from medoffice.demo.bench import report as r
from medoffice.demo.bench.scheduling_plans import print_plans
from medoffice.patients import queries as patient_queries
from medoffice.patients.choices import PatientStatus
from medoffice.scheduling import availability, services
from medoffice.scheduling.choices import HOLDING_TIME
from medoffice.scheduling.errors import SlotUnavailable
from medoffice.scheduling.models import Appointment

PEER_BOOKING_PER_S = {"sqlite": 118.0, "postgresql": 234.0}  # one booking per transaction
TIMES_PEER = 3
FIRST_DAY, LAST_DAY = 30, 150  # slots for the runs are taken this many days ahead


def _search_days(setting: Any) -> tuple[dt.date, dt.date]:
    """From ``FIRST_DAY`` to ``LAST_DAY`` ahead, kept inside the templates of a small build."""
    last = min(setting.today + dt.timedelta(days=LAST_DAY), setting.last_day)
    first = min(setting.today + dt.timedelta(days=FIRST_DAY), last - dt.timedelta(days=14))
    return max(first, setting.today + dt.timedelta(days=1)), last


def _free_slots(setting: Any, count: int, *, overlapping: bool) -> list[Any]:
    """``count`` open slots: non-overlapping ones, or runs of consecutive grid starts."""
    found: list[Any] = []
    start, end = _search_days(setting)
    for provider in setting.providers:
        taken_until: dt.datetime | None = None
        slots = availability.open_slots(
            provider=provider, appointment_type=setting.kind, start=start, end=end
        )
        for slot in slots:
            if not overlapping and taken_until is not None and slot.starts_at < taken_until:
                continue
            found.append((provider, slot))
            taken_until = slot.ends_at
            if len(found) >= count:
                return found
    return found


def _patients(count: int, rng: random.Random) -> list[Any]:
    ids = list(
        patient_queries.list_patients(status=PatientStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)[:20_000]
    )
    chosen = rng.sample(ids, min(count, len(ids)))
    found = patient_queries.list_patients().in_bulk(chosen)
    return [found[pk] for pk in chosen]


def _book(setting: Any, patient: Any, provider: Any, slot: Any) -> Appointment:
    return services.book_appointment(
        acting_user=setting.user,
        patient=patient,
        provider=provider,
        location=setting.location,
        appointment_type=setting.kind,
        starts_at=slot.starts_at,
    )


def sequential(setting: Any, count: int, rng: random.Random) -> tuple[int, float, list[int]]:
    """(booked, seconds, ids) for ``count`` bookings one after another."""
    slots = _free_slots(setting, count, overlapping=False)
    people = _patients(len(slots), rng)
    ids = []
    began = time.perf_counter()
    for (provider, slot), patient in zip(slots, people, strict=False):
        ids.append(_book(setting, patient, provider, slot).pk)
    return len(ids), time.perf_counter() - began, ids


def racing(
    setting: Any, clients: int, slots_wanted: int, rng: random.Random
) -> tuple[Counter[str], float, list[int]]:
    """Every client tries every slot of one shared, overlapping set, in its own order."""
    slots = _free_slots(setting, slots_wanted, overlapping=True)
    people = _patients(clients * len(slots), rng)
    outcomes: Counter[str] = Counter()
    ids: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(n: int) -> None:
        order = list(range(len(slots)))
        random.Random(n).shuffle(order)  # noqa: S311 - load pattern, not secrets
        mine: Counter[str] = Counter()
        made = []
        barrier.wait()
        try:
            for i, k in enumerate(order):
                provider, slot = slots[k]
                try:
                    made.append(_book(setting, people[n * len(slots) + i], provider, slot).pk)
                    mine["booked"] += 1
                except SlotUnavailable:
                    mine["refused (409)"] += 1
                except Exception as exc:  # counted and shown: the run goes on
                    mine[f"error {type(exc).__name__}"] += 1
        finally:
            connection.close()
        with lock:
            outcomes.update(mine)
            ids.extend(made)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return outcomes, time.perf_counter() - began, ids


def double_bookings() -> int:
    """Pairs of holding, non-overbook appointments of one provider that overlap (must be 0).

    Sorted by start, any overlap shows between neighbours, so one window function suffices."""
    holding = ", ".join(["%s"] * len(HOLDING_TIME))
    table = Appointment._meta.db_table
    sql = f"""
        SELECT COUNT(*) FROM (
            SELECT starts_at, LAG(ends_at) OVER (
                PARTITION BY provider_id ORDER BY starts_at, id) AS previous_end
            FROM {table} WHERE status IN ({holding}) AND overbook = %s
        ) ordered WHERE previous_end > starts_at"""  # noqa: S608 - constants only
    with connection.cursor() as cursor:
        cursor.execute(sql, [*HOLDING_TIME, False])
        return int(cursor.fetchone()[0])


def _remove(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        Appointment.objects.filter(pk__in=ids[start : start + 500]).delete()


def _plan_one_booking(write: Callable[[str], None], setting: Any, rng: random.Random) -> None:
    made: list[int] = []
    (provider, slot), patient = _free_slots(setting, 1, overlapping=False)[0], _patients(1, rng)[0]
    print_plans(
        write,
        "services.book_appointment",
        lambda: made.append(_book(setting, patient, provider, slot).pk),
    )
    _remove(made)


def print_bookings(
    write: Callable[[str], None], setting: Any, options: Any, vendor: str, rng: random.Random
) -> None:
    peer = PEER_BOOKING_PER_S[vendor]
    target = TIMES_PEER * peer
    write("Booking with the conflict check (services.book_appointment, own transaction each)")
    table = r.Table(
        write,
        [
            r.Column("run", 34, "<"),
            r.Column("booked", 7),
            r.Column("refused", 8),
            r.Column("rate", 9),
            r.Column("target", 10),
            r.Column("", 6),
            r.Column("vs peer", 22, "<"),
        ],
    )
    booked, seconds, ids = sequential(setting, options.bookings, rng)
    _remove(ids)
    per_s = r.per_second(booked, seconds)
    missed = per_s < target
    row = (r.rate(per_s), f">={target:,.0f}/s", r.verdict(not missed), r.times_peer(per_s, peer))
    table.row("sequential, 1 client", f"{booked:,}", "0", *row)
    outcomes, seconds, ids = racing(setting, options.racers, options.race_slots, rng)
    tried = sum(outcomes.values())
    won = outcomes["booked"]
    per_s = r.per_second(tried, seconds)
    table.row(
        f"{options.racers} clients racing (attempts)",
        f"{won:,}",
        f"{outcomes['refused (409)']:,}",
        r.rate(per_s),
        f">={target:,.0f}/s",
        r.verdict(per_s >= target),
        r.times_peer(per_s, peer),
    )
    errors = {k: v for k, v in outcomes.items() if k.startswith("error")}
    if errors:
        write(f"  errors: {errors}")
    overlaps = double_bookings()
    _remove(ids)
    write(
        f"Double bookings after the race: {overlaps} "
        f"({'ok' if overlaps == 0 else 'FAILED'}; peer: accepts double bookings). "
        f"{won:,} of {tried:,} attempts won, in {seconds:.2f} s "
        f"({r.rate(r.per_second(won, seconds))} bookings)."
    )
    if missed or options.plans:
        write("")
        write("Query plans of one booking")
        _plan_one_booking(write, setting, rng)
    if vendor != "postgresql":
        write(
            f"Target on PostgreSQL: >= {TIMES_PEER * PEER_BOOKING_PER_S['postgresql']:,.0f}/s; "
            f"here the target is {TIMES_PEER}x the peer on SQLite."
        )
