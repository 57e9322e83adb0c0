"""Scheduled insurance jobs: tomorrow's eligibility, and batch answers as they arrive."""

from __future__ import annotations

from medoffice.jobs.registry import job
from medoffice.jobs.schedule import daily, every


@daily(at="02:00")
@job
def check_next_business_day() -> None:
    """Check every visit of the next business day (idempotent: checked visits are skipped)."""
    from medoffice.insurance.services import batch

    batch.run_day(batch.next_business_day())


@every(minutes=15)
@job
def collect_eligibility_batches() -> None:
    """Read 271s returned by folder/SFTP clearinghouses (idempotent: answered checks are final)."""
    from medoffice.insurance.choices import ClearinghouseKind
    from medoffice.insurance.models import Clearinghouse
    from medoffice.insurance.services import batch

    for house in Clearinghouse.objects.filter(active=True).exclude(
        kind=ClearinghouseKind.CORE_HTTP
    ):
        batch.collect_batch_results(house)
