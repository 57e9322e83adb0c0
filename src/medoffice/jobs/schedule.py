"""A small schedule: ``every(minutes=...)`` or ``daily(at="HH:MM")`` in the practice time zone.

``tick()`` enqueues each schedule's current slot once: the ``ScheduledRun`` unique constraint on
(job name, slot start) makes a second tick, or a second worker, skip a slot already taken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.jobs.models import ScheduledRun

logger = logging.getLogger("medoffice.jobs")


@dataclass(frozen=True)
class Schedule:
    task: Any
    period: timedelta
    daily_at: time | None = None

    @property
    def name(self) -> str:
        return str(self.task.module_path)

    def slot_start(self, now: datetime) -> datetime:
        """The start of the slot ``now`` falls in (aware, practice time zone)."""
        local = timezone.localtime(now)
        if self.daily_at is not None:
            slot = local.replace(
                hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
            )
            return slot if slot <= local else slot - timedelta(days=1)
        minutes = int(self.period.total_seconds() // 60)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        elapsed = int((local - midnight).total_seconds() // 60)
        return midnight + timedelta(minutes=elapsed - elapsed % minutes)

    def next_run(self, now: datetime) -> datetime:
        return self.slot_start(now) + self.period


SCHEDULES: dict[str, Schedule] = {}


def _register(schedule: Schedule) -> Schedule:
    SCHEDULES[schedule.name] = schedule
    return schedule


def every(*, minutes: int) -> Any:
    def decorate(task: Any) -> Any:
        _register(Schedule(task=task, period=timedelta(minutes=minutes)))
        return task

    return decorate


def daily(*, at: str) -> Any:
    hour, minute = (int(part) for part in at.split(":"))

    def decorate(task: Any) -> Any:
        _register(Schedule(task=task, period=timedelta(days=1), daily_at=time(hour, minute)))
        return task

    return decorate


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every schedule's current slot not yet enqueued; return the job names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for schedule in SCHEDULES.values():
        slot = schedule.slot_start(now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job_name=schedule.name, slot_start=slot)
                schedule.task.enqueue()
        except IntegrityError:
            continue
        logger.info("Scheduled job enqueued job=%s slot=%s", schedule.name, slot.isoformat())
        enqueued.append(schedule.name)
    return enqueued


def last_runs() -> dict[str, datetime]:
    runs: dict[str, datetime] = {}
    for run in ScheduledRun.objects.filter(job_name__in=list(SCHEDULES)).order_by("slot_start"):
        runs[run.job_name] = run.slot_start
    return runs
