"""The one sanctioned way past the append-only triggers: test flushes and deliberate tampering
in tests. Never used by application code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


def _set(connection: BaseDatabaseWrapper, on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT set_config('medoffice.audit_maintenance', %s, false)",
                ["on" if on else "off"],
            )
        elif connection.vendor == "sqlite":
            if "audit_maintenance" not in connection.introspection.table_names(cursor):
                return
            if on:
                cursor.execute("INSERT OR IGNORE INTO audit_maintenance (id) VALUES (1)")
            else:
                cursor.execute("DELETE FROM audit_maintenance")


@contextmanager
def audit_maintenance(using: str = "default") -> Iterator[None]:
    """Allow UPDATE/DELETE/TRUNCATE of audit entries on this connection for the block."""
    connection = connections[using]
    _set(connection, True)
    try:
        yield
    finally:
        _set(connection, False)
