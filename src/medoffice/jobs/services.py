"""Writes for the jobs app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit import services as audit
from medoffice.audit.choices import AuditAction
from medoffice.jobs.models import JobFailure


def record_job_failure(
    *,
    job_name: str,
    arguments: dict[str, Any],
    error_type: str,
    message: str,
    attempts: int,
    first_failed_at: datetime,
) -> JobFailure:
    with transaction.atomic():
        return JobFailure.objects.create(
            job_name=job_name,
            arguments=arguments,
            error_type=error_type,
            message=message,
            attempts=attempts,
            first_failed_at=first_failed_at,
            last_failed_at=timezone.now(),
        )


def resolve_job_failure(failure_id: int, *, acting_user: Any) -> JobFailure:
    """Mark a failure as dealt with; resolving twice keeps the first resolution."""
    with transaction.atomic():
        failure = JobFailure.objects.select_for_update().get(pk=failure_id)
        if failure.resolved_at is None:
            failure.resolved_at = timezone.now()
            failure.resolved_by = acting_user
            failure.save(update_fields=["resolved_at", "resolved_by"])
            audit.record(
                AuditAction.UPDATE,
                actor=acting_user,
                target_type="jobs.jobfailure",
                target_id=failure.pk,
                fields=("resolved_at", "resolved_by"),
            )
        return failure
