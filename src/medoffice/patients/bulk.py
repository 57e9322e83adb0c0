"""Bulk import of patients: the fast path for file imports and the demo population.

Every row is checked first with the registration rules (``bulk_rows``); one bad row refuses the
whole import with messages naming the row and the field, and nothing is written. Then everything
is written in one transaction with multi-row writes of plain values (no model instances; patient
ids reserved up front, so children and guarantor links need no read-back): search keys
(``services.names_of`` + ``rules.names.search_keys``), phone digits, SSN encrypted with its digest
and last four, MRNs from ``services.allocate_mrns``, and one audit entry per batch.

No duplicate detection here, unlike ``services.register_patient``: an import comes from a system
that already keeps one record per person (or is the synthetic demo), and scoring every row
against the registry would cost more than the import. Run the duplicates worklist afterwards.
Responsible parties are not imported in bulk: such a patient is registered through the service.
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.patients import services, validation
from medoffice.patients.bulk_rows import Row, validate_rows
from medoffice.patients.models import Patient, PatientSearchKey
from medoffice.patients.rules.names import NameParts, search_keys

__all__ = ["import_patients", "validate_rows"]

BATCH_SIZE = 5000
SQLITE_CACHE_KIB = 128 * 1024


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Take ``count`` primary keys nobody else can take (call inside the import's transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the IMMEDIATE transaction holds the write lock; never reuse a deleted id.
        cursor.execute(f"SELECT max(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        start = max(highest, sequence[0] if sequence else 0) + 1
        return list(range(start, start + count))


def _adapter(model_field: models.Field) -> Callable[[Any], Any] | None:
    """The conversion Django applies before saving, done once per distinct value (dates and
    timestamps repeat across rows)."""
    if isinstance(model_field, models.DateTimeField):
        return _Converted(connection.ops.adapt_datetimefield_value).__getitem__
    if isinstance(model_field, models.DateField):
        return _Converted(connection.ops.adapt_datefield_value).__getitem__
    if isinstance(model_field, models.JSONField):
        lists = _Converted(lambda key: model_field.get_db_prep_save(list(key), connection))
        return lambda value: lists[tuple(value)]
    return None


class _Converted(dict[Any, Any]):
    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.convert(value)
        return converted


def _insert(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], size: int, *, with_id: bool
) -> None:
    """Write plain values (already valid and encrypted), ``size`` rows at a time: COPY on
    PostgreSQL (about twice the rows per second of INSERT), executemany on SQLite."""
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    pick = operator.itemgetter(*(f.attname for f in fields))
    adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            params = []
            for row in rows[start : start + size]:
                values = list(pick({**defaults, **row}))
                for i, adapt in adapters:
                    values[i] = adapt(values[i])
                params.append(values)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608


@functools.lru_cache(maxsize=65536)
def _keys_of(name: NameParts) -> frozenset[str]:
    """``search_keys`` of one name (a patient's keys are the union over its names); names
    recur in an import (Smith, Emma), so each is folded once."""
    return frozenset(search_keys([name]))


def _write(prepared: Sequence[Row], keys: Sequence[Any], acting_user: Any, size: int) -> list[int]:
    ids = _reserve_ids(Patient, len(prepared))
    mrns = services.allocate_mrns(len(prepared))
    id_of_key = {key: pk for key, pk in zip(keys, ids, strict=True) if key is not None}
    now = timezone.now()
    patients: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = {name: [] for name in validation.CHILDREN}
    search_rows: list[dict[str, Any]] = []
    for pk, mrn, row in zip(ids, mrns, prepared, strict=True):
        values = {**row.values, "id": pk, "mrn": mrn, "created_at": now, "updated_at": now}
        if row.guarantor_key is not None:
            values["guarantor_id"] = id_of_key[row.guarantor_key]
        patients.append(values)
        for name, rows in row.children.items():
            children[name].extend({**child, "patient_id": pk} for child in rows)
        born = values["birth_date"]
        search_rows.extend(
            {"patient_id": pk, "key": key, "birth_date": born}
            for key in sorted(frozenset().union(*map(_keys_of, row.names)))
        )
    _insert(Patient, patients, size, with_id=True)
    for name, rows in children.items():
        _insert(validation.CHILDREN[name][0], rows, size, with_id=False)
    _insert(PatientSearchKey, search_rows, size, with_id=False)
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        record(
            AuditAction.CREATE,
            actor=acting_user,
            target_type="patients.patient",
            detail={"bulk": len(batch), "first_id": batch[0], "last_id": batch[-1]},
        )
    return ids


def import_patients(
    rows: Sequence[Mapping[str, Any]], *, acting_user: Any, batch_size: int = BATCH_SIZE
) -> list[int]:
    """Validate every row, then create them all in one transaction; returns the new ids in order.

    Rows are shaped like ``services.register_patient`` keyword arguments, plus an optional
    row-local ``key`` that another row's ``guarantor_key`` may name (a family in one import), or
    ``guarantor_id`` for an existing patient. Raises ValidationError ("row 17, phones.0.number:
    ...") without writing anything. One audit entry per ``batch_size`` patients.
    """
    rows = list(rows)
    if not rows:
        return []
    prepared = validate_rows(rows)
    with transaction.atomic(), _page_cache():
        return _write(prepared, [raw.get("key") for raw in rows], acting_user, batch_size)


@contextlib.contextmanager
def _page_cache() -> Iterator[None]:
    """SQLite: a larger page cache while importing (the default 2 MiB makes every random index
    insert a read and a spill); the connection's own setting is restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
