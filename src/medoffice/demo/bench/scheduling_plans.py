"""The slowest statements of one call, with the plans the database chose for them.

Printed by the scheduling benchmark for every figure that misses its target: a plan shows
whether an index was used or a table was read end to end (SQLite: EXPLAIN QUERY PLAN;
PostgreSQL: EXPLAIN ANALYZE, so the real row counts and times show).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def print_plans(
    write: Callable[[str], None], label: str, call: Callable[[], object], top: int = 3
) -> None:
    """Run ``call`` once, then print its ``top`` slowest statements and their plans."""
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - began) * 1000
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    in_sql = sum(float(q["time"]) for q in queries) * 1000
    write(
        f"  {label}: {len(queries)} statements, {in_sql:.1f} ms in the database of "
        f"{elapsed:.1f} ms; the slowest {min(top, len(queries))}:"
    )
    for query in queries[:top]:
        sql = query["sql"]
        write(f"    {float(query['time']) * 1000:.1f} ms  {sql[:400]}")
        for line in explain(sql):
            write(f"        {line}")


def explain(sql: str) -> list[str]:
    """The plan of one SELECT (other statements: none)."""
    if not sql.lstrip().upper().startswith("SELECT"):
        return []
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return [str(row[-1]) for row in rows]
    return [str(row[0]) for row in rows]
