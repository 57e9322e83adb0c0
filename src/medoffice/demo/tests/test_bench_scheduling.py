"""Smoke test of ``medoffice bench scheduling`` at a tiny size: every figure's line is printed
(values vary), races end without double bookings, and the database is reused as built."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command

from medoffice.demo.bench import target
from medoffice.demo.bench.target import BenchTarget
from medoffice.demo.bench.workloads import SchedulingSize

TINY = ["--appointments", "1500", "--providers", "7", "--months", "2", "--queries", "4",
        "--day-views", "2", "--bookings", "10", "--racers", "3", "--race-slots", "8"]  # fmt: skip


def _bench(url: str) -> str:
    out = StringIO()
    call_command("bench", "scheduling", *TINY, "--database-url", url, stdout=out)
    return out.getvalue()


def test_bench_prints_every_figure_and_reuses_its_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'medoffice_bench_sched_1500.sqlite3'}"
    # when it runs the first time
    output = _bench(url)
    # then it built the database and printed each figure beside its target
    assert "Building the benchmark database: 7 providers, 2 months of sessions, 1,500" in output
    assert re.search(r"p50 +p95 +p99", output)
    for label in ("open slots, 1 provider, 90 days", "first available, 7 providers"):
        assert re.search(rf"^{re.escape(label)} +[0-9.]+ +[0-9.]+ +[0-9.]+ ", output, re.M), label
    assert re.search(r"^day view, 7 provider columns +[0-9.]+|^\(no day view yet", output, re.M)
    assert re.search(r"^sequential, 1 client +10 +0 +[0-9,]+/s +>=354/s", output, re.M)
    assert re.search(r"^3 clients racing \(attempts\) +[0-9]+ +[0-9]+ ", output, re.M)
    assert "Double bookings after the race: 0 (ok" in output
    assert "x peer (118/s)" in output
    # when it runs again, the database is reused as built (the bookings were removed)
    again = _bench(url)
    assert "Building" not in again
    assert "Built " in again


def test_the_scheduling_database_has_a_name_of_its_own(monkeypatch, tmp_path: Path) -> None:
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}}
    monkeypatch.setattr(target, "settings", SimpleNamespace(DATABASES=databases, DATA_DIR=tmp_path))
    chosen = BenchTarget.choose(patients=SchedulingSize(200_000), seed=2026, default_seed=2026)
    assert chosen.name == "medoffice_bench_sched_200000"
    assert chosen.url == f"sqlite:///{tmp_path / 'bench' / 'medoffice_bench_sched_200000.sqlite3'}"
    pg = BenchTarget.choose(patients=SchedulingSize(2000), seed=7, default_seed=2026,
                            url="postgres://u@h:5432/medoffice_bench_sched_2000_s7")  # fmt: skip
    assert pg.name == "medoffice_bench_sched_2000_s7"
