"""Project-wide pytest set-up."""

from __future__ import annotations

import os

os.environ.setdefault("MEDOFFICE_ENV", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Test-database flushes (transactional_db, live_server) must pass the audit append-only triggers.
pytest_plugins = ["medoffice.audit.testing"]
