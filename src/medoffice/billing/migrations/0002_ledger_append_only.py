"""The database refuses UPDATE and DELETE (and on PostgreSQL TRUNCATE) of ledger entries and
tenders: balances are sums of entries, corrections are reversing entries.

They pass only under the audit maintenance flag (test-database flushes), the same flag the audit
trail's triggers honour (medoffice.audit.maintenance).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = ("billing_ledgerentry", "billing_tender")


def _sqlite_up(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversing entry'); END""",  # noqa: S608
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversing entry'); END""",  # noqa: S608
    ]


def _sqlite_down(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


PG_FUNCTION = """CREATE OR REPLACE FUNCTION billing_refuse_change() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('medoffice.audit_maintenance', true), '') = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'ledger entries are append-only: post a reversing entry (% refused)', TG_OP;
    END;
    $$ LANGUAGE plpgsql"""


def _pg_up(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION billing_refuse_change()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_change()""",
    ]


def _pg_down(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
    ]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, None)


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            _run(schema_editor, _sqlite_up(table))
        elif vendor == "postgresql":
            _run(schema_editor, [PG_FUNCTION, *_pg_up(table)])


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            _run(schema_editor, _sqlite_down(table))
        elif vendor == "postgresql":
            _run(schema_editor, _pg_down(table))
    if vendor == "postgresql":
        _run(schema_editor, ["DROP FUNCTION IF EXISTS billing_refuse_change()"])


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
