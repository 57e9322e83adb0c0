"""Model fields shared by several contexts."""

from __future__ import annotations

from typing import Any

from django.db import models

from medoffice.core import crypto


class SortKeyField(models.CharField):
    """Text compared byte by byte: "C" collation on PostgreSQL, SQLite's BINARY by default.

    Search keys are queried by range (``key >= 'smith' AND key < 'smith\\x7f'``); only a
    byte-ordered column lets that range use the index under any database locale, also with
    generic plans.
    """

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class EncryptedTextField(models.TextField):
    """A text value stored as a Fernet token (encrypted at rest); "" is stored as "".

    Only ``isnull`` and equality with "" make sense as lookups; find values by a keyed digest
    column beside this one (see ``crypto.lookup_digest``).
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
