# ruff: noqa: S608 - DDL built from the constants below, never from input
"""No double booking in the database itself (docs/adr/0008-no-double-booking.md).

PostgreSQL: exclusion constraints over (provider, time range) and (resource, time range).
SQLite: triggers that refuse an overlapping insert or update; SQLite admits one writer at a
time, so the check and the write cannot interleave with another booking. An appointment lasts
at most a day (the booking service refuses longer), so the trigger reads only the index range of
the day before, not the provider's whole history.
"""

from django.db import migrations

HOLDING = "('booked', 'confirmed', 'arrived', 'roomed', 'with_provider', 'checked_out')"
APPOINTMENTS = "scheduling_appointment"
USES = "scheduling_appointmentresource"

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE {APPOINTMENTS} ADD CONSTRAINT appointment_no_double_booking
        EXCLUDE USING gist (provider_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (status IN {HOLDING} AND NOT overbook)""",
    f"""ALTER TABLE {USES} ADD CONSTRAINT resource_no_double_booking
        EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (holds_time)""",
]
POSTGRES_DOWN = [
    f"ALTER TABLE {APPOINTMENTS} DROP CONSTRAINT appointment_no_double_booking",
    f"ALTER TABLE {USES} DROP CONSTRAINT resource_no_double_booking",
]


def _sqlite_trigger(name: str, event: str, table: str, key: str, when: str, holds: str) -> str:
    other = "AND o.id <> NEW.id" if event.startswith("UPDATE") else ""
    return f"""
        CREATE TRIGGER {name} BEFORE {event} ON {table}
        WHEN {when}
        BEGIN
            SELECT RAISE(ABORT, '{name.rsplit("_", 1)[0]}')
            WHERE EXISTS (
                SELECT 1 FROM {table} o
                WHERE o.{key} = NEW.{key} {other} AND {holds}
                  AND o.starts_at > datetime(NEW.starts_at, '-1 day')
                  AND o.starts_at < NEW.ends_at AND NEW.starts_at < o.ends_at
            );
        END"""


APPOINTMENT_WHEN = f"NEW.status IN {HOLDING} AND NOT NEW.overbook"
APPOINTMENT_HOLDS = f"o.status IN {HOLDING} AND NOT o.overbook"
SQLITE_TRIGGERS = [
    ("appointment_no_double_booking_insert", "INSERT", APPOINTMENTS, "provider_id",
     APPOINTMENT_WHEN, APPOINTMENT_HOLDS),
    ("appointment_no_double_booking_update",
     "UPDATE OF provider_id, starts_at, ends_at, status, overbook", APPOINTMENTS, "provider_id",
     APPOINTMENT_WHEN, APPOINTMENT_HOLDS),
    ("resource_no_double_booking_insert", "INSERT", USES, "resource_id", "NEW.holds_time",
     "o.holds_time"),
    ("resource_no_double_booking_update",
     "UPDATE OF resource_id, starts_at, ends_at, holds_time", USES, "resource_id",
     "NEW.holds_time", "o.holds_time"),
]  # fmt: skip


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRES_UP:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for spec in SQLITE_TRIGGERS:
            schema_editor.execute(_sqlite_trigger(*spec))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRES_DOWN:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for name, *_ in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
