"""The waitlist: patients who want an earlier visit, offered the time a cancellation frees.

A cancellation (``services.cancel_appointment``) calls ``offer_freed_slot`` inside its own
transaction: the oldest waiting entry whose wishes match the freed time, and for which that
time is still open for its type, is marked *offered*. The offer is returned to the caller: that
is the hook the communications issue uses to text the patient (after commit, from a job taking
the entry's id). Accepting books the slot through the booking service; if someone else took the
time meanwhile the entry goes back to waiting. Every change is audited with the patient's id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.patients import choices as patient_choices
from medoffice.scheduling import availability, availability_data, queries, services
from medoffice.scheduling.choices import (
    HOLDING_TIME,
    AppointmentStatus,
    CancelReason,
    WaitlistStatus,
)
from medoffice.scheduling.errors import BookingRefused, SlotUnavailable
from medoffice.scheduling.models import Appointment, AppointmentType, WaitlistEntry
from medoffice.scheduling.rules.slots import Filters, zone

OFFER_FIELDS = ["status", "offered_starts_at", "offered_provider", "offered_at"]
TAKEN_MEANWHILE = "That time was taken before the offer was accepted; the patient is waiting again."


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _audit(action: str, entry: WaitlistEntry, acting_user: Any, fields: Iterable[str]) -> None:
    record(
        action, actor=acting_user, target=entry, patient_id=entry.patient_id, fields=sorted(fields)
    )


def _check_wishes(
    patient: Any,
    appointment_type: AppointmentType,
    provider: Any,
    location: Any,
    earliest_date: dt.date,
    latest_date: dt.date,
    weekdays: list[int],
    times: tuple[dt.time | None, dt.time | None],
) -> None:
    if patient.status in (
        patient_choices.PatientStatus.MERGED,
        patient_choices.PatientStatus.DECEASED,
    ):
        raise BookingRefused("Only an active patient record can wait for an appointment.")
    if latest_date < earliest_date:
        raise BookingRefused("The last day comes before the first.")
    if latest_date < timezone.localdate(availability_data.now()):
        raise BookingRefused("The last day has already passed.")
    if any(day not in range(7) for day in weekdays):
        raise BookingRefused("Days of the week go from 0 (Monday) to 6 (Sunday).")
    earliest, latest = times
    if earliest is not None and latest is not None and latest <= earliest:
        raise BookingRefused("The latest time comes before the earliest.")
    if provider is not None and not queries.provider_sees_type(provider, appointment_type):
        raise BookingRefused(f"{provider} does not see {appointment_type} appointments.")
    if provider is not None and location is not None and not _works_at(provider, location):
        raise BookingRefused(f"{provider} does not work at {location}.")


def _works_at(provider: Any, location: Any) -> bool:
    return bool(provider.locations.filter(pk=location.pk).exists())


@transaction.atomic
def add_to_waitlist(
    *,
    acting_user: Any,
    patient: Any,
    appointment_type: AppointmentType,
    earliest_date: dt.date,
    latest_date: dt.date,
    provider: Any = None,
    location: Any = None,
    weekdays: Iterable[int] = (),
    earliest_time: dt.time | None = None,
    latest_time: dt.time | None = None,
    current_appointment: Appointment | None = None,
    note: str = "",
) -> WaitlistEntry:
    """Put a patient on the waitlist; empty wishes (provider, location, days, times) mean any.

    ``latest_time`` is exclusive: the patient can come at times *before* it.
    """
    days = sorted(set(weekdays))
    _check_wishes(
        patient, appointment_type, provider, location, earliest_date, latest_date, days,
        (earliest_time, latest_time),
    )  # fmt: skip
    if current_appointment is not None and current_appointment.patient_id != patient.pk:
        raise BookingRefused("The current appointment belongs to another patient.")
    entry = WaitlistEntry.objects.create(
        patient=patient, appointment_type=appointment_type, provider=provider, location=location,
        earliest_date=earliest_date, latest_date=latest_date, weekdays=days,
        earliest_time=earliest_time, latest_time=latest_time,
        current_appointment=current_appointment, note=note.strip()[:200],
        created_at=timezone.now(), created_by=_user(acting_user),
    )  # fmt: skip
    _audit(AuditAction.CREATE, entry, acting_user, ["appointment_type", "earliest_date"])
    return entry


def _wants(entry: WaitlistEntry, local: dt.datetime, starts_at: dt.datetime) -> bool:
    """Whether the entry's days, times and current appointment make the freed time welcome."""
    wishes = Filters(
        frozenset(entry.weekdays or ()) or None, entry.earliest_time, entry.latest_time
    )
    if not (wishes.day_ok(local.date()) and wishes.time_ok(local.time())):
        return False
    current = entry.current_appointment
    return current is None or current.status not in HOLDING_TIME or starts_at < current.starts_at


def offer_time(
    *,
    provider: Any,
    location: Any,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    acting_user: Any,
    exclude_patient_id: int | None = None,
    exclude_entry_id: int | None = None,
) -> WaitlistEntry | None:
    """Offer a time to the oldest matching waiting entry, if the time is still open for its type.

    Also for times freed otherwise than by a cancellation (a reschedule moving a visit away).
    """
    if starts_at <= availability_data.now():
        return None
    local = starts_at.astimezone(zone(location.time_zone))
    candidates = (
        WaitlistEntry.objects.select_for_update()
        .filter(
            Q(provider__isnull=True) | Q(provider=provider),
            Q(location__isnull=True) | Q(location=location),
            status=WaitlistStatus.WAITING,
            appointment_type=appointment_type,
            earliest_date__lte=local.date(),
            latest_date__gte=local.date(),
        )
        .order_by("created_at", "pk")
    )
    if exclude_patient_id is not None:
        candidates = candidates.exclude(patient_id=exclude_patient_id)
    if exclude_entry_id is not None:
        candidates = candidates.exclude(pk=exclude_entry_id)
    is_open: bool | None = None
    for entry in candidates:
        if not _wants(entry, local, starts_at):
            continue
        if is_open is None:
            is_open = availability.slot_is_open(
                provider=provider, location=location, appointment_type=appointment_type,
                starts_at=starts_at,
            )  # fmt: skip
        if not is_open:
            return None
        entry.status = WaitlistStatus.OFFERED
        entry.offered_starts_at, entry.offered_provider = starts_at, provider
        entry.offered_at = timezone.now()
        entry.save(update_fields=OFFER_FIELDS)
        _audit(AuditAction.UPDATE, entry, acting_user, OFFER_FIELDS)
        return entry
    return None


def offer_freed_slot(appointment: Appointment, *, acting_user: Any) -> WaitlistEntry | None:
    """Offer the time a cancelled appointment freed; returns the offered entry (or None).

    Runs inside the cancellation's transaction. The caller (or, later, the communications
    issue) tells the patient about the returned offer.
    """
    if appointment.status in HOLDING_TIME:
        return None
    return offer_time(
        provider=appointment.provider,
        location=appointment.location,
        appointment_type=appointment.appointment_type,
        starts_at=appointment.starts_at,
        acting_user=acting_user,
        exclude_patient_id=appointment.patient_id,
    )


def _locked(entry: WaitlistEntry) -> WaitlistEntry:
    return (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("patient", "appointment_type", "offered_provider")
        .get(pk=entry.pk)
    )


def _offered_location(entry: WaitlistEntry) -> Any:
    """Where the offered time is: the wish, else the freed appointment's, else the session's."""
    if entry.location_id is not None:
        return entry.location
    provider, starts_at = entry.offered_provider, entry.offered_starts_at
    if provider is None or starts_at is None:
        raise SlotUnavailable(TAKEN_MEANWHILE)
    freed = (
        Appointment.objects.filter(
            provider=provider,
            starts_at=starts_at,
            status=AppointmentStatus.CANCELLED,
        )
        .select_related("location")
        .order_by("-pk")
        .first()
    )
    if freed is not None:
        return freed.location
    for place in provider.locations.all():
        if availability.session_at(provider=provider, location=place, at=starts_at):
            return place
    raise SlotUnavailable(TAKEN_MEANWHILE)


def _clear_offer(entry: WaitlistEntry) -> None:
    entry.status = WaitlistStatus.WAITING
    entry.offered_starts_at = entry.offered_provider = entry.offered_at = None


def _back_to_waiting(entry: WaitlistEntry, acting_user: Any) -> None:
    with transaction.atomic():
        current = _locked(entry)
        if current.status != WaitlistStatus.OFFERED:
            return
        _clear_offer(current)
        current.save(update_fields=OFFER_FIELDS)
        _audit(AuditAction.UPDATE, current, acting_user, OFFER_FIELDS)
    _clear_offer(entry)


def _book_offer(entry: WaitlistEntry, acting_user: Any) -> Appointment:
    current = _locked(entry)
    if current.status != WaitlistStatus.OFFERED or current.offered_starts_at is None:
        raise BookingRefused("This waitlist entry has no open offer.")
    if current.offered_starts_at <= availability_data.now():
        raise SlotUnavailable("The offered time has passed; the patient is waiting again.")
    appointment = services.book_appointment(
        acting_user=acting_user, patient=current.patient, provider=current.offered_provider,
        location=_offered_location(current), appointment_type=current.appointment_type,
        starts_at=current.offered_starts_at, reason=current.note,
    )  # fmt: skip
    previous = current.current_appointment
    if previous is not None and previous.status in (
        AppointmentStatus.BOOKED,
        AppointmentStatus.CONFIRMED,
    ):
        services.cancel_appointment(
            previous, acting_user=acting_user, reason=CancelReason.RESCHEDULED,
            note="Moved to an earlier time from the waitlist.",
        )  # fmt: skip
    current.status = WaitlistStatus.BOOKED
    current.booked_appointment = appointment
    current.save(update_fields=["status", "booked_appointment"])
    _audit(AuditAction.UPDATE, current, acting_user, ["status", "booked_appointment"])
    return appointment


def accept_offer(entry: WaitlistEntry, *, acting_user: Any) -> Appointment:
    """Book the offered time; ``SlotUnavailable`` (entry waiting again) if it was taken, or
    ``BookingRefused`` if it can no longer be booked for another reason (waiting again too).

    If the patient held a later appointment (``current_appointment``), it is cancelled as
    rescheduled, which in turn offers that time to the next person waiting.
    """
    try:
        with transaction.atomic():
            appointment = _book_offer(entry, acting_user)
    except (SlotUnavailable, BookingRefused):
        _back_to_waiting(entry, acting_user)  # a no-longer-bookable offer must not linger
        raise
    entry.refresh_from_db()
    return appointment


@transaction.atomic
def decline_offer(entry: WaitlistEntry, *, acting_user: Any) -> WaitlistEntry | None:
    """The patient does not want the offered time: they keep waiting, and the time is offered
    to the next matching entry, which is returned (or None)."""
    current = _locked(entry)
    if current.status != WaitlistStatus.OFFERED or current.offered_starts_at is None:
        raise BookingRefused("This waitlist entry has no open offer.")
    provider, starts_at = current.offered_provider, current.offered_starts_at
    try:
        location = _offered_location(current)
    except SlotUnavailable:
        location = None
    _clear_offer(current)
    current.save(update_fields=OFFER_FIELDS)
    _audit(AuditAction.UPDATE, current, acting_user, OFFER_FIELDS)
    _clear_offer(entry)
    if provider is None or location is None:
        return None
    return offer_time(
        provider=provider, location=location, appointment_type=current.appointment_type,
        starts_at=starts_at, acting_user=acting_user, exclude_entry_id=current.pk,
    )  # fmt: skip


@transaction.atomic
def remove_from_waitlist(
    entry: WaitlistEntry, *, acting_user: Any, note: str = ""
) -> WaitlistEntry:
    """Take a patient off the waitlist (found a time, no longer needs it)."""
    current = _locked(entry)
    if current.status in (WaitlistStatus.BOOKED, WaitlistStatus.REMOVED):
        raise BookingRefused("This waitlist entry is already closed.")
    current.status = WaitlistStatus.REMOVED
    fields = ["status"]
    if note.strip():
        current.note = note.strip()[:200]
        fields.append("note")
    current.save(update_fields=fields)
    _audit(AuditAction.UPDATE, current, acting_user, fields)
    return current
