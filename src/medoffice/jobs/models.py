"""Job failures that need a person, and the record of scheduled slots already enqueued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobFailure(models.Model):
    """A job that failed on its last attempt. Holds primary keys only, never PHI."""

    job_name = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict)
    error_type = models.CharField(max_length=200)
    message = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField()
    first_failed_at = models.DateTimeField()
    last_failed_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-last_failed_at"]

    def __str__(self) -> str:
        return f"{self.job_name} failed ({self.error_type})"


class ScheduledRun(models.Model):
    """One row per (job, slot): the unique constraint makes two workers enqueue a slot once."""

    job_name = models.CharField(max_length=200)
    slot_start = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-slot_start"]
        constraints = [
            models.UniqueConstraint(fields=["job_name", "slot_start"], name="jobs_unique_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job_name} @ {timezone.localtime(self.slot_start):%Y-%m-%d %H:%M}"
