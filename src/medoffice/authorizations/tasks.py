"""Background jobs of the authorizations context (idempotent, no arguments)."""

from __future__ import annotations

from django.utils import timezone

from medoffice.jobs.registry import job
from medoffice.jobs.schedule import daily


@daily(at="02:30")
@job
def expire_authorizations_daily() -> None:
    """Approved authorizations past their last day become expired (a second run finds none)."""
    from medoffice.authorizations import services

    services.expire_authorizations(timezone.localdate(), acting_user=None)
