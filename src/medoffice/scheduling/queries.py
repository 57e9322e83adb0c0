"""Reads of the scheduling context that views and other contexts may use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from medoffice.scheduling.choices import HOLDING_TIME, ResourceKind
from medoffice.scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeResource,
)

MAX_MINUTES = 8 * 60  # no appointment lasts longer (the booking services refuse it)
LONGEST_APPOINTMENT = dt.timedelta(minutes=MAX_MINUTES)


def overlapping(lo: dt.datetime, hi: dt.datetime) -> Q:
    """Appointments (or their room uses) overlapping [lo, hi).

    ``starts_at < hi AND ends_at > lo`` alone lets an index on ``starts_at`` bound only one
    side, so the database walks every earlier appointment (months of history); as none lasts
    longer than ``LONGEST_APPOINTMENT``, ``starts_at`` is bounded below too.
    """
    return Q(starts_at__gte=lo - LONGEST_APPOINTMENT, starts_at__lt=hi, ends_at__gt=lo)


def duration_minutes(appointment_type: AppointmentType, provider: Any) -> int:
    """The provider's own length for the type, else the type's default."""
    own = (
        AppointmentTypeDuration.objects.filter(appointment_type=appointment_type, provider=provider)
        .values_list("minutes", flat=True)
        .first()
    )
    return int(own or appointment_type.default_minutes)


def provider_sees_type(provider: Any, appointment_type: AppointmentType) -> bool:
    """True when the type names no providers (everyone) or names this one."""
    named = appointment_type.providers.values_list("pk", flat=True)
    return not named.exists() or named.filter(pk=provider.pk).exists()


def resource_kinds_needed(appointment_type: AppointmentType) -> list[str]:
    return list(
        AppointmentTypeResource.objects.filter(appointment_type=appointment_type)
        .order_by("kind")
        .values_list("kind", flat=True)
    )


def resource_kind_label(kind: str) -> str:
    return str(ResourceKind(kind).label).lower()


def list_appointment_types(*, active_only: bool = True) -> QuerySet[AppointmentType]:
    qs = AppointmentType.objects.prefetch_related("providers", "resource_needs")
    return qs.filter(active=True) if active_only else qs


def appointments_between(
    start: dt.datetime, end: dt.datetime, *, provider_ids: list[int] | None = None
) -> QuerySet[Appointment]:
    """Appointments starting in [start, end), with what a calendar shows, no N+1."""
    qs = Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related(
        "patient", "provider", "location", "appointment_type"
    )
    if provider_ids is not None:
        qs = qs.filter(provider_id__in=provider_ids)
    return qs.order_by("starts_at", "pk")


def holding_appointments_of(patient: Any, *, after: dt.datetime) -> QuerySet[Appointment]:
    """The patient's upcoming appointments that still hold their time."""
    return (
        Appointment.objects.filter(patient=patient, status__in=HOLDING_TIME, starts_at__gte=after)
        .select_related("provider", "location", "appointment_type")
        .order_by("starts_at")
    )


def get_appointment(appointment_id: int) -> Appointment | None:
    return (
        Appointment.objects.select_related("patient", "provider", "location", "appointment_type")
        .prefetch_related(
            "resource_uses__resource",
            Prefetch("events", queryset=AppointmentEvent.objects.select_related("by")),
        )
        .filter(pk=appointment_id)
        .first()
    )


def get_appointment_row(appointment_id: int) -> Appointment | None:
    """The appointment's own row (no patient, resources or history): for writes that need its
    ids, such as applying a payment to the visit."""
    return (
        Appointment.objects.only(
            "id", "patient_id", "provider_id", "location_id", "starts_at", "status"
        )
        .filter(pk=appointment_id)
        .first()
    )


# ---- reads for the front desk (appended; used by ``frontdesk``) ----------------------------


def desk_appointments(
    start: dt.datetime,
    end: dt.datetime,
    *,
    location_id: int | None = None,
    provider_ids: list[int] | None = None,
    statuses: list[str] | None = None,
) -> QuerySet[Appointment]:
    """Appointments starting in [start, end) with patient, provider, type and rooms loaded."""
    qs = appointments_between(start, end, provider_ids=provider_ids).prefetch_related(
        "resource_uses__resource"
    )
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs


def status_times(appointment_ids: list[int]) -> dict[int, dict[str, dt.datetime]]:
    """When each appointment first reached each status (from its history), in one query."""
    found: dict[int, dict[str, dt.datetime]] = {}
    rows = (
        AppointmentEvent.objects.filter(appointment_id__in=appointment_ids)
        .exclude(to_status="")
        .order_by("at", "pk")
        .values_list("appointment_id", "to_status", "at")
    )
    for appointment_id, to_status, at in rows:
        found.setdefault(appointment_id, {}).setdefault(to_status, at)
    return found


def location_closed_all_day(location: Any, start: dt.datetime, end: dt.datetime) -> bool:
    """True when an exception for everyone (no provider) at the location, or at every
    location, covers [start, end): a holiday, a snow day."""
    from medoffice.scheduling.models import ScheduleException

    return ScheduleException.objects.filter(
        Q(location__isnull=True) | Q(location=location),
        provider__isnull=True,
        starts_at__lte=start,
        ends_at__gte=end,
    ).exists()


def get_appointment_type(appointment_type_id: int) -> AppointmentType | None:
    return AppointmentType.objects.filter(pk=appointment_type_id).first()


def first_available(**criteria: Any) -> list[Any]:
    """The first open slots across eligible providers (``availability.first_available``'s
    keywords: appointment_type, providers, location, start, end, weekdays, earliest, latest,
    limit), for other contexts, which read scheduling only through this module."""
    from medoffice.scheduling import availability

    return availability.first_available(**criteria)


def appointment_ids_of(patient_id: int, appointment_ids: set[int]) -> set[int]:
    """Those of ``appointment_ids`` that are this patient's (billing applies payments to them)."""
    return set(
        Appointment.objects.filter(patient_id=patient_id, pk__in=appointment_ids).values_list(
            "pk", flat=True
        )
    )
