"""What every write of the context shares: the acting user, audit entries, input checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.authorizations.matching import day_of
from medoffice.core.identifiers import npi_is_valid
from medoffice.scheduling.choices import HOLDING_TIME

__all__ = ["AuditAction", "audit", "check_npi", "fail", "user_or_none", "visit_day"]


def user_or_none(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def audit(
    action: str,
    target: Any,
    *,
    acting_user: Any,
    patient_id: int,
    fields: Iterable[str] = (),
    detail: Mapping[str, Any] | None = None,
    outcome: str = "success",
) -> None:
    """One audit entry; ``detail`` carries ids, statuses and field names only, never values."""
    record(
        action,
        actor=acting_user,
        target=target,
        patient_id=patient_id,
        fields=sorted(set(fields)),
        detail=dict(detail or {}),
        outcome=outcome,
    )


def fail(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def check_npi(npi: str, errors: dict[str, str], field: str) -> str:
    npi = npi.strip()
    if npi and not npi_is_valid(npi):
        errors[field] = "This NPI's check digit does not match: check the ten digits."
    return npi


def visit_day(appointment: Any) -> Any:
    """The appointment's calendar day at its location."""
    location = appointment._state.fields_cache.get("location")
    return day_of(appointment.starts_at, location.time_zone if location else None)


def refuse_uncountable(appointment: Any, what: str) -> None:
    if appointment.status not in HOLDING_TIME:
        label = appointment.get_status_display().lower()
        raise AuthorizationRefused(f"A {label} appointment does not count against {what}.")
