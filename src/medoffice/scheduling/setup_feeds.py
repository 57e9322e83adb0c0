"""Calendar subscription feeds: secret, revocable URLs of one provider's calendar.

Like API tokens, only the SHA-256 of the raw token is stored; the raw token is shown once, when
the feed is created. The token is long and random, so looking it up by its hash is safe (an
attacker learns nothing from timing) and costs one indexed query per calendar refresh.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.scheduling.models import CalendarFeed
from medoffice.scheduling.setup_common import actor_or_none

TOKEN_PREFIX = "cal"  # noqa: S105 (a label, not a secret)
TOKEN_MAX_CHARS = 80


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(
    provider: Any, *, acting_user: Any, show_patient_names: bool = False
) -> tuple[CalendarFeed, str]:
    """A new feed of ``provider``'s calendar and its raw token (shown once, never stored)."""
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    feed = CalendarFeed.objects.create(
        provider=provider,
        token_hash=token_hash(raw),
        prefix=prefix,
        show_patient_names=show_patient_names,
        created_at=timezone.now(),
        created_by=actor_or_none(acting_user),
    )
    record(
        AuditAction.TOKEN_CREATED,
        actor=acting_user,
        target=feed,
        detail={
            "prefix": prefix,
            "provider_id": provider.pk,
            "show_patient_names": show_patient_names,
        },
    )
    return feed, raw


@transaction.atomic
def revoke_calendar_feed(feed: CalendarFeed, *, acting_user: Any) -> CalendarFeed:
    """Stop the feed's URL working (at once: the next refresh answers 404)."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    record(
        AuditAction.TOKEN_REVOKED, actor=acting_user, target=feed, detail={"prefix": feed.prefix}
    )
    return feed


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The live feed of this raw token (provider still active), touched as used; else None."""
    if not raw.startswith(f"{TOKEN_PREFIX}_") or len(raw) > TOKEN_MAX_CHARS:
        return None
    feed = (
        CalendarFeed.objects.select_related("provider")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, provider__active=True)
        .first()
    )
    if feed is not None:
        feed.last_used_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=feed.last_used_at)
    return feed
