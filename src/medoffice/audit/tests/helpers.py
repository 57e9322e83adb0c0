"""Tampering helpers: raw SQL past the append-only triggers, as an attacker with DB access would."""

from __future__ import annotations

from typing import Any

from django.db import connection

from medoffice.audit.maintenance import audit_maintenance
from medoffice.audit.models import AuditEntry

TABLE = AuditEntry._meta.db_table


def tamper(sql: str, params: list[Any] | None = None) -> None:
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute(sql.replace("{t}", TABLE), params or [])


def columns() -> list[str]:
    return [field.column for field in AuditEntry._meta.concrete_fields]
