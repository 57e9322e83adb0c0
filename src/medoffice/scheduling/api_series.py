"""Bookings that are not one appointment now: recurring series and the waitlist (API).

A series books every free date and lists the others with the reason (``series.book_series``);
the answer is 201 even with conflicts, since the free dates are booked. The waitlist holds
patients who want an earlier time; a cancellation offers the freed time to the oldest match
(``waitlist.offer_freed_slot``), and accepting the offer books it (201) or answers 409 when
someone took the time meanwhile (the entry is waiting again). Mounted by ``scheduling.api``.

No ``from __future__ import annotations``: see ``scheduling.api``.
"""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from medoffice.api.idempotency import idempotent
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.scheduling import api_schemas as s
from medoffice.scheduling import api_series_schemas as ss
from medoffice.scheduling import api_support as support
from medoffice.scheduling import queries, series, waitlist
from medoffice.scheduling.choices import WaitlistStatus
from medoffice.scheduling.errors import BookingRefused, SlotUnavailable
from medoffice.scheduling.models import WaitlistEntry

router = Router(tags=["scheduling"])

REFERENCES = {
    "patient_id": "patient",
    "provider_id": "provider",
    "location_id": "location",
    "appointment_type_id": "appointment_type",
}
INVALID: dict[int, Any] = {422: s.SchedulingInvalidProblem}


def _found(payload: Any) -> dict[str, Any]:
    return support.resolve(
        {field: (kind, getattr(payload, field)) for field, kind in REFERENCES.items()}
    )


# ---- series ------------------------------------------------------------------------------


@router.post(
    "/appointment-series", response={201: ss.SeriesOut, **INVALID}, url_name="appointment-series"
)
@idempotent
def book_series(request: HttpRequest, payload: ss.SeriesIn) -> Any:
    """Book a recurring series in one step; dates that cannot be had are listed, not booked."""
    require(request, "scheduling.add_appointment")
    found = _found(payload)
    if payload.until is not None and payload.count is not None:
        raise support.invalid([("count", "Give an end date or a count, not both.")])
    try:
        result = series.book_series(
            acting_user=request.user,
            first_starts_at=payload.first_starts_at,
            rrule=payload.rrule,
            until=payload.until,
            count=payload.count,
            reason=payload.reason,
            **found,
        )
    except BookingRefused as exc:
        raise support.refused(exc) from None
    time_zone = found["location"].time_zone
    return Status(
        201,
        {
            "series": result.series,
            "booked": result.booked,
            "conflicts": [
                {"starts_at": s.in_zone(starts_at, time_zone), "detail": why}
                for starts_at, why in result.conflicts
            ],
        },
    )


# ---- waitlist ----------------------------------------------------------------------------


def _entry_or_404(entry_id: int) -> WaitlistEntry:
    found = WaitlistEntry.objects.filter(pk=entry_id).first()
    if found is None:
        raise ProblemError(404, "Not found", f"No waitlist entry with id {entry_id}.")
    return found


def _entries() -> Any:
    return WaitlistEntry.objects.select_related(
        "patient", "appointment_type", "provider", "location"
    )


@router.get("/waitlist", response=list[ss.WaitlistOut], url_name="waitlist")
@paginate(support.AuditedWaitlistPages)
def list_waitlist(request: HttpRequest, filters: Query[ss.WaitlistFilter]) -> Any:
    """Who waits for an earlier time, oldest first (open entries unless ``status`` says)."""
    require(request, "scheduling.view_appointment")
    found = _entries()
    if filters.status is None:
        found = found.filter(status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED])
    else:
        found = found.filter(status=filters.status)
    if filters.patient is not None:
        found = found.filter(patient_id=filters.patient)
    if filters.appointment_type is not None:
        found = found.filter(appointment_type_id=filters.appointment_type)
    if filters.provider is not None:
        found = found.filter(Q(provider_id=filters.provider) | Q(provider__isnull=True))
    return found.order_by("created_at", "pk")


@router.post("/waitlist", response={201: ss.WaitlistOut, **INVALID})
@idempotent
def add_to_waitlist(request: HttpRequest, payload: ss.WaitlistIn) -> Any:
    """Put a patient on the waitlist; wishes left out (provider, place, days, times) mean any."""
    require(request, "scheduling.add_appointment")
    found = _found(payload)
    current = None
    if payload.current_appointment_id is not None:
        current = support.find_appointment(payload.current_appointment_id)
        if current is None:
            message = f"No appointment with id {payload.current_appointment_id}."
            raise support.invalid([("current_appointment_id", message)])
    values = payload.model_dump(exclude=set(REFERENCES) | {"current_appointment_id"})
    try:
        entry = waitlist.add_to_waitlist(
            acting_user=request.user, current_appointment=current, **found, **values
        )
    except BookingRefused as exc:
        raise support.refused(exc) from None
    return Status(201, _entries().get(pk=entry.pk))


@router.post(
    "/waitlist/{int:entry_id}/accept",
    response={201: s.AppointmentDetailOut, 404: s.SchedulingProblem, 409: s.SlotProblem, **INVALID},
)
@idempotent
def accept_offer(request: HttpRequest, entry_id: int, response: HttpResponse) -> Any:
    """The patient takes the offered time: 201 with the booked appointment, or 409 if it was
    taken meanwhile (the entry is waiting again)."""
    require(request, "scheduling.add_appointment")
    entry = _entry_or_404(entry_id)
    offered = (entry.offered_provider_id, entry.offered_starts_at)
    try:
        appointment = waitlist.accept_offer(entry, acting_user=request.user)
    except SlotUnavailable as exc:
        raise _taken_meanwhile(exc, entry, *offered) from None
    except BookingRefused as exc:
        raise support.refused(exc) from None
    response["Location"] = reverse("api:appointment", kwargs={"appointment_id": appointment.pk})
    return Status(201, queries.get_appointment(appointment.pk))


def _taken_meanwhile(
    exc: SlotUnavailable, entry: WaitlistEntry, provider_id: int | None, starts_at: Any
) -> ProblemError:
    if provider_id is None or starts_at is None:
        return support.refused(BookingRefused(exc.message))
    place = entry.location
    provider = support.find("provider", provider_id)
    return support.slot_problem(
        exc,
        provider_id=provider_id,
        starts_at=starts_at,
        minutes=queries.duration_minutes(entry.appointment_type, provider),
        time_zone=place.time_zone if place else timezone.get_current_timezone_name(),
    )
