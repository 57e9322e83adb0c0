"""The real background jobs. Each is idempotent and takes primary keys only."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from medoffice.jobs.registry import job
from medoffice.jobs.schedule import daily


@daily(at="03:00")
@job
def clear_expired_sessions() -> None:
    """Delete expired sessions (idempotent: a second run finds nothing to delete)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
