"""``medoffice bench <workload>``: build (or reuse) a benchmark database and print figures.

The database is never the one you work in: a SQLite file under ``var/bench/`` when
``DATABASE_URL`` is unset, otherwise a ``medoffice_bench_<n>`` database on the same PostgreSQL
server. The workload itself runs in a child process connected to that database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medoffice.demo.bench import WORKLOADS
from medoffice.demo.bench.target import STALE_EXIT, BenchTarget
from medoffice.demo.bench.workloads import DEFAULT_SEED


class Command(BaseCommand):
    help = "Benchmarks against a database of their own (synthetic data only)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        workloads = parser.add_subparsers(dest="workload", required=True, title="workloads")
        for name, workload in WORKLOADS.items():
            sub = workloads.add_parser(name, help=workload.help)
            workload.add_arguments(sub)
            sub.add_argument("--database-url", default="", help="Benchmark database to use.")
            sub.add_argument("--rebuild", action="store_true", help="Drop and build it again.")
            sub.add_argument("--worker", default="", help="(internal) the build record path.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["workload"]
        workload = WORKLOADS[name]
        if options["worker"]:
            status = workload.work(options, Path(options["worker"]), self._write)
            if status:
                raise SystemExit(status)
            return
        target = BenchTarget.choose(
            patients=workload.database_size(options),
            seed=int(options.get("seed", DEFAULT_SEED)),
            default_seed=DEFAULT_SEED,
            url=options["database_url"],
        )
        self._write(f"Benchmark database: {target.label}")
        if options["rebuild"]:
            target.drop()
        argv = ["bench", name, *workload.worker_arguments(options)]
        argv += ["--worker", str(target.build_record)]
        target.ensure()
        status = target.run(argv, self._write)
        if status == STALE_EXIT:
            target.drop()
            target.ensure()
            status = target.run(argv, self._write)
        if status:
            raise CommandError(f"The benchmark stopped (exit status {status}).")

    def _write(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
