"""Search-as-you-type latency and query plans, with queries sampled from the stored patients.

Each query type is built from randomly chosen real records (so it hits), run once to warm the
caches, then timed in-process with ``time.perf_counter`` around ``search_patients``.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, Min

from medoffice.core.phones import display
from medoffice.demo.bench import report as r
from medoffice.patients import queries as patient_queries
from medoffice.patients.rules.names import fold

BIG_TABLE_ROWS = 10_000  # a scan of a table this large is flagged


def _phone(patient: Any) -> str:
    phones = list(patient.phones.all())
    return display(phones[0].number) if phones else ""


def _prefix(patient: Any) -> str:
    folded = fold(patient.last_name).replace(" ", "")
    return folded[:3] if len(folded) >= 3 else ""


QUERY_TYPES: list[tuple[str, Callable[[Any], str]]] = [
    ("name prefix", _prefix),
    ("last name", lambda p: p.last_name),
    ("last, first", lambda p: f"{p.last_name}, {p.first_name[:2]}"),
    ("date of birth", lambda p: p.birth_date.strftime("%m/%d/%Y")),
    ("phone", _phone),
    ("MRN", lambda p: p.mrn),
    ("name + year", lambda p: f"{fold(p.last_name)} {p.birth_date.year}"),
]


@dataclass
class Timed:
    label: str
    queries: list[tuple[str, int]]  # (text, the patient it was made from)
    ms: list[float] = field(default_factory=list)
    any_hit: int = 0
    found: int = 0


def sample(count: int, rng: random.Random) -> dict[str, list[tuple[str, int]]]:
    """``count`` queries of each type, each made from a randomly chosen stored patient."""
    stored = patient_queries.list_patients()
    bounds = stored.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return {label: [] for label, _ in QUERY_TYPES}
    wanted = min(stored.count(), count * 3)
    ids = rng.sample(range(bounds["low"], bounds["high"] + 1), wanted)
    patients = sorted(stored.filter(pk__in=ids), key=lambda p: ids.index(p.pk))
    made: dict[str, list[tuple[str, int]]] = {}
    for label, make in QUERY_TYPES:
        texts = [(make(p), p.pk) for p in patients]
        made[label] = [(text, pk) for text, pk in texts if text][:count]
    return made


def time_searches(
    made: dict[str, list[tuple[str, int]]], search: Callable[[str], Any]
) -> list[Timed]:
    results = []
    for label, queries in made.items():
        timed = Timed(label, queries)
        for text, _ in queries:  # warm: caches, prepared statements, pages in memory
            search(text)
        for text, pk in queries:
            began = time.perf_counter()
            found = search(text)
            timed.ms.append((time.perf_counter() - began) * 1000)
            ids = {hit.patient.pk for hit in found.hits}
            timed.any_hit += bool(ids)
            timed.found += pk in ids
        results.append(timed)
    return results


def print_latency(write: Callable[[str], None], results: list[Timed], patients: int) -> None:
    target = r.search_target_ms(patients)
    count = max((len(t.queries) for t in results), default=0)
    write(f"Search latency, in-process and warm, ms ({count} queries of each type, 10 hits)")
    table = r.Table(
        write,
        [r.Column("query type", 14, "<"), r.Column("example", 22, "<"), r.Column("p50", 6),
         r.Column("p95", 6), r.Column("p99", 6), r.Column("hit", 5), r.Column("found", 5),
         r.Column(f"target p95 <{target:.0f}", 15), r.Column("peer (10k)", 10)],
    )  # fmt: skip
    for t in results:
        ms = sorted(t.ms)
        p95 = r.percentile(ms, 95)
        n = max(1, len(t.queries))
        table.row(
            t.label, _quoted(t.queries[0][0] if t.queries else ""),
            f"{r.percentile(ms, 50):.2f}", f"{p95:.2f}", f"{r.percentile(ms, 99):.2f}",
            f"{100 * t.any_hit // n}%", f"{100 * t.found // n}%",
            r.verdict(p95 < target), f"{r.PEER_SEARCH_MS / p95:,.0f}x faster" if p95 else "",
        )  # fmt: skip
    write("hit: queries with any result; found: the sampled patient among the 10 shown.")


def _quoted(text: str) -> str:
    return f'"{text[:18]}"'


# ---- plans -----------------------------------------------------------------------------------

_SQLITE_SCAN = re.compile(r"\bSCAN (\w+)")
_PG_SCAN = re.compile(r"Seq Scan on (\w+)")


def full_scans(lines: list[str]) -> list[str]:
    """Tables of ``BIG_TABLE_ROWS`` or more read from end to end by these plan lines."""
    pattern = _SQLITE_SCAN if connection.vendor == "sqlite" else _PG_SCAN
    tables = set(connection.introspection.table_names())
    scanned = []
    for line in lines:
        for table in pattern.findall(line):
            if table in tables and table not in scanned and _rows(table) >= BIG_TABLE_ROWS:
                scanned.append(table)
    return scanned


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def print_plans(
    write: Callable[[str], None],
    made: dict[str, list[tuple[str, int]]],
    explain: Callable[[str], list[str]],
) -> list[str]:
    """Plan lines of one query of each type; returns the types whose plan scans a big table."""
    write("Query plans (one query of each type)")
    flagged = []
    for label, queries in made.items():
        if not queries:
            continue
        lines = explain(queries[0][0])
        scans = full_scans(lines)
        verdict = f"FULL TABLE SCAN of {', '.join(scans)}" if scans else "no full table scan"
        write(f"  {label} {_quoted(queries[0][0])}: {verdict}")
        for line in lines:
            write(f"      {line}")
        if scans:
            flagged.append(label)
    return flagged
