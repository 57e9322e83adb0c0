"""Jobs used only by the tests (module level, so the database backend can import them)."""

from __future__ import annotations

from medoffice.jobs.registry import job

CALLS: list[int] = []


@job(max_attempts=2, backoff_seconds=0)
def always_fails(record_id: int) -> None:
    CALLS.append(record_id)
    raise ValueError("synthetic patient Jane Roe 555-0100")


@job(max_attempts=2, backoff_seconds=0)
def succeeds(record_id: int) -> None:
    CALLS.append(record_id)
