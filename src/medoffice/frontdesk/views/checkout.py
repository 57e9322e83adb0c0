"""Check-out: the follow-up the provider asked for, excuse notes, the appointment card, and the
step that ends the visit. The money panel (collect the copay, the balance split) is billing's
``desk_money`` template tag.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.core.pdf import pdf_response, render_pdf
from medoffice.core.permissions import staff_view
from medoffice.frontdesk import excuse_notes, follow_ups, services
from medoffice.frontdesk.errors import DeskRefused
from medoffice.frontdesk.models import ExcuseNote
from medoffice.frontdesk.views.common import (
    NOTES,
    USE,
    actor,
    appointment_or_404,
    check_in_or_404,
)
from medoffice.frontdesk.views.visit import visit_context
from medoffice.scheduling import queries as scheduling


def _int(raw: str, default: int = 0) -> int:
    return int(raw) if raw.strip().isdigit() else default


def _follow_up_input(request: HttpRequest, appointment: Any) -> dict[str, Any]:
    type_id = _int(request.POST.get("appointment_type", ""), appointment.appointment_type_id)
    kind = scheduling.get_appointment_type(type_id) or appointment.appointment_type
    return {
        "interval": _int(request.POST.get("interval", ""), 0),
        "unit": request.POST.get("unit", "weeks"),
        "appointment_type": kind,
    }


@staff_view(USE)
@require_POST
def follow_up(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Propose slots in the week the follow-up lands on; with ``starts_at``, book one."""
    appointment = appointment_or_404(appointment_id)
    values = _follow_up_input(request, appointment)
    context = visit_context(request, appointment)
    context["follow_up_input"] = values
    try:
        if request.POST.get("starts_at"):
            starts_at = dt.datetime.fromisoformat(request.POST["starts_at"])
            booked = follow_ups.book_follow_up(
                appointment, acting_user=actor(request), starts_at=starts_at, **values
            )
            when = booked.booked_appointment.starts_at.astimezone(  # type: ignore[union-attr]
                zoneinfo.ZoneInfo(appointment.location.time_zone)
            )
            messages.success(request, f"Follow-up booked {when:%a %m/%d/%Y %I:%M %p}.")
            return redirect("frontdesk:visit", appointment_id=appointment_id)
        context["proposal"] = follow_ups.propose(appointment, **values)
    except (DeskRefused, ValueError) as exc:
        context["follow_up_error"] = getattr(exc, "message", str(exc))
    zone = zoneinfo.ZoneInfo(appointment.location.time_zone)
    if "proposal" in context:
        context["proposed"] = [
            {"slot": s, "local": s.starts_at.astimezone(zone)} for s in context["proposal"].slots
        ]
    return render(request, "frontdesk/visit.html", context)


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({field: "Give a date."}) from None


@staff_view(NOTES)
@require_POST
def excuse_note(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = appointment_or_404(appointment_id)
    zone = zoneinfo.ZoneInfo(appointment.location.time_zone)
    try:
        return_raw = request.POST.get("return_on", "")
        note = excuse_notes.issue_excuse_note(
            acting_user=actor(request),
            patient=appointment.patient,
            provider=appointment.provider,
            kind=request.POST.get("kind", ""),
            visit_date=appointment.starts_at.astimezone(zone).date(),
            excused_from=_date(request.POST.get("excused_from", ""), "excused_from"),
            excused_through=_date(request.POST.get("excused_through", ""), "excused_through"),
            return_on=_date(return_raw, "return_on") if return_raw else None,
            restrictions=request.POST.get("restrictions", ""),
            appointment=appointment,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("frontdesk:visit", appointment_id=appointment_id)
    messages.success(request, f"{note.get_kind_display()} excuse note {note.pk} issued.")
    return redirect("frontdesk:visit", appointment_id=appointment_id)


@staff_view(USE)
def note_pdf(request: HttpRequest, note_id: int) -> HttpResponse:
    note = ExcuseNote.objects.filter(pk=note_id).first()
    if note is None:
        raise Http404("No such note.")
    data = excuse_notes.note_pdf(note, acting_user=actor(request))
    return pdf_response(data, f"excuse-note-{note.pk}.pdf")


@staff_view(USE)
def appointment_card(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = appointment_or_404(appointment_id)
    zone = zoneinfo.ZoneInfo(appointment.location.time_zone)
    upcoming = scheduling.holding_appointments_of(appointment.patient, after=timezone.now())
    rows = [
        {"appointment": a, "local_start": a.starts_at.astimezone(zone)}
        for a in upcoming.exclude(pk=appointment.pk)[:4]
    ]
    services.audit_read(appointment.patient_id, acting_user=actor(request), what="appointment card")
    data = render_pdf(
        "frontdesk/pdf/appointment_card.html",
        {"patient": appointment.patient, "appointments": rows},
        title="Appointment card",
    )
    return pdf_response(data, f"appointment-card-{appointment.pk}.pdf")


@staff_view(USE)
@require_POST
def check_out(request: HttpRequest, appointment_id: int) -> HttpResponse:
    check_in = check_in_or_404(appointment_id)
    try:
        services.check_out(check_in, acting_user=actor(request))
    except DeskRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Checked out.")
    return redirect("frontdesk:visit", appointment_id=appointment_id)


urlpatterns = [
    path("visits/<int:appointment_id>/follow-up/", follow_up, name="follow_up"),
    path("visits/<int:appointment_id>/excuse-note/", excuse_note, name="excuse_note"),
    path("visits/<int:appointment_id>/card/", appointment_card, name="appointment_card"),
    path("visits/<int:appointment_id>/check-out/", check_out, name="check_out"),
    path("notes/<int:note_id>/pdf/", note_pdf, name="note_pdf"),
]
