"""Reads for the jobs page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from medoffice.jobs.models import JobFailure
from medoffice.jobs.schedule import SCHEDULES, last_runs


def open_failures() -> list[JobFailure]:
    return list(JobFailure.objects.filter(resolved_at__isnull=True).order_by("-last_failed_at"))


def recent_results(limit: int = 50) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by(F("enqueued_at").desc())[:limit])


def schedule_rows(now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    runs = last_runs()
    return [
        {"name": name, "last_run": runs.get(name), "next_run": schedule.next_run(now)}
        for name, schedule in sorted(SCHEDULES.items())
    ]
