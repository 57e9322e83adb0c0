"""Every write to appointments: book, reschedule, cancel, move through the visit, mark no-show.

Each runs in one transaction and writes an appointment event (the history and the visit timeline)
and an audit entry. Double booking is refused here with a clear message, and again by the
database (exclusion constraints on PostgreSQL, triggers on SQLite) when two bookings race: the
loser gets ``SlotUnavailable`` either way, never a half-written appointment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.patients import choices as patient_choices
from medoffice.scheduling import availability, booking_reads, queries
from medoffice.scheduling.choices import (
    HOLDING_TIME,
    STATUS_FLOW,
    AppointmentEventKind,
    AppointmentStatus,
    CancelReason,
)
from medoffice.scheduling.errors import BookingRefused, InvalidTransition, SlotUnavailable
from medoffice.scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentResource,
    AppointmentType,
    Resource,
)

TAKEN = "That time is already booked for this provider."
ROOM_TAKEN = "No {kind} is free at that time."
OVERBOOK_FULL = "This session already has its {limit} allowed overbook(s)."


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _event(
    appointment: Appointment, kind: str, acting_user: Any, **detail: Any
) -> AppointmentEvent:
    from_status = str(detail.pop("from_status", ""))
    to_status = str(detail.pop("to_status", ""))
    return AppointmentEvent.objects.create(
        appointment=appointment,
        kind=kind,
        at=timezone.now(),
        by=_user(acting_user),
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )


def _audit(action: str, appointment: Appointment, acting_user: Any, fields: Iterable[str]) -> None:
    record(
        action,
        actor=acting_user,
        target=appointment,
        patient_id=appointment.patient_id,
        fields=sorted(fields),
    )


def _conflicts(
    provider_id: int, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None
) -> list[Appointment]:
    ids = booking_reads.conflicting_ids(provider_id, starts_at, ends_at, exclude)
    if not ids:
        return []
    return list(Appointment.objects.filter(pk__in=ids).order_by("starts_at"))


MAX_MINUTES = queries.MAX_MINUTES  # the SQLite overlap trigger relies on it too


def _check_minutes(minutes: int) -> None:
    if not 5 <= minutes <= MAX_MINUTES:
        raise BookingRefused(f"An appointment lasts 5 to {MAX_MINUTES} minutes.")


def _check_patient(patient: Any) -> None:
    if patient.status == patient_choices.PatientStatus.MERGED:
        raise BookingRefused("That record was merged into another; book the kept record.")
    if patient.status == patient_choices.PatientStatus.DECEASED:
        raise BookingRefused("The patient is recorded as deceased.")


def _check_type(appointment_type: AppointmentType, provider: Any, location: Any) -> int:
    """The provider's length for the type, once the provider may take it at the location."""
    if not appointment_type.active:
        raise BookingRefused(f"{appointment_type} is no longer offered.")
    fit = booking_reads.provider_fit(appointment_type, provider, location)
    if not fit.sees_type:
        raise BookingRefused(f"{provider} does not see {appointment_type} appointments.")
    if not fit.works_there:
        raise BookingRefused(f"{provider} does not work at {location}.")
    return fit.minutes


def _check_time(
    *,
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    overbook: bool,
    outside_sessions: bool,
    exclude: int | None,
) -> None:
    if timezone.is_naive(starts_at):
        raise BookingRefused("The start time needs a time zone.")
    if not outside_sessions:
        problem = availability.booking_problem(
            provider=provider,
            location=location,
            appointment_type=appointment_type,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        if problem:
            raise SlotUnavailable(problem)
    if overbook:
        _check_overbook(provider, location, starts_at, exclude)
        return
    conflicts = _conflicts(provider.pk, starts_at, ends_at, exclude)
    if conflicts:
        raise SlotUnavailable(TAKEN, conflicts=conflicts)


def _check_overbook(
    provider: Any, location: Any, starts_at: dt.datetime, exclude: int | None
) -> None:
    session = availability.session_at(provider=provider, location=location, at=starts_at)
    if session is None or session.overbook_limit == 0:
        raise SlotUnavailable("This provider's session allows no overbooks here.")
    limit = session.overbook_limit
    # Overbooks sit outside the exclusion constraint: holding the provider's row serializes
    # concurrent overbooks of one provider (PostgreSQL), so the count below cannot be outrun.
    list(type(provider).objects.select_for_update().filter(pk=provider.pk).values_list("pk"))
    day_start, day_end = session.window_on(starts_at)
    used = Appointment.objects.filter(
        provider=provider,
        overbook=True,
        status__in=HOLDING_TIME,
        starts_at__gte=day_start,
        starts_at__lt=day_end,
    )
    if exclude is not None:
        used = used.exclude(pk=exclude)
    if used.count() >= limit:
        raise SlotUnavailable(OVERBOOK_FULL.format(limit=limit))


def _take_resources(appointment: Appointment) -> list[AppointmentResource]:
    """One free resource of each kind the type needs, at the appointment's location."""
    taken = []
    for kind in booking_reads.resource_kinds_needed(appointment.appointment_type_id):
        busy = AppointmentResource.objects.filter(
            queries.overlapping(appointment.starts_at, appointment.ends_at), holds_time=True
        ).exclude(appointment=appointment)
        blocked = availability.blocked_resource_ids(appointment.starts_at, appointment.ends_at)
        free = (
            Resource.objects.filter(location=appointment.location, kind=kind, active=True)
            .exclude(pk__in=busy.values("resource_id"))
            .exclude(pk__in=blocked)
            .order_by("name", "pk")
            .first()
        )
        if free is None:
            raise SlotUnavailable(ROOM_TAKEN.format(kind=queries.resource_kind_label(kind)))
        taken.append(
            AppointmentResource.objects.create(
                appointment=appointment,
                resource=free,
                starts_at=appointment.starts_at,
                ends_at=appointment.ends_at,
            )
        )
    return taken


def _save_or_conflict(
    appointment: Appointment, *, fields: list[str] | None = None, created: bool = False
) -> None:
    """Write, turning the database's refusal of an overlap into ``SlotUnavailable``.

    No savepoint of its own: callers are atomic and the error always propagates, so their
    transaction (or savepoint) rolls back whole."""
    try:
        if fields is None:
            appointment.save(force_insert=created)
        else:
            appointment.save(update_fields=fields)
        if not created:
            AppointmentResource.objects.filter(appointment=appointment).delete()
        if appointment.status in HOLDING_TIME:
            _take_resources(appointment)
    except IntegrityError as exc:
        if "double_booking" in str(exc):
            raise SlotUnavailable(TAKEN) from None
        raise


@transaction.atomic
def book_appointment(
    *,
    acting_user: Any,
    patient: Any,
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    minutes: int | None = None,
    overbook: bool = False,
    outside_sessions: bool = False,
    reason: str = "",
    note: str = "",
    series: Any = None,
) -> Appointment:
    """Book one appointment; ``SlotUnavailable`` (409) or ``BookingRefused`` when it can't be."""
    _check_patient(patient)
    usual_minutes = _check_type(appointment_type, provider, location)
    length = minutes or usual_minutes
    _check_minutes(length)
    ends_at = starts_at + dt.timedelta(minutes=length)
    _check_time(
        provider=provider,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        ends_at=ends_at,
        overbook=overbook,
        outside_sessions=outside_sessions,
        exclude=None,
    )
    appointment = Appointment(
        patient=patient,
        provider=provider,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        ends_at=ends_at,
        overbook=overbook,
        reason=reason.strip(),
        note=note.strip(),
        series=series,
        booked_at=timezone.now(),
        booked_by=_user(acting_user),
    )
    # Foreign keys were checked above and constraints are the database's job (it raises anyway).
    appointment.full_clean(
        exclude=["patient", "provider", "location", "appointment_type", "series", "booked_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    _save_or_conflict(appointment, created=True)
    _event(appointment, AppointmentEventKind.BOOKED, acting_user, to_status=appointment.status)
    _audit(
        AuditAction.CREATE, appointment, acting_user, ["provider", "starts_at", "appointment_type"]
    )
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("patient", "provider", "location", "appointment_type")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def reschedule_appointment(
    appointment: Appointment,
    *,
    acting_user: Any,
    starts_at: dt.datetime,
    provider: Any = None,
    location: Any = None,
    minutes: int | None = None,
    overbook: bool | None = None,
    outside_sessions: bool = False,
    reason: str = "",
) -> Appointment:
    """Move an appointment (time, provider, location); the old values stay in its history."""
    current = _locked(appointment)
    if current.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED):
        raise InvalidTransition(
            f"A {current.get_status_display().lower()} appointment cannot be rescheduled."
        )
    provider = provider or current.provider
    location = location or current.location
    if provider.pk != current.provider_id or location.pk != current.location_id:
        _check_type(current.appointment_type, provider, location)
    old_minutes = int((current.ends_at - current.starts_at).total_seconds() // 60)
    _check_minutes(minutes or old_minutes)
    ends_at = starts_at + dt.timedelta(minutes=minutes or old_minutes)
    overbook = current.overbook if overbook is None else overbook
    _check_time(
        provider=provider,
        location=location,
        appointment_type=current.appointment_type,
        starts_at=starts_at,
        ends_at=ends_at,
        overbook=overbook,
        outside_sessions=outside_sessions,
        exclude=current.pk,
    )
    before = {
        "starts_at": current.starts_at.isoformat(),
        "ends_at": current.ends_at.isoformat(),
        "provider": current.provider_id,
        "location": current.location_id,
    }
    current.provider, current.location = provider, location
    current.starts_at, current.ends_at, current.overbook = starts_at, ends_at, overbook
    _save_or_conflict(current, fields=["provider", "location", "starts_at", "ends_at", "overbook"])
    _event(
        current,
        AppointmentEventKind.RESCHEDULED,
        acting_user,
        before=before,
        reason=reason.strip(),
    )
    _audit(
        AuditAction.UPDATE, current, acting_user, ["starts_at", "ends_at", "provider", "location"]
    )
    return current


@transaction.atomic
def cancel_appointment(
    appointment: Appointment, *, acting_user: Any, reason: str, note: str = ""
) -> Appointment:
    """Cancel with a reason; the freed time is offered to the waitlist."""
    current = _locked(appointment)
    if reason not in CancelReason.values:
        raise BookingRefused("Choose why the appointment is cancelled.")
    if current.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED):
        raise InvalidTransition(
            f"A {current.get_status_display().lower()} appointment cannot be cancelled."
        )
    previous = current.status
    current.status = AppointmentStatus.CANCELLED
    current.cancel_reason = reason
    current.cancel_note = note.strip()
    current.save(update_fields=["status", "cancel_reason", "cancel_note"])
    AppointmentResource.objects.filter(appointment=current).update(holds_time=False)
    _event(
        current,
        AppointmentEventKind.CANCELLED,
        acting_user,
        from_status=previous,
        to_status=current.status,
        reason=reason,
    )
    _audit(AuditAction.UPDATE, current, acting_user, ["status", "cancel_reason"])
    from medoffice.scheduling import waitlist

    waitlist.offer_freed_slot(current, acting_user=acting_user)
    return current


@transaction.atomic
def set_status(appointment: Appointment, to_status: str, *, acting_user: Any) -> Appointment:
    """Move the visit along (confirmed, arrived, roomed, with provider, checked out, no-show)."""
    current = _locked(appointment)
    if to_status == AppointmentStatus.CANCELLED:
        raise InvalidTransition("Cancel with a reason instead.")
    if to_status not in STATUS_FLOW.get(current.status, ()):
        raise InvalidTransition(
            f"An appointment that is {current.get_status_display().lower()} cannot become "
            f"{AppointmentStatus(to_status).label.lower()}."
        )
    previous = current.status
    current.status = to_status
    current.save(update_fields=["status"])
    if to_status not in HOLDING_TIME:
        AppointmentResource.objects.filter(appointment=current).update(holds_time=False)
    _event(
        current, AppointmentEventKind.STATUS, acting_user, from_status=previous, to_status=to_status
    )
    _audit(AuditAction.UPDATE, current, acting_user, ["status"])
    return current
