"""JSON API of scheduling, mounted at /api/: find a slot, book, reschedule, cancel, move the visit.

Handlers parse, authorize, call ``scheduling.services`` (every write) and render. A slot that
cannot be had answers 409 ``slot-unavailable`` naming the appointments in the way (never their
patients); a booking refused for another reason answers 422. Writes honour ``Idempotency-Key``
(``api.idempotency``), so a booking retried after a lost answer is not booked twice. Lists and
reads of appointments are audited with the patient ids shown; the availability answer shows no
patient and is not.

No ``from __future__ import annotations`` here: ninja evaluates the annotations of a handler
wrapped by ``@paginate`` in the pagination module's namespace, where these names do not exist.
"""

import datetime as dt
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from medoffice.api.idempotency import idempotent
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.authorizations import queries as authorizations
from medoffice.authorizations import services as authorization_services
from medoffice.scheduling import api_schemas as s
from medoffice.scheduling import api_support as support
from medoffice.scheduling import availability, queries, services
from medoffice.scheduling.choices import CancelReason
from medoffice.scheduling.errors import BookingRefused, InvalidTransition, SlotUnavailable
from medoffice.scheduling.models import Appointment

router = Router(tags=["scheduling"])

MAX_DAYS = 92
DEFAULT_DAYS = 14
NOT_FOUND: dict[int, Any] = {404: s.SchedulingProblem}
INVALID: dict[int, Any] = {422: s.SchedulingInvalidProblem}
WRITE_ANSWERS: dict[int, Any] = {
    200: s.AppointmentDetailOut,
    409: s.SlotProblem,
    **NOT_FOUND,
    **INVALID,
}


def _detail(appointment_id: int) -> Any:
    return queries.get_appointment(appointment_id)


# ---- finding a slot ----------------------------------------------------------------------


def _date_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    first = start or timezone.localdate()
    last = end or first + dt.timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise support.invalid([("end", "The last day is before the first.")])
    if (last - first).days >= MAX_DAYS:
        raise support.invalid([("end", f"Search at most {MAX_DAYS} days at a time.")])
    return first, last


@router.get("/availability", response={200: list[s.SlotOut], **INVALID}, url_name="availability")
def find_slots(request: HttpRequest, filters: Query[s.AvailabilityQuery]) -> Any:
    """Open slots: one provider's (``provider``), else the first available across every
    provider who sees the type. Days and times are the location's own."""
    require(request, "scheduling.view_appointment")
    found = support.resolve(
        {
            "appointment_type": ("appointment_type", filters.appointment_type),
            "provider": ("provider", filters.provider),
            "location": ("location", filters.location),
        }
    )
    start, end = _date_range(filters.start, filters.end)
    if filters.earliest and filters.latest and filters.latest < filters.earliest:
        raise support.invalid([("latest", "The latest time is before the earliest.")])
    options: dict[str, Any] = {
        "appointment_type": found["appointment_type"],
        "location": found.get("location"),
        "start": start,
        "end": end,
        "weekdays": s.weekday_set(filters.weekdays),
        "earliest": filters.earliest,
        "latest": filters.latest,
        "limit": filters.limit,
    }
    if "provider" in found:
        slots = availability.open_slots(provider=found["provider"], **options)
    else:
        slots = availability.first_available(**options)
    return _in_local_time(slots)


def _in_local_time(slots: list[availability.Slot]) -> list[dict[str, Any]]:
    """Slots with their instants in their location's offset, as the desk reads them."""
    zones = support.time_zones(slot.location_id for slot in slots)
    return [
        {
            "provider_id": slot.provider_id,
            "location_id": slot.location_id,
            "starts_at": s.in_zone(slot.starts_at, zones[slot.location_id]),
            "ends_at": s.in_zone(slot.ends_at, zones[slot.location_id]),
            "session_label": slot.session_label,
        }
        for slot in slots
    ]


@router.get("/on-call", response=list[s.OnCallOut], url_name="on-call")
def on_call(request: HttpRequest, at: s.Instant | None = None) -> Any:
    """Who covers the practice at ``at`` (default now): for the phone and messages screens."""
    require(request, "scheduling.view_appointment")
    return availability.on_call_at(at or timezone.now())


# ---- appointments ------------------------------------------------------------------------


@router.get("/appointments", response=list[s.AppointmentOut], url_name="appointments")
@paginate(support.AuditedPages)
def list_appointments(request: HttpRequest, filters: Query[s.AppointmentFilter]) -> Any:
    """Appointments starting in [start, end), by time; the filters name ids, never patients."""
    require(request, "scheduling.view_appointment")
    if filters.start and filters.end and filters.end <= filters.start:
        raise support.invalid([("end", "The end is not after the start.")])
    found = Appointment.objects.select_related(
        "patient", "provider", "location", "appointment_type"
    )
    if filters.start:
        found = found.filter(starts_at__gte=filters.start)
    if filters.end:
        found = found.filter(starts_at__lt=filters.end)
    for name in ("provider", "location", "patient", "status"):
        value = getattr(filters, name)
        if value is not None:
            found = found.filter(**{name if name == "status" else f"{name}_id": value})
    return found.order_by("starts_at", "pk")


@router.post(
    "/appointments",
    response={201: s.AppointmentBookedOut, 409: s.SlotProblem, **INVALID},
    url_name="book-appointment",
)
@idempotent
def book_appointment(request: HttpRequest, payload: s.AppointmentIn, response: HttpResponse) -> Any:
    """Book one appointment: 201 with its Location, or 409 naming what is in the way."""
    require(request, "scheduling.add_appointment")
    found = support.resolve(
        {
            "patient_id": ("patient", payload.patient_id),
            "provider_id": ("provider", payload.provider_id),
            "location_id": ("location", payload.location_id),
            "appointment_type_id": ("appointment_type", payload.appointment_type_id),
        }
    )
    try:
        appointment = services.book_appointment(
            acting_user=request.user,
            starts_at=payload.starts_at,
            minutes=payload.minutes,
            overbook=payload.overbook,
            reason=payload.reason,
            note=payload.note,
            **found,
        )
    except SlotUnavailable as exc:
        minutes = payload.minutes or queries.duration_minutes(
            found["appointment_type"], found["provider"]
        )
        raise support.slot_problem(
            exc,
            provider_id=payload.provider_id,
            starts_at=payload.starts_at,
            minutes=minutes,
            time_zone=found["location"].time_zone,
        ) from None
    except BookingRefused as exc:
        raise support.refused(exc) from None
    except ValidationError as exc:
        raise support.invalid_from(exc) from None
    warnings = authorizations.booking_warnings(
        appointment.patient_id, appointment.appointment_type_id, appointment.provider_id,
        appointment.starts_at,
    )  # fmt: skip
    authorization_services.count_booked_visit(appointment, acting_user=request.user)
    response["Location"] = reverse("api:appointment", kwargs={"appointment_id": appointment.pk})
    booked = _detail(appointment.pk)
    booked.warnings = warnings
    return Status(201, booked)


@router.get(
    "/appointments/{int:appointment_id}",
    response={200: s.AppointmentDetailOut, **NOT_FOUND},
    url_name="appointment",
)
def get_appointment(request: HttpRequest, appointment_id: int) -> Any:
    """One appointment with its rooms and its history; audited."""
    require(request, "scheduling.view_appointment")
    appointment = _detail(appointment_id)
    if appointment is None:
        raise ProblemError(404, "Not found", f"No appointment with id {appointment_id}.")
    support.audit_read(appointment, acting_user=request.user)
    return appointment


@router.patch("/appointments/{int:appointment_id}", response=WRITE_ANSWERS)
@idempotent
def reschedule_appointment(
    request: HttpRequest, appointment_id: int, payload: s.ReschedulePatch
) -> Any:
    """Move it (time, provider, location, length); the old values stay in its history."""
    require(request, "scheduling.change_appointment")
    appointment = support.appointment_or_404(appointment_id)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    if not sent.keys() - {"reason"}:
        raise support.invalid(
            [("", "Send starts_at, provider_id, location_id, minutes or overbook.")]
        )
    found = support.resolve(
        {
            "provider_id": ("provider", payload.provider_id),
            "location_id": ("location", payload.location_id),
        }
    )
    starts_at = payload.starts_at or appointment.starts_at
    try:
        services.reschedule_appointment(
            appointment,
            acting_user=request.user,
            starts_at=starts_at,
            minutes=payload.minutes,
            overbook=payload.overbook,
            reason=payload.reason,
            **found,
        )
    except SlotUnavailable as exc:
        length = appointment.ends_at - appointment.starts_at
        location = found.get("location") or support.find("location", appointment.location_id)
        raise support.slot_problem(
            exc,
            provider_id=payload.provider_id or appointment.provider_id,
            starts_at=starts_at,
            minutes=payload.minutes or int(length.total_seconds() // 60),
            time_zone=location.time_zone,
            exclude=appointment.pk,
        ) from None
    except InvalidTransition as exc:
        raise support.not_now(exc) from None
    except BookingRefused as exc:
        raise support.refused(exc) from None
    return _detail(appointment.pk)


def _cancel_reason(request: HttpRequest, query_reason: str | None) -> tuple[str, str]:
    """The reason from a JSON body (``CancelIn``) or the ``reason`` query parameter."""
    if request.body:
        try:
            body = s.CancelIn.model_validate_json(request.body)
        except pydantic.ValidationError as exc:
            raise support.invalid(
                (".".join(str(part) for part in error["loc"]), error["msg"])
                for error in exc.errors()
            ) from None
        return str(body.reason), body.note
    if query_reason is None:
        raise support.invalid([("reason", "Choose why the appointment is cancelled.")])
    return query_reason, ""


CANCEL_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": s.CancelIn.model_json_schema()}},
    }
}


@router.delete(
    "/appointments/{int:appointment_id}", response=WRITE_ANSWERS, openapi_extra=CANCEL_BODY
)
@idempotent
def cancel_appointment(
    request: HttpRequest, appointment_id: int, reason: CancelReason | None = None
) -> Any:
    """Cancel with a reason (a ``CancelIn`` body, or ``?reason=``); the appointment is kept,
    cancelled, and its time offered to the waitlist."""
    require(request, "scheduling.change_appointment")
    appointment = support.appointment_or_404(appointment_id)
    why, note = _cancel_reason(request, reason)
    try:
        services.cancel_appointment(appointment, acting_user=request.user, reason=why, note=note)
    except InvalidTransition as exc:
        raise support.not_now(exc) from None
    except BookingRefused as exc:
        raise support.refused(exc) from None
    return _detail(appointment.pk)


@router.post("/appointments/{int:appointment_id}/status", response=WRITE_ANSWERS)
@idempotent
def change_status(request: HttpRequest, appointment_id: int, payload: s.StatusIn) -> Any:
    """Move the visit along: confirmed, arrived, roomed, with provider, checked out, no-show."""
    require(request, "scheduling.change_appointment")
    appointment = support.appointment_or_404(appointment_id)
    try:
        services.set_status(appointment, payload.status, acting_user=request.user)
    except InvalidTransition as exc:
        raise support.not_now(exc) from None
    return _detail(appointment.pk)


from medoffice.scheduling import api_series  # noqa: E402 (its router hangs under this one)

router.add_router("", api_series.router)
