"""Smoke test of ``medoffice bench patients``: every figure's line is printed (values vary)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from medoffice.demo.bench import build, target
from medoffice.demo.bench.search import QUERY_TYPES, full_scans
from medoffice.demo.bench.target import BenchTarget

TINY = ["--patients", "300", "--queries", "5", "--registrations", "5",
        "--api-registrations", "3", "--fresh-bulk", "50"]  # fmt: skip


def _bench(url: str, *extra: str) -> str:
    out = StringIO()
    call_command("bench", "patients", *TINY, "--database-url", url, *extra, stdout=out)
    return out.getvalue()


def test_bench_prints_every_figure_and_reuses_its_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'medoffice_bench_300.sqlite3'}"
    # when it runs the first time
    output = _bench(url)
    # then it built the database and printed each figure beside its target
    assert "Building the benchmark database: 300 patients" in output
    assert re.search(r"p50 +p95 +p99", output)
    for label, _make in QUERY_TYPES:
        assert re.search(rf"^{re.escape(label)} +\".*\" +[0-9.]+ +[0-9.]+ +[0-9.]+ ", output, re.M)
        assert re.search(rf"^  {re.escape(label)} \".*\": (no full table scan|FULL)", output, re.M)
    for line in ("service register_patient", "HTTP API POST /api/patients/",
                 "build of the database", "a fresh 50 on top"):  # fmt: skip
        assert re.search(rf"^{re.escape(line)}.* [0-9,]+/s +>=[0-9,]+/s", output, re.M), line
    assert "x peer (104/s)" in output
    # when it runs again, the database is reused as built
    again = _bench(url)
    assert "Building" not in again
    assert "build of the database" in again


@pytest.mark.django_db
def test_a_database_is_reused_only_for_the_same_size_and_seed() -> None:
    assert build.state(300, 2026) == "empty"
    call_command(
        "demo", "--patients", "300", "--seed", "2026", "--password", "pw", stdout=StringIO()
    )
    assert build.state(300, 2026) == "ready"
    assert build.state(300, 7) == "stale"
    assert build.state(301, 2026) == "stale"


def test_the_bench_never_uses_the_working_database(monkeypatch, tmp_path: Path) -> None:
    own = tmp_path / "mine.sqlite3"
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(own)}}
    monkeypatch.setattr(target, "settings", SimpleNamespace(DATABASES=databases, DATA_DIR=tmp_path))
    with pytest.raises(CommandError, match="never runs in the database you work in"):
        BenchTarget.choose(patients=1, seed=1, default_seed=1, url=f"sqlite:///{own}")
    with pytest.raises(CommandError, match="starts with medoffice_bench"):
        BenchTarget.choose(patients=1, seed=1, default_seed=1, url="postgres://u@h:5432/clinic")
    chosen = BenchTarget.choose(patients=1000, seed=7, default_seed=1)
    assert chosen.url == f"sqlite:///{tmp_path / 'bench' / 'medoffice_bench_1000_s7.sqlite3'}"


def test_a_full_scan_of_a_big_table_is_flagged(monkeypatch) -> None:
    from medoffice.demo.bench import search

    monkeypatch.setattr(search, "_rows", lambda table: 50_000 if table == "patients_patient" else 3)
    monkeypatch.setattr(search.connection, "vendor", "sqlite")
    monkeypatch.setattr(
        search.connection.introspection, "table_names", lambda: ["patients_patient", "tiny"]
    )
    lines = ["SCAN patients_patient", "SCAN tiny", "SEARCH patients_patient USING INDEX x (y=?)"]
    assert full_scans(lines) == ["patients_patient"]
