"""JSON API of the front desk, mounted at /api/desk/: check in, the board, moving the visit,
its timeline, chart prep and wait times (check-out, excuse notes and follow-ups in
``api_checkout``).

Handlers parse, authorize, call the desk's services and render; every answer naming patients is
audited. Refusals answer 409 with the reason.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.frontdesk import api_schemas as s
from medoffice.frontdesk import chart_prep, queries, services, wait_report
from medoffice.frontdesk.api_checkout import router as checkout_router
from medoffice.frontdesk.errors import DeskRefused
from medoffice.practice import queries as practice
from medoffice.scheduling import queries as scheduling

router = Router(tags=["frontdesk"])
USE = "frontdesk.use_desk"
REFUSED: dict[int, Any] = {404: s.Problem, 409: s.Problem}


def refused(exc: DeskRefused) -> ProblemError:
    return ProblemError(
        409, "Refused", exc.message, type_="https://medoffice.example/problems/desk-refused"
    )


def appointment_or_404(appointment_id: int) -> Any:
    found = scheduling.get_appointment(appointment_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No appointment with id {appointment_id}.")
    return found


def location_or_404(location_id: int | None) -> Any:
    if location_id is None:
        places = list(practice.list_locations()[:1])
        if places:
            return places[0]
        raise ProblemError(404, "Not found", "No location is set up.")
    found = practice.get_location(location_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No location with id {location_id}.")
    return found


def _check_in_out(check_in: Any) -> dict[str, Any]:
    return {
        "id": check_in.pk,
        "appointment_id": check_in.appointment_id,
        "patient_id": check_in.patient_id,
        "arrived_at": check_in.arrived_at,
        "minutes_late": check_in.minutes_late,
        "late": check_in.late,
        "ticket": check_in.ticket_label,
        "status": queries.board_status(check_in.appointment.status, check_in),
    }


@router.post("/check-ins", response={201: s.CheckInOut, **REFUSED}, url_name="desk-check-in")
def check_in(request: HttpRequest, payload: s.CheckInIn) -> Any:
    """The patient is here: the appointment becomes arrived; arrival and lateness are kept."""
    require(request, USE)
    appointment = appointment_or_404(payload.appointment_id)
    try:
        found = services.check_in(appointment, acting_user=request.user)
    except DeskRefused as exc:
        raise refused(exc) from None
    return Status(201, _check_in_out(found))


@router.post(
    "/visits/{int:appointment_id}/status",
    response={200: s.CheckInOut, **REFUSED},
    url_name="desk-move",
)
def move(request: HttpRequest, appointment_id: int, payload: s.MoveIn) -> Any:
    """Roomed, with provider, ready for check-out, or checked out."""
    require(request, USE)
    found = queries.check_in_for(appointment_id)
    if found is None:
        raise ProblemError(404, "Not found", "This visit is not checked in.")
    try:
        if payload.to == "checked_out":
            found = services.check_out(found, acting_user=request.user)
        else:
            found = services.move_visit(found, payload.to, acting_user=request.user)
    except DeskRefused as exc:
        raise refused(exc) from None
    return _check_in_out(found)


@router.get("/board", response={200: list[s.BoardRowOut], 404: s.Problem}, url_name="desk-board")
def board(request: HttpRequest, location: int | None = None) -> Any:
    """Today's checked-in visits not yet checked out, with minutes waited and the wait colour."""
    require(request, USE)
    rows = queries.board(location_or_404(location))
    if rows:
        services.audit_shown(
            [r.check_in.patient_id for r in rows], acting_user=request.user, what="board (API)"
        )
    return [
        {
            "appointment_id": r.appointment.pk,
            "patient_id": r.check_in.patient_id,
            "patient_name": r.patient.display_name,
            "provider_id": r.appointment.provider_id,
            "provider_name": r.appointment.provider.display_name,
            "starts_at": r.appointment.starts_at,
            "arrived_at": r.check_in.arrived_at,
            "late": r.check_in.late,
            "minutes_late": r.check_in.minutes_late,
            "waited_minutes": r.waited_minutes,
            "in_status_minutes": r.in_status_minutes,
            "status": r.status,
            "status_label": r.status_label,
            "room": r.room,
            "wait_level": r.level,
        }
        for r in rows
    ]


@router.get(
    "/visits/{int:appointment_id}/timeline",
    response={200: s.TimelineOut, 404: s.Problem},
    url_name="desk-timeline",
)
def timeline(request: HttpRequest, appointment_id: int) -> Any:
    """Booked, arrived, roomed, with provider, ready for check-out and checked out instants."""
    require(request, USE)
    appointment = appointment_or_404(appointment_id)
    check_in = queries.check_in_for(appointment_id)
    services.audit_read(appointment.patient_id, acting_user=request.user, what="visit timeline")
    return {
        "appointment_id": appointment.pk,
        "status": queries.board_status(appointment.status, check_in),
        "steps": [
            {"step": st.key, "label": st.label, "at": st.at}
            for st in queries.timeline(appointment, check_in)
        ],
    }


@router.get("/chart-prep", response={200: s.ChartPrepOut, 404: s.Problem}, url_name="desk-prep")
def prep(request: HttpRequest, location: int | None = None, date: dt.date | None = None) -> Any:
    """What is missing per appointment on ``date`` (default: the next business day)."""
    require(request, USE)
    place = location_or_404(location)
    day = date or chart_prep.prep_day(place)
    rows = chart_prep.prep_rows(place, day)
    if rows:
        services.audit_shown(
            [r.appointment.patient_id for r in rows], acting_user=request.user,
            what="chart prep (API)",
        )  # fmt: skip
    return {
        "location_id": place.pk,
        "date": day,
        "appointments": [
            {
                "appointment_id": r.appointment.pk,
                "patient_id": r.appointment.patient_id,
                "patient_name": r.appointment.patient.display_name,
                "provider_id": r.appointment.provider_id,
                "starts_at": r.appointment.starts_at,
                "appointment_type": r.appointment.appointment_type.name,
                "items": [
                    {"key": i.key, "label": i.label, "severity": i.severity, "fix": i.fix}
                    for i in r.items
                ],
            }
            for r in rows
        ],
    }


@router.get(
    "/reports/waits", response={200: list[s.WaitLineOut], 404: s.Problem}, url_name="desk-waits"
)
def waits(request: HttpRequest, start: dt.date, end: dt.date, location: int | None = None) -> Any:
    """Average and 90th-percentile minutes from arrival to roomed and to seen, per provider/day."""
    require(request, "frontdesk.view_wait_report")
    if end < start or (end - start).days >= wait_report.MAX_DAYS:
        raise ProblemError(422, "Invalid input", f"Give 1 to {wait_report.MAX_DAYS} days.")
    lines = wait_report.wait_lines(location_or_404(location), start, end)
    return [{**line.__dict__, "date": line.day} for line in lines]


router.add_router("", checkout_router)
