"""Building the benchmark database once, and recognising it when it is already built.

Runs in the worker process, connected to the benchmark database. A database is reused when it
holds the demo practice and exactly the patients the generator makes for the same count and
seed (names and MRNs of the first rows compared); an empty one is built; anything else is
stale and the caller drops it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from medoffice.core.identifiers import make_mrn
from medoffice.demo import steps
from medoffice.demo.load import load_population
from medoffice.demo.population import generate
from medoffice.demo.scripted import PracticeIds
from medoffice.patients import queries as patient_queries
from medoffice.practice import queries as practice_queries

FIRST_MRN = 1_000_001
COMPARED_ROWS = 40


@dataclass
class BuildRecord:
    """What the build measured, kept beside the database for the runs that reuse it."""

    patients: int
    seed: int
    built_on: str
    seconds_total: float
    seconds_importing: float
    import_rate: float

    @classmethod
    def read(cls, path: Path) -> BuildRecord | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))


def state(patients: int, seed: int) -> str:
    """ "ready" (built with this count and seed), "empty", or "stale"."""
    practice = practice_queries.get_practice()
    stored = patient_queries.list_patients()
    count = stored.count()
    if practice is None and count == 0:
        return "empty"
    if practice is None or count != patients:
        return "stale"
    first = list(
        stored.order_by("pk").values_list("last_name", "first_name", "mrn")[:COMPARED_ROWS]
    )
    expected = [
        (row["last_name"], row["first_name"], make_mrn(FIRST_MRN + i))
        for i, row in enumerate(_first_rows(min(patients, COMPARED_ROWS), seed))
    ]
    return "ready" if first == expected else "stale"


def _first_rows(count: int, seed: int) -> list[dict]:
    nobody = PracticeIds((), ())
    today = timezone.localdate()
    return [row for house in generate(count, seed=seed, today=today, practice=nobody)
            for row in house.rows]  # fmt: skip


def build(patients: int, seed: int, record: Path, progress: Callable[[int], None]) -> BuildRecord:
    """The demo practice (one transaction), then the population (one per chunk)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, as the demo command
    ctx = steps.DemoContext(
        seed=seed, password=secrets.token_urlsafe(16), rng=rng, patients=patients
    )
    with transaction.atomic():
        for step in steps.STEPS:
            if step is not steps.create_patients:
                step(ctx)
    practice = steps.practice_ids(ctx)
    loaded = load_population(
        patients, seed=seed, today=timezone.localdate(), practice=practice, progress=progress
    )
    built = BuildRecord(
        patients=loaded.patients,
        seed=seed,
        built_on=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        seconds_total=round(loaded.seconds_total, 2),
        seconds_importing=round(loaded.seconds_importing, 2),
        import_rate=round(loaded.import_rate),
    )
    built.write(record)
    return built


def settle() -> None:
    """PostgreSQL: VACUUM ANALYZE, as autovacuum soon would after a bulk load, so the planner
    has statistics and index-only scans need no heap visits (steady state, not the first
    minute after the load). SQLite keeps no statistics unless asked; nothing to do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
