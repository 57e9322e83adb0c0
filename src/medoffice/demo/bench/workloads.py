"""What a benchmark workload declares, and the workloads: the patient registry, scheduling."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import connection
from django.utils import timezone

from medoffice.demo.bench import build, patients, scheduling, scheduling_build
from medoffice.demo.bench.target import STALE_EXIT

DEFAULT_SEED = 2026


class Workload(Protocol):
    help: str

    def add_arguments(self, parser: CommandParser) -> None: ...

    def database_size(self, options: dict[str, Any]) -> int:
        """The size the database is built at (part of its name, so each size keeps its own)."""
        ...

    def worker_arguments(self, options: dict[str, Any]) -> list[str]: ...

    def work(self, options: dict[str, Any], record: Path, write: Callable[[str], None]) -> int:
        """Run in the worker, connected to the benchmark database; returns the exit status."""
        ...


def _database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


class PatientsWorkload:
    help = "Patient registry: search latency and plans, registration, bulk import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=100_000, help="Database size.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--queries", type=int, default=200, help="Queries per type.")
        parser.add_argument("--registrations", type=int, default=2000, help="Via the service.")
        parser.add_argument("--api-registrations", type=int, default=1000, help="Via the API.")
        parser.add_argument("--fresh-bulk", type=int, default=10_000, help="Bulk import size.")

    def database_size(self, options: dict[str, Any]) -> int:
        return int(options["patients"])

    def worker_arguments(self, options: dict[str, Any]) -> list[str]:
        names = ("patients", "seed", "queries", "registrations", "api_registrations", "fresh_bulk")
        out = []
        for name in names:
            out += [f"--{name.replace('_', '-')}", str(options[name])]
        return out

    def work(self, options: dict[str, Any], record: Path, write: Callable[[str], None]) -> int:
        size, seed = int(options["patients"]), int(options["seed"])
        call_command("migrate", verbosity=0, interactive=False)
        found = build.state(size, seed)
        if found == "stale":
            write("The benchmark database holds other data: it is dropped and built again.")
            return STALE_EXIT
        if found == "empty":
            write(f"Building the benchmark database: {size:,} patients (seed {seed})...")
            made = build.build(size, seed, record, lambda n: write(f"  {n:,} patients"))
            write(f"Built in {made.seconds_total:,.0f} s.")
        build.settle()
        made_before = build.BuildRecord.read(record)
        write(
            f"medoffice bench patients | {_database_version()} | {size:,} patients | seed {seed}"
            f" | {timezone.localtime():%Y-%m-%d %H:%M}"
        )
        chosen = patients.Options(
            patients=size,
            seed=seed,
            queries=int(options["queries"]),
            registrations=int(options["registrations"]),
            api_registrations=int(options["api_registrations"]),
            fresh_bulk=int(options["fresh_bulk"]),
        )
        patients.run(chosen, made_before, connection.vendor, write)
        return 0


class SchedulingSize(int):
    """The scheduling benchmark's size (its appointments), named ``sched_<n>`` in the database
    name (``medoffice_bench_sched_200000``) so it never takes the patient benchmark's."""

    def __format__(self, spec: str) -> str:
        return f"sched_{int(self):{spec}}"

    def __str__(self) -> str:
        return format(self, "")


class SchedulingWorkload:
    help = "Scheduling: open slots, first available, day view, booking throughput and races."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--appointments", type=int, default=200_000, help="Database size.")
        parser.add_argument("--providers", type=int, default=20, help="At least the demo's 6.")
        parser.add_argument("--months", type=int, default=12, help="Months of sessions.")
        parser.add_argument("--patients", type=int, default=0, help="Default: appointments/4.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--queries", type=int, default=200, help="Searches per measure.")
        parser.add_argument("--day-views", type=int, default=50, help="Day views rendered.")
        parser.add_argument("--bookings", type=int, default=2000, help="Sequential bookings.")
        parser.add_argument("--racers", type=int, default=8, help="Concurrent clients.")
        parser.add_argument("--race-slots", type=int, default=300, help="Slots they race for.")
        parser.add_argument("--plans", action="store_true", help="Print every query plan.")

    def database_size(self, options: dict[str, Any]) -> int:
        return SchedulingSize(int(options["appointments"]))

    def worker_arguments(self, options: dict[str, Any]) -> list[str]:
        names = ("appointments", "providers", "months", "patients", "seed", "queries",
                 "day_views", "bookings", "racers", "race_slots")  # fmt: skip
        out = []
        for name in names:
            out += [f"--{name.replace('_', '-')}", str(options[name])]
        return out + (["--plans"] if options["plans"] else [])

    def work(self, options: dict[str, Any], record: Path, write: Callable[[str], None]) -> int:
        size, seed = int(options["appointments"]), int(options["seed"])
        wanted = scheduling_build.SchedulingBuild(
            appointments=size,
            providers=max(6, int(options["providers"])),
            months=max(1, int(options["months"])),
            patients=int(options["patients"]) or max(100, size // 4),
            seed=seed,
            built_on="",
            seconds_patients=0.0,
            seconds_planning=0.0,
            seconds_writing=0.0,
        )
        call_command("migrate", verbosity=0, interactive=False)
        found = scheduling_build.state(wanted, record)
        if found == "stale":
            write("The benchmark database holds other data: it is dropped and built again.")
            return STALE_EXIT
        if found == "empty":
            write(
                f"Building the benchmark database: {wanted.providers} providers, "
                f"{wanted.months} months of sessions, {size:,} appointments (seed {seed})..."
            )
            made = scheduling_build.build(wanted, record, write)
            write(f"Built: {made.appointments:,} appointments.")
        build.settle()
        write(
            f"medoffice bench scheduling | {_database_version()} | {size:,} appointments"
            f" | seed {seed} | {timezone.localtime():%Y-%m-%d %H:%M}"
        )
        chosen = scheduling.Options(
            appointments=size,
            seed=seed,
            queries=int(options["queries"]),
            day_views=int(options["day_views"]),
            bookings=int(options["bookings"]),
            racers=int(options["racers"]),
            race_slots=int(options["race_slots"]),
            plans=bool(options["plans"]),
        )
        made_before = scheduling_build.SchedulingBuild.read(record)
        scheduling.run(chosen, made_before, connection.vendor, write)
        return 0
