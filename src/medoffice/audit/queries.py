"""Reading the audit trail (report page, CSV export, API)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from medoffice.audit.models import AuditEntry


def _start_of(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(datetime.combine(day, time.min))


def search_entries(
    *,
    actor_id: int | None = None,
    patient_id: int | None = None,
    action: str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first. A date ``end`` includes that whole day; a datetime is exclusive."""
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if patient_id is not None:
        entries = entries.filter(patient_id=patient_id)
    if action:
        entries = entries.filter(action=action)
    if start is not None:
        entries = entries.filter(occurred_at__gte=_start_of(start))
    if end is not None:
        if isinstance(end, datetime):
            entries = entries.filter(occurred_at__lt=_start_of(end))
        else:
            entries = entries.filter(occurred_at__lt=_start_of(end + timedelta(days=1)))
    return entries
