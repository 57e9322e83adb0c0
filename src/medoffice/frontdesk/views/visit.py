"""One visit at the desk: the check-in checklist, the waiting-room steps and the timeline.

Card images are posted as files (upload, or the desk camera's snapshot from ``frontdesk.js``)
and shown only through ``image``, which audits every look.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.frontdesk import follow_ups, images, intake_forms, queries, services
from medoffice.frontdesk.choices import CardImageKind, ExcuseKind, IntervalUnit
from medoffice.frontdesk.errors import DeskRefused
from medoffice.frontdesk.views.common import (
    USE,
    actor,
    appointment_or_404,
    check_in_or_404,
    local,
    local_today,
)
from medoffice.insurance import queries as insurance
from medoffice.scheduling import queries as scheduling


def _checklist(check_in: Any, today: dt.date) -> dict[str, Any]:
    patient_id = check_in.patient_id
    captured = images.captured_kinds(check_in)
    return {
        "last_confirmed": queries.last_confirmed(patient_id),
        "images": [
            {"kind": kind, "label": label, "captured_at": captured.get(kind)}
            for kind, label in CardImageKind.choices
        ],
        "forms": intake_forms.forms_status(patient_id, on=today),
        "forms_link": intake_forms.url("patient_forms", patient_id),
        "kiosk_link": intake_forms.url("kiosk_start", patient_id),
    }


def visit_context(request: HttpRequest, appointment: Any) -> dict[str, Any]:
    check_in = queries.check_in_for(appointment.pk)
    location = appointment.location
    context: dict[str, Any] = {
        "appointment": appointment,
        "patient": appointment.patient,
        "check_in": check_in,
        "location": location,
        "starts_local": local(appointment.starts_at, location),
        "timeline": [
            {"step": step, "local": local(step.at, location)}
            for step in queries.timeline(appointment, check_in)
        ],
        "status": queries.board_status(appointment.status, check_in),
        "can_notes": request.user.has_perm("frontdesk.issue_excuse_note"),
        "units": IntervalUnit.choices,
        "excuse_kinds": ExcuseKind.choices,
        "appointment_types": list(scheduling.list_appointment_types()),
        "follow_ups": follow_ups.follow_ups_of(appointment.pk),
        "notes": [n for n in queries.excuse_notes_of(appointment.patient_id)
                  if n.appointment_id == appointment.pk],
        "visit_day": local(appointment.starts_at, location).date(),  # type: ignore[union-attr]
    }  # fmt: skip
    if check_in is not None:
        context.update(_checklist(check_in, local_today(location)))
        context.update(insurance.desk_context(appointment))
        context["arrived_local"] = local(check_in.arrived_at, location)
    return context


@staff_view(USE)
def visit(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = appointment_or_404(appointment_id)
    services.audit_read(appointment.patient_id, acting_user=actor(request), what="desk visit")
    return render(request, "frontdesk/visit.html", visit_context(request, appointment))


@staff_view(USE)
@require_POST
def confirm_demographics(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = appointment_or_404(appointment_id)
    check_in = queries.check_in_for(appointment_id)
    services.confirm_demographics(
        appointment.patient, acting_user=actor(request), check_in=check_in
    )
    messages.success(request, "Demographics confirmed.")
    if request.POST.get("next") == "chart_prep":
        prep = reverse("frontdesk:chart_prep")
        try:
            day = dt.date.fromisoformat(request.POST.get("date", "")).isoformat()
        except ValueError:
            day = ""
        return redirect(f"{prep}?location={appointment.location_id}&date={day}")
    return redirect("frontdesk:visit", appointment_id=appointment_id)


@staff_view(USE)
@require_POST
def forms_complete(request: HttpRequest, appointment_id: int) -> HttpResponse:
    check_in = check_in_or_404(appointment_id)
    status = intake_forms.forms_status(check_in.patient_id, on=local_today(check_in.location))
    if status.due:
        messages.error(request, "Forms are still due; complete them first.")
    else:
        services.mark_forms_complete(check_in, acting_user=actor(request), complete=True)
        messages.success(request, "Forms marked complete.")
    return redirect("frontdesk:visit", appointment_id=appointment_id)


@staff_view(USE)
def image(request: HttpRequest, appointment_id: int, kind: str) -> HttpResponse:
    check_in = check_in_or_404(appointment_id)
    if kind not in CardImageKind.values:
        raise Http404("No such picture.")
    if request.method == "POST":
        upload = request.FILES.get("image")
        if upload is None:
            messages.error(request, "Choose a picture first.")
        else:
            try:
                images.store_image(
                    check_in, kind, upload, source=request.POST.get("source", "upload"),
                    acting_user=actor(request),
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"{CardImageKind(kind).label} saved.")
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(status=204)
        return redirect("frontdesk:visit", appointment_id=appointment_id)
    data = images.image_bytes(check_in, kind, acting_user=actor(request))
    if data is None:
        raise Http404("Not captured.")
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(USE)
@require_POST
def move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    check_in = check_in_or_404(appointment_id)
    to = request.POST.get("to", "")
    try:
        services.move_visit(check_in, to, acting_user=actor(request))
    except DeskRefused as exc:
        messages.error(request, exc.message)
    if request.headers.get("HX-Request") and request.POST.get("from") == "board":
        from medoffice.frontdesk.views.board import board_rows_response

        return board_rows_response(request, check_in.location)
    if request.POST.get("from") == "board":
        return redirect(f"{reverse('frontdesk:board')}?location={check_in.location_id}")
    return redirect("frontdesk:visit", appointment_id=appointment_id)


urlpatterns = [
    path("visits/<int:appointment_id>/", visit, name="visit"),
    path(
        "visits/<int:appointment_id>/demographics/",
        confirm_demographics,
        name="confirm_demographics",
    ),
    path("visits/<int:appointment_id>/forms/", forms_complete, name="forms_complete"),
    path("visits/<int:appointment_id>/images/<str:kind>/", image, name="image"),
    path("visits/<int:appointment_id>/move/", move, name="move"),
]
