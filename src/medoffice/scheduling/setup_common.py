"""What the set-up services share: applying changes, saving with an audit entry, time zones."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.scheduling.setup_recurrence import RecurrenceError


def actor_or_none(acting_user: Any) -> Any:
    """The user to store as ``created_by`` (None for system work such as the demo)."""
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def apply(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set attributes, returning the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def save_new(obj: models.Model, acting_user: Any, fields: Iterable[str], **detail: Any) -> None:
    obj.full_clean()
    obj.save()
    record(AuditAction.CREATE, actor=acting_user, target=obj, fields=sorted(fields), detail=detail)


def save_changes(obj: models.Model, changed: Sequence[str], acting_user: Any) -> None:
    if not changed:
        return
    obj.full_clean()
    obj.save()
    record(AuditAction.UPDATE, actor=acting_user, target=obj, fields=sorted(changed))


def audit_delete(obj: models.Model, acting_user: Any, **detail: Any) -> None:
    record(AuditAction.DELETE, actor=acting_user, target=obj, detail=detail)


def refuse(error: RecurrenceError | str, field: str | None = None) -> ValidationError:
    """A ValidationError the forms can show next to ``field`` (or at the top)."""
    message = str(error)
    return ValidationError({field: [message]} if field else message)


def zone_name(*, location: Any = None, provider: Any = None) -> str:
    """The time zone set-up times are typed in: the location's, the provider's first, or the
    practice default."""
    if location is not None:
        return str(location.time_zone)
    if provider is not None:
        first = provider.locations.order_by("pk").first()
        if first is not None:
            return str(first.time_zone)
    return str(settings.TIME_ZONE)


def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)
