"""``@job``: a django-tasks task that retries with backoff and records its final failure.

Jobs take primary keys (never model instances or PHI) and must be idempotent: a retry, or a
second worker picking up a re-enqueued attempt, must leave the same result as one clean run.
The attempt number travels as the ``attempt`` keyword argument; the job function never sees it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task


class JobError(Exception):
    """Raise with a message free of PHI: only this exception's message is kept on a failure."""


WITHHELD = "Message withheld (may contain patient data)."


def scrubbed_message(exc: BaseException) -> str:
    return str(exc)[:300] if isinstance(exc, JobError) else WITHHELD


def record_failure(
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    exc: BaseException,
    attempts: int,
    first_failed_at: datetime,
) -> None:
    from medoffice.jobs import services

    services.record_job_failure(
        job_name=name,
        arguments={"args": list(args), "kwargs": kwargs},
        error_type=type(exc).__name__,
        message=scrubbed_message(exc),
        attempts=attempts,
        first_failed_at=first_failed_at,
    )


def job(
    function: Callable[..., Any] | None = None,
    *,
    max_attempts: int | None = None,
    backoff_seconds: int = 60,
) -> Any:
    """Decorate a function as a retried task; the n-th retry waits ``backoff_seconds * n``."""

    def decorate(func: Callable[..., Any]) -> Task[..., Any]:
        limit = max_attempts or settings.MEDOFFICE_TASK_MAX_ATTEMPTS
        this: dict[str, Task[..., Any]] = {}

        @functools.wraps(func)
        def run(*args: Any, attempt: int = 1, first_failed_at: str = "", **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                now = timezone.now()
                first = datetime.fromisoformat(first_failed_at) if first_failed_at else now
                if attempt < limit:
                    retry = this["task"].using(
                        run_after=now + timedelta(seconds=backoff_seconds * attempt)
                    )
                    retry.enqueue(
                        *args, attempt=attempt + 1, first_failed_at=first.isoformat(), **kwargs
                    )
                else:
                    record_failure(this["task"].name, args, kwargs, exc, attempt, first)
                raise

        this["task"] = task(run)
        return this["task"]

    if function is not None:
        return decorate(function)
    return decorate
