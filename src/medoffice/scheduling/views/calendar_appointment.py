"""One appointment: its details and history, the visit's status buttons, moving it to another
slot (the slot finder, no dragging), and cancelling it with a reason, after which the desk sees
whether the freed time was offered to someone on the waitlist."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from medoffice.core.permissions import staff_view
from medoffice.practice.models import Location, Provider
from medoffice.scheduling import availability, noshow, queries, services
from medoffice.scheduling.choices import (
    STATUS_FLOW,
    AppointmentEventKind,
    AppointmentStatus,
    CancelReason,
    WaitlistStatus,
)
from medoffice.scheduling.errors import BookingRefused, InvalidTransition, SlotUnavailable
from medoffice.scheduling.models import Appointment, WaitlistEntry
from medoffice.scheduling.views.calendar_booking import Problem, when_label
from medoffice.scheduling.views.calendar_common import (
    ADD,
    CHANGE,
    VIEW,
    actor,
    audit_shown,
    is_htmx,
    panel,
)
from medoffice.scheduling.views.calendar_forms import CancelForm, MoveSearchForm, find_initial
from medoffice.scheduling.views.calendar_layout import risk_label
from medoffice.scheduling.views.calendar_links import parse_instant
from medoffice.scheduling.views.calendar_patients import prep_for
from medoffice.scheduling.views.calendar_slots import RESULT_LIMIT, parse_slot_value, slot_rows

PAGE = "scheduling/appointment_page.html"
MOVABLE = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)
BUTTON_LABELS: dict[str, str] = {
    AppointmentStatus.CONFIRMED: "Confirm",
    AppointmentStatus.ARRIVED: "Arrived",
    AppointmentStatus.ROOMED: "Roomed",
    AppointmentStatus.WITH_PROVIDER: "With provider",
    AppointmentStatus.CHECKED_OUT: "Checked out",
    AppointmentStatus.NO_SHOW: "No-show",
}
SEARCH_FIELDS = ("providers", "location", "start", "end", "weekdays", "part")


@dataclass(frozen=True)
class HistoryRow:
    when: str
    what: str
    by: str


def _appointment_or_404(appointment_id: int) -> Appointment:
    appointment = queries.get_appointment(appointment_id)
    if appointment is None:
        raise Http404("No such appointment.")
    return appointment


def _status_label(value: str) -> str:
    return str(AppointmentStatus(value).label) if value in AppointmentStatus.values else value


def _history(appointment: Appointment) -> list[HistoryRow]:
    """The appointment's events in words, oldest first."""
    events = list(appointment.events.all())
    moved_from = {e.detail.get("before", {}).get("provider") for e in events}
    names = {p.pk: p.display_name for p in Provider.objects.filter(pk__in=moved_from - {None})}
    places = {place.pk: place for place in Location.objects.filter(active=True)}
    rows = []
    for event in events:
        what = event.get_kind_display()
        if event.kind == AppointmentEventKind.STATUS and event.to_status:
            what = f"{_status_label(event.from_status)} → {_status_label(event.to_status)}"
        elif event.kind == AppointmentEventKind.RESCHEDULED:
            what = _moved_text(event.detail, names, places, appointment.location)
        elif event.kind == AppointmentEventKind.CANCELLED:
            reason = event.detail.get("reason", "")
            what = (
                f"Cancelled: {CancelReason(reason).label}"
                if reason in CancelReason.values
                else what
            )
        rows.append(
            HistoryRow(
                when=when_label(event.at, appointment.location),
                what=what,
                by=str(event.by.get_full_name() or event.by) if event.by else "system",
            )
        )
    return rows


def _moved_text(
    detail: dict[str, Any], names: dict[int, str], places: dict[int, Location], here: Location
) -> str:
    before = detail.get("before", {})
    starts_at = parse_instant(str(before.get("starts_at", "")))
    place = places.get(before.get("location") or 0, here)
    text = f"Moved from {when_label(starts_at, place)}" if starts_at else "Moved"
    if before.get("provider") in names:
        text += f" with {names[before['provider']]}"
    reason = str(detail.get("reason") or "")
    return f"{text} ({reason})" if reason else text


def _risk_reasons(appointment: Appointment) -> list[str]:
    """What pushes a coming visit's no-show risk, in words (none once the visit has begun)."""
    if appointment.no_show_risk is None or appointment.status not in MOVABLE:
        return []
    return noshow.explain(appointment)


def _detail(
    request: HttpRequest,
    appointment: Appointment,
    *,
    problem: str = "",
    status: int = 200,
    changed: bool = False,
    notice: str = "",
) -> HttpResponse:
    can_change = request.user.has_perm(CHANGE)
    nexts = [s for s in STATUS_FLOW.get(appointment.status, ()) if s in BUTTON_LABELS]
    audit_shown(
        request,
        patient_ids=[appointment.patient_id],
        appointment_ids=[appointment.pk],
        what="appointment",
    )
    context = {
        "appointment": appointment,
        "patient": appointment.patient,
        "when": when_label(appointment.starts_at, appointment.location),
        "minutes": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
        "history": _history(appointment),
        "buttons": [(s, BUTTON_LABELS[s]) for s in nexts] if can_change else [],
        "can_move": can_change and appointment.status in MOVABLE,
        "can_waitlist": request.user.has_perm(ADD) and appointment.status in MOVABLE,
        "problem": problem,
        "notice": notice,
        "prep": prep_for(appointment.appointment_type_id, appointment.patient.preferred_language),
        "risk": risk_label(appointment.no_show_risk),
        "risk_why": _risk_reasons(appointment),
    }
    return panel(
        request, "scheduling/appointment_panel.html", context, page=PAGE, status=status,
        changed=changed,
    )  # fmt: skip


@staff_view(VIEW)
@require_http_methods(["GET"])
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _detail(request, _appointment_or_404(appointment_id))


@staff_view(CHANGE)
@require_POST
def appointment_status(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Move the visit along: confirmed, arrived, roomed, with provider, checked out, no-show."""
    current = _appointment_or_404(appointment_id)
    to_status = request.POST.get("to", "")
    if to_status not in BUTTON_LABELS:
        return _detail(request, current, problem="Choose one of the buttons.", status=409)
    try:
        services.set_status(current, to_status, acting_user=actor(request))
    except InvalidTransition as exc:
        return _detail(request, current, problem=str(exc), status=409)
    done = f"Marked {AppointmentStatus(to_status).label.lower()}."
    if not is_htmx(request):
        messages.success(request, done)
        return redirect("scheduling:appointment", appointment_id=current.pk)
    return _detail(request, _appointment_or_404(appointment_id), changed=True, notice=done)


def _move_panel(
    request: HttpRequest, current: Appointment, *, problem: Problem | None = None, status: int = 200
) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    bound = "start" in source
    initial = find_initial(
        timezone.now().astimezone(zoneinfo.ZoneInfo(current.location.time_zone)).date(),
        providers=[current.provider_id],
        location=current.location_id,
    )
    form = MoveSearchForm(
        source if bound else None, initial=initial, appointment_type=current.appointment_type
    )
    rows = None
    if bound and form.is_valid():
        found = availability.first_available(**form.search_kwargs(), limit=RESULT_LIMIT)
        rows = slot_rows(found)
    audit_shown(request, patient_ids=[current.patient_id], what="move appointment")
    search = [(name, value) for name in SEARCH_FIELDS for value in source.getlist(name)]
    context = {
        "appointment": current,
        "when": when_label(current.starts_at, current.location),
        "form": form,
        "rows": rows,
        "search": search,
        "problem": problem,
        "reason": source.get("reason", "")[:200],
    }
    return panel(request, "scheduling/appointment_move.html", context, page=PAGE, status=status)


@staff_view(CHANGE)
@require_http_methods(["GET", "POST"])
def appointment_move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Reschedule: pick one of the open slots the finder lists; the old time stays in history."""
    current = _appointment_or_404(appointment_id)
    if request.method == "GET":
        return _move_panel(request, current)
    choice = parse_slot_value(request.POST.get("slot", ""))
    starts_at = parse_instant(choice[2]) if choice else None
    provider = Provider.objects.filter(pk=choice[0], active=True).first() if choice else None
    location = Location.objects.filter(pk=choice[1], active=True).first() if choice else None
    if starts_at is None or provider is None or location is None:
        problem = Problem("Choose one of the open slots listed.", [])
        return _move_panel(request, current, problem=problem, status=422)
    try:
        moved = services.reschedule_appointment(
            current,
            acting_user=actor(request),
            starts_at=starts_at,
            provider=provider,
            location=location,
            reason=request.POST.get("reason", "")[:200],
        )
    except (SlotUnavailable, InvalidTransition) as exc:
        problem = Problem(getattr(exc, "message", "") or str(exc), [])
        return _move_panel(request, current, problem=problem, status=409)
    except BookingRefused as exc:
        return _move_panel(request, current, problem=Problem(str(exc), []), status=422)
    done = f"Moved to {when_label(moved.starts_at, moved.location)} with {moved.provider}."
    if not is_htmx(request):
        messages.success(request, done)
        return redirect("scheduling:appointment", appointment_id=moved.pk)
    return _detail(request, _appointment_or_404(moved.pk), changed=True, notice=done)


def _offers(cancelled: Appointment) -> list[WaitlistEntry]:
    """Waitlist entries offered the time this cancellation freed."""
    return list(
        WaitlistEntry.objects.filter(
            status=WaitlistStatus.OFFERED,
            offered_provider_id=cancelled.provider_id,
            offered_starts_at=cancelled.starts_at,
        )
        .select_related("patient", "appointment_type")
        .defer("patient__ssn")
        .order_by("offered_at", "pk")
    )


@staff_view(CHANGE)
@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    current = _appointment_or_404(appointment_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "appointment": current,
        "when": when_label(current.starts_at, current.location),
        "form": form,
    }
    if request.method == "GET" or not form.is_valid():
        status = 200 if request.method == "GET" else 422
        audit_shown(request, patient_ids=[current.patient_id], what="cancel appointment")
        return panel(
            request, "scheduling/appointment_cancel.html", context, page=PAGE, status=status
        )
    try:
        cancelled = services.cancel_appointment(
            current,
            acting_user=actor(request),
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except (InvalidTransition, BookingRefused) as exc:
        context["problem"] = str(exc)
        return panel(request, "scheduling/appointment_cancel.html", context, page=PAGE, status=409)
    offers = _offers(cancelled)
    audit_shown(
        request,
        patient_ids=[cancelled.patient_id, *(entry.patient_id for entry in offers)],
        appointment_ids=[cancelled.pk],
        what="cancelled appointment",
    )
    if not is_htmx(request):
        messages.success(request, "Appointment cancelled.")
        for entry in offers:
            messages.info(
                request, f"The time was offered to {entry.patient.display_name} (waitlist)."
            )
        return redirect("scheduling:appointment", appointment_id=cancelled.pk)
    context.update(appointment=cancelled, offers=offers)
    return panel(request, "scheduling/appointment_cancelled.html", context, page=PAGE, changed=True)


urlpatterns: list[URLPattern] = [
    path("appointments/<int:appointment_id>/", appointment, name="appointment"),
    path(
        "appointments/<int:appointment_id>/status/", appointment_status, name="appointment_status"
    ),
    path("appointments/<int:appointment_id>/move/", appointment_move, name="appointment_move"),
    path(
        "appointments/<int:appointment_id>/cancel/", appointment_cancel, name="appointment_cancel"
    ),
]
