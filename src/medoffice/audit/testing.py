"""pytest plugin: lets test-database flushes pass the append-only triggers, and keeps every test's
audit checkpoint in its own temporary folder.

Register in tests/conftest.py:  ``pytest_plugins = ["medoffice.audit.testing"]``
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medoffice.audit.maintenance import audit_maintenance


@pytest.fixture(autouse=True, scope="session")
def _audit_flush_allowed() -> Iterator[None]:
    """TransactionTestCase (transactional_db, live_server) flushes every table at teardown."""
    from django.test import TransactionTestCase

    original = getattr(TransactionTestCase, "_fixture_teardown")  # noqa: B009

    def _fixture_teardown(self: TransactionTestCase) -> None:
        from django.db import connections

        aliases = [a for a in connections if a in (self.databases or ())]
        stack = [audit_maintenance(alias) for alias in aliases]
        for manager in stack:
            manager.__enter__()
        try:
            original(self)
        finally:
            for manager in reversed(stack):
                manager.__exit__(None, None, None)

    setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)  # noqa: B010
    yield
    setattr(TransactionTestCase, "_fixture_teardown", original)  # noqa: B010


@pytest.fixture(autouse=True)
def _audit_checkpoint_in_tmp(settings: Any, tmp_path: Path) -> None:
    """A fresh test database must not be checked against another run's checkpoint."""
    settings.MEDOFFICE_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoint.json"
