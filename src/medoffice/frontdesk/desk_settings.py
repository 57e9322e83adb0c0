"""The desk's settings per location (wait colours, lateness, the public screen) and the secret,
revocable address of the waiting-room screen.

The screen's token is shown once when made; only its SHA-256 is stored, so the database cannot
give it away. Making a new one revokes the old address.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.frontdesk.choices import DisplayMode
from medoffice.frontdesk.models import DeskSettings

TOKEN_BYTES = 24


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def settings_for(location: Any) -> DeskSettings:
    """The location's own settings, else the practice default, else the built-in defaults."""
    found = {s.location_id: s for s in DeskSettings.objects.filter(location_id__in=[location.pk])}
    if location.pk in found:
        return found[location.pk]
    default = DeskSettings.objects.filter(location__isnull=True).first()
    if default is not None:
        return default
    return DeskSettings(location=None)


def _own(location: Any) -> DeskSettings:
    own, _ = DeskSettings.objects.select_for_update().get_or_create(location=location)
    return own


@transaction.atomic
def update_settings(
    location: Any,
    *,
    acting_user: Any,
    wait_warning_minutes: int,
    wait_alert_minutes: int,
    late_after_minutes: int,
    display_mode: str,
) -> DeskSettings:
    if display_mode not in DisplayMode.values:
        raise ValidationError({"display_mode": "Choose how the screen names patients."})
    if not 1 <= wait_warning_minutes <= wait_alert_minutes <= 240:
        raise ValidationError(
            {"wait_alert_minutes": "Red must come at or after amber (1 to 240 minutes)."}
        )
    if not 0 <= late_after_minutes <= 120:
        raise ValidationError({"late_after_minutes": "Give 0 to 120 minutes."})
    own = _own(location)
    own.wait_warning_minutes = wait_warning_minutes
    own.wait_alert_minutes = wait_alert_minutes
    own.late_after_minutes = late_after_minutes
    own.display_mode = display_mode
    own.save()
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=own,
        fields=["wait_warning_minutes", "wait_alert_minutes", "late_after_minutes", "display_mode"],
    )
    return own


@transaction.atomic
def create_display_token(location: Any, *, acting_user: Any) -> str:
    """A new secret address for the location's waiting-room screen; the old one stops working."""
    own = _own(location)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    own.display_token_hash = _digest(token)
    own.display_token_prefix = token[:6]
    own.display_token_created_at = timezone.now()
    own.save(
        update_fields=["display_token_hash", "display_token_prefix", "display_token_created_at"]
    )
    record(AuditAction.SECURITY, actor=acting_user, target=own, detail={"display": "created"})
    return token


@transaction.atomic
def revoke_display_token(location: Any, *, acting_user: Any) -> None:
    own = _own(location)
    own.display_token_hash = own.display_token_prefix = ""
    own.display_token_created_at = None
    own.save(
        update_fields=["display_token_hash", "display_token_prefix", "display_token_created_at"]
    )
    record(AuditAction.SECURITY, actor=acting_user, target=own, detail={"display": "revoked"})


def settings_for_token(token: str) -> DeskSettings | None:
    """The settings whose screen this token opens (a location's only), or None."""
    if not token or len(token) > 100:
        return None
    found = (
        DeskSettings.objects.filter(display_token_hash=_digest(token), location__isnull=False)
        .select_related("location")
        .first()
    )
    if found is None or not secrets.compare_digest(found.display_token_hash, _digest(token)):
        return None
    return found
