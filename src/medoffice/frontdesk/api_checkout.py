"""Check-out over the API: excuse notes (their PDF too) and follow-up booking."""

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Status

from medoffice.api.idempotency import idempotent
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.core.pdf import pdf_response
from medoffice.frontdesk import api_schemas as s
from medoffice.frontdesk import excuse_notes, follow_ups
from medoffice.frontdesk.errors import DeskRefused
from medoffice.frontdesk.models import ExcuseNote
from medoffice.scheduling import queries as scheduling

router = Router(tags=["frontdesk"])
ANSWERS: dict[int, Any] = {404: s.Problem, 409: s.Problem, 422: s.Problem}


def _appointment(appointment_id: int) -> Any:
    found = scheduling.get_appointment(appointment_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No appointment with id {appointment_id}.")
    return found


def _invalid(exc: ValidationError) -> ProblemError:
    pairs = (
        [(k, m) for k, ms in exc.message_dict.items() for m in ms]
        if hasattr(exc, "error_dict")
        else [("", m) for m in exc.messages]
    )
    errors = [{"field": k, "message": m} for k, m in pairs]
    return ProblemError(
        422, "Invalid input", "Some fields are not valid.", extra={"errors": errors}
    )


@router.post(
    "/excuse-notes", response={201: s.ExcuseNoteOut, **ANSWERS}, url_name="desk-excuse-note"
)
@idempotent
def create_excuse_note(request: HttpRequest, payload: s.ExcuseNoteIn) -> Any:
    """Issue a work or school note for the visit, signed by its provider; returns the PDF URL."""
    require(request, "frontdesk.issue_excuse_note")
    appointment = _appointment(payload.appointment_id)
    zone = zoneinfo.ZoneInfo(appointment.location.time_zone)
    try:
        note = excuse_notes.issue_excuse_note(
            acting_user=request.user,
            patient=appointment.patient,
            provider=appointment.provider,
            kind=payload.kind,
            visit_date=appointment.starts_at.astimezone(zone).date(),
            excused_from=payload.excused_from,
            excused_through=payload.excused_through,
            return_on=payload.return_on,
            restrictions=payload.restrictions,
            appointment=appointment,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(
        201,
        {
            "id": note.pk,
            "patient_id": note.patient_id,
            "provider_id": note.provider_id,
            "kind": note.kind,
            "excused_from": note.excused_from,
            "excused_through": note.excused_through,
            "return_on": note.return_on,
            "signature": note.signature,
            "pdf_url": reverse("api:desk-excuse-note-pdf", kwargs={"note_id": note.pk}),
        },
    )


@router.get(
    "/excuse-notes/{int:note_id}/pdf",
    response={200: None, 404: s.Problem},
    url_name="desk-excuse-note-pdf",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def excuse_note_pdf(request: HttpRequest, note_id: int) -> HttpResponse:
    """The note's PDF as issued (audited)."""
    require(request, "frontdesk.use_desk")
    note = ExcuseNote.objects.filter(pk=note_id).first()
    if note is None:
        raise ProblemError(404, "Not found", f"No excuse note with id {note_id}.")
    return pdf_response(
        excuse_notes.note_pdf(note, acting_user=request.user), f"excuse-note-{note.pk}.pdf"
    )


@router.post("/follow-ups", response={201: s.FollowUpOut, **ANSWERS}, url_name="desk-follow-up")
@idempotent
def book_follow_up(request: HttpRequest, payload: s.FollowUpIn) -> Any:
    """ "Return in N days/weeks/months": booked with the same provider in the week it lands on
    (or the first open time in the two weeks after, when that week is full)."""
    require(request, "frontdesk.use_desk")
    require(request, "scheduling.add_appointment")
    appointment = _appointment(payload.appointment_id)
    kind = appointment.appointment_type
    if payload.appointment_type_id is not None:
        kind = scheduling.get_appointment_type(payload.appointment_type_id)
        if kind is None:
            raise ProblemError(422, "Invalid input", "No such appointment type.")
    try:
        found = follow_ups.book_follow_up(
            appointment, acting_user=request.user, interval=payload.interval, unit=payload.unit,
            appointment_type=kind, starts_at=payload.starts_at,
        )  # fmt: skip
    except DeskRefused as exc:
        raise ProblemError(409, "No slot", exc.message) from None
    booked = found.booked_appointment
    assert booked is not None
    return Status(
        201,
        {
            "id": found.pk,
            "target_date": found.target_date,
            "week_starts": found.week_starts,
            "booked_appointment_id": booked.pk,
            "starts_at": booked.starts_at,
            "provider_id": booked.provider_id,
        },
    )
