"""Posted once per form: a page's hidden key claims (user, key) in the same transaction as the
write it guards, so a double click or a resent form does the work once (the API's
``Idempotency-Key`` rows, ADR 0009, with a prefix so the two never collide)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.core.models import IdempotencyRecord

PREFIX = "form:"


def claim_once(user: Any, key: str, *, path: str) -> bool:
    """True the first time this user sends ``key`` (call inside the write's transaction: if the
    write fails, the claim rolls back with it); False when it was already done."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                user=user,
                key=(PREFIX + key)[:255],
                method="POST",
                path=path[:300],
                request_hash="",
                status_code=303,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return False
    return True
