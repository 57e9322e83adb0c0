"""Every write of the visit at the desk: check in, confirm demographics, move the visit along
the waiting room (roomed, with provider, ready for check-out) and check out.

Status changes go through ``scheduling.services.set_status`` (its history is the visit
timeline); the check-in adds what scheduling does not keep: the arrival instant, lateness, the
ticket number, the checklist and "ready for check-out". Each function runs in one transaction
and writes its audit entry.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.frontdesk import desk_settings
from medoffice.frontdesk.errors import DeskRefused
from medoffice.frontdesk.models import CheckIn, DemographicsConfirmation
from medoffice.frontdesk.rules import waits
from medoffice.scheduling import services as scheduling
from medoffice.scheduling.choices import AppointmentStatus as S
from medoffice.scheduling.errors import InvalidTransition

CAN_CHECK_IN = (S.BOOKED, S.CONFIRMED)
TICKET_TRIES = 5


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def local_day(location: Any, at: dt.datetime) -> dt.date:
    return at.astimezone(zoneinfo.ZoneInfo(location.time_zone)).date()


def _audit(action: str, check_in: CheckIn, acting_user: Any, fields: Iterable[str]) -> None:
    record(
        action,
        actor=acting_user,
        target=check_in,
        patient_id=check_in.patient_id,
        fields=sorted(fields),
    )


def _next_ticket(location_id: int, day: dt.date) -> int:
    top = CheckIn.objects.filter(location_id=location_id, arrival_date=day).aggregate(
        top=Max("ticket")
    )["top"]
    return int(top or 0) + 1


def _save_with_ticket(check_in: CheckIn) -> None:
    """Two desks checking in at once may pick one number: the unique constraint decides."""
    for attempt in range(TICKET_TRIES):
        check_in.ticket = _next_ticket(check_in.location_id, check_in.arrival_date)
        try:
            with transaction.atomic():
                check_in.save()
            return
        except IntegrityError:
            if attempt == TICKET_TRIES - 1:
                raise


@transaction.atomic
def check_in(appointment: Any, *, acting_user: Any, at: dt.datetime | None = None) -> CheckIn:
    """The patient is here: the appointment becomes arrived; arrival and lateness are kept."""
    if CheckIn.objects.filter(appointment_id=appointment.pk).exists():
        raise DeskRefused("This visit is already checked in.")
    if appointment.status not in CAN_CHECK_IN:
        label = S(appointment.status).label.lower()
        raise DeskRefused(f"A {label} appointment cannot be checked in.")
    arrived_at = at or timezone.now()
    location = appointment.location
    if local_day(location, arrived_at) != local_day(location, appointment.starts_at):
        raise DeskRefused("Only today's appointments can be checked in.")
    try:
        scheduling.set_status(appointment, S.ARRIVED, acting_user=acting_user)
    except InvalidTransition as exc:
        raise DeskRefused(str(exc)) from None
    grace = desk_settings.settings_for(location).late_after_minutes
    late_by = waits.minutes_late(appointment.starts_at, arrived_at)
    found = CheckIn(
        appointment=appointment,
        patient_id=appointment.patient_id,
        location=location,
        arrival_date=local_day(location, arrived_at),
        arrived_at=arrived_at,
        minutes_late=min(late_by, 32000),
        late=late_by > grace,
        checked_in_by=_user(acting_user),
    )
    _save_with_ticket(found)
    _audit(AuditAction.CREATE, found, acting_user, ["arrived_at", "minutes_late"])
    appointment.status = S.ARRIVED
    return found


def _locked(check_in: CheckIn) -> CheckIn:
    return (
        CheckIn.objects.select_for_update()
        .select_related("appointment", "appointment__location", "patient")
        .get(pk=check_in.pk)
    )


@transaction.atomic
def confirm_demographics(
    patient: Any, *, acting_user: Any, check_in: CheckIn | None = None
) -> DemographicsConfirmation:
    """The patient said name, address, phones and guarantor are right (kept as "last confirmed")."""
    now = timezone.now()
    confirmation, _ = DemographicsConfirmation.objects.update_or_create(
        patient_id=patient.pk, defaults={"confirmed_at": now, "confirmed_by": _user(acting_user)}
    )
    if check_in is not None:
        current = _locked(check_in)
        current.demographics_confirmed_at = now
        current.demographics_confirmed_by = _user(acting_user)
        current.save(update_fields=["demographics_confirmed_at", "demographics_confirmed_by"])
        check_in.demographics_confirmed_at = now
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=confirmation,
        patient_id=patient.pk,
        fields=["confirmed_at"],
    )
    return confirmation


@transaction.atomic
def mark_forms_complete(check_in: CheckIn, *, acting_user: Any, complete: bool) -> CheckIn:
    """Tick (or untick) "required forms complete" once intake shows nothing left due."""
    current = _locked(check_in)
    current.forms_complete_at = timezone.now() if complete else None
    current.save(update_fields=["forms_complete_at"])
    _audit(AuditAction.UPDATE, current, acting_user, ["forms_complete_at"])
    return current


@transaction.atomic
def move_visit(check_in: CheckIn, to: str, *, acting_user: Any) -> CheckIn:
    """Roomed or with provider (scheduling statuses), or ready for check-out (the desk's own)."""
    current = _locked(check_in)
    appointment = current.appointment
    if to == "ready_for_checkout":
        if appointment.status != S.WITH_PROVIDER:
            raise DeskRefused("Only a patient with the provider can be ready for check-out.")
        if current.ready_for_checkout_at is None:
            current.ready_for_checkout_at = timezone.now()
            current.save(update_fields=["ready_for_checkout_at"])
            _audit(AuditAction.UPDATE, current, acting_user, ["ready_for_checkout_at"])
        return current
    if to not in (S.ROOMED, S.WITH_PROVIDER):
        raise DeskRefused("Choose roomed, with provider or ready for check-out.")
    try:
        current.appointment = scheduling.set_status(appointment, to, acting_user=acting_user)
    except InvalidTransition as exc:
        raise DeskRefused(str(exc)) from None
    return current


@transaction.atomic
def check_out(check_in: CheckIn, *, acting_user: Any) -> CheckIn:
    """The visit ends at the desk: the appointment becomes checked out."""
    current = _locked(check_in)
    try:
        current.appointment = scheduling.set_status(
            current.appointment, S.CHECKED_OUT, acting_user=acting_user
        )
    except InvalidTransition as exc:
        raise DeskRefused(str(exc)) from None
    now = timezone.now()
    current.checked_out_at = now
    current.checked_out_by = _user(acting_user)
    if current.ready_for_checkout_at is None:
        current.ready_for_checkout_at = now
    current.save(update_fields=["checked_out_at", "checked_out_by", "ready_for_checkout_at"])
    _audit(AuditAction.UPDATE, current, acting_user, ["checked_out_at"])
    return current


def audit_shown(patient_ids: Iterable[int], *, acting_user: Any, what: str) -> None:
    """A desk page or answer listing patients (today, board, chart prep) is a PHI read."""
    shown = sorted(set(patient_ids))
    record(
        AuditAction.READ,
        actor=acting_user,
        target_type="patients.patient",
        detail={"what": what, "shown": shown, "count": len(shown)},
    )


def audit_read(patient_id: int, *, acting_user: Any, what: str, target: Any = None) -> None:
    record(
        AuditAction.READ,
        actor=acting_user,
        target=target,
        target_type="" if target is not None else "patients.patient",
        target_id=None if target is not None else patient_id,
        patient_id=patient_id,
        detail={"what": what},
    )
