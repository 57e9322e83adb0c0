"""Loading the synthetic population into the registry (the demo step and the benchmark build)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from medoffice.demo.population import generate
from medoffice.demo.scripted import Alert, PracticeIds
from medoffice.patients import bulk, queries, services

CHUNK_ROWS = 20_000  # rows per import: whole households, one transaction each


@dataclass
class Loaded:
    patients: int = 0
    seconds_importing: float = 0.0  # inside ``bulk.import_patients`` only
    seconds_total: float = 0.0  # generating, importing and the alerts
    alerts: int = 0
    duplicate_pairs: list[tuple[int, int]] = field(default_factory=list)  # (kept, repeated)

    @property
    def import_rate(self) -> float:
        return self.patients / self.seconds_importing if self.seconds_importing else 0.0


def load_population(
    count: int,
    *,
    seed: int,
    today: dt.date,
    practice: PracticeIds,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
) -> Loaded:
    """Generate ``count`` patients and import them in chunks of whole households."""
    loaded = Loaded()
    started = time.perf_counter()
    ids: dict[str, int] = {}
    rows: list[dict] = []
    alerts: list[Alert] = []
    pairs: list[tuple[str, str]] = []

    def flush() -> None:
        began = time.perf_counter()
        new_ids = bulk.import_patients(rows, acting_user=None)
        loaded.seconds_importing += time.perf_counter() - began
        ids.update(zip((row["key"] for row in rows), new_ids, strict=True))
        loaded.patients += len(new_ids)
        rows.clear()
        if progress is not None:
            progress(loaded.patients)

    for house in generate(count, seed=seed, today=today, practice=practice):
        rows.extend(house.rows)
        alerts.extend(house.alerts)
        if house.duplicate_of:
            pairs.append((house.duplicate_of, house.rows[0]["key"]))
        if len(rows) >= chunk_rows:
            flush()
    if rows:
        flush()
    loaded.alerts = _add_alerts(alerts, ids)
    loaded.duplicate_pairs = [(ids[kept], ids[again]) for kept, again in pairs]
    loaded.seconds_total = time.perf_counter() - started
    return loaded


def _add_alerts(alerts: list[Alert], ids: dict[str, int]) -> int:
    patients = queries.list_patients().in_bulk([ids[a.key] for a in alerts])
    for alert in alerts:
        services.add_alert(
            patients[ids[alert.key]],
            acting_user=None,
            kind=alert.kind,
            severity=alert.severity,
            message=alert.message,
        )
    return len(alerts)
