"""The business day every posting belongs to, and the lock that keeps a closed day closed.

Posting takes a *shared* lock on the day's row (PostgreSQL ``FOR SHARE``): many postings run at
once, but ``close_day`` takes ``FOR UPDATE`` and so waits for postings in flight, and every
posting after it sees the day closed. On SQLite writers are serialized by IMMEDIATE transactions.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from medoffice.billing.choices import DayStatus
from medoffice.billing.errors import DayClosedError
from medoffice.billing.models import BusinessDay

_SELECT = "SELECT id, status FROM billing_businessday WHERE date = %s"


def business_today() -> dt.date:
    return timezone.localdate()


def lock_day_for_posting(day: dt.date) -> int:
    """The open day's id, shared-locked until commit; ``DayClosedError`` if it is closed."""
    row = _read(day, share=True)
    if row is None:
        BusinessDay.objects.bulk_create([BusinessDay(date=day)], ignore_conflicts=True)
        row = _read(day, share=True)
    assert row is not None
    day_id, status = row
    if status != DayStatus.OPEN:
        raise DayClosedError(
            f"The books for {day:%b %-d, %Y} are closed; a manager must reopen the day first."
        )
    return int(day_id)


def _read(day: dt.date, *, share: bool) -> tuple[int, str] | None:
    sql = _SELECT + (" FOR SHARE" if share and connection.vendor == "postgresql" else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [day])
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def is_closed(day: dt.date) -> bool:
    return BusinessDay.objects.filter(date=day, status=DayStatus.CLOSED).exists()
