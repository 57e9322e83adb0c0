"""The append-only audit trail (HIPAA 164.312(b), ONC 170.315(d)(2),(3),(10)).

Each entry carries the HMAC of its own content plus the previous entry's hash, so any change,
removal, insertion or reordering breaks the chain. See docs/adr/0002-audit-hash-chain.md.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from medoffice.audit.choices import AuditAction, AuditOutcome


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be removed.")


class AuditEntry(models.Model):
    # Assigned by record() under the append lock (previous id + 1); part of the hash.
    id = models.BigIntegerField(primary_key=True, editable=False)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    outcome = models.CharField(
        max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    emergency = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_when"),
            models.Index(fields=["patient_id", "-occurred_at"], name="audit_patient_when"),
            models.Index(fields=["action", "-occurred_at"], name="audit_action_when"),
            models.Index(fields=["-occurred_at"], name="audit_when"),
        ]

    def __str__(self) -> str:
        who = self.actor_username or "system"
        return (
            f"#{self.id} {self.get_action_display()} by {who} at {self.occurred_at:%Y-%m-%d %H:%M}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be removed.")
