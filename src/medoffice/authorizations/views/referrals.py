"""Referral pages: record or edit one, see its visits and count one, cancel it, and print the
outgoing letter and fax packet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from medoffice.authorizations import queries, services
from medoffice.authorizations.choices import Direction
from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.authorizations.forms import SPECIALTIES, CancelForm, ReferralForm, referral_initial
from medoffice.authorizations.views.common import (
    ADD_REFERRAL,
    CHANGE_REFERRAL,
    VIEW_REFERRAL,
    actor,
    appointment_or_404,
    first_error,
    patient_or_404,
    referral_or_404,
)
from medoffice.core.pdf import pdf_response
from medoffice.core.permissions import staff_view
from medoffice.scheduling import queries as scheduling

FORM = "authorizations/referral_form.html"


def _form_page(
    request: HttpRequest,
    form: ReferralForm,
    patient: Any,
    *,
    referral: Any = None,
    status: int = 200,
) -> HttpResponse:
    direction = form["direction"].value() or Direction.INCOMING
    context = {
        "form": form,
        "patient": patient,
        "referral": referral,
        "incoming": direction == Direction.INCOMING,
        "specialties": SPECIALTIES,
    }
    return render(request, FORM, context, status=status)


def _errors_onto(form: ReferralForm, exc: ValidationError) -> None:
    for name, problems in exc.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@staff_view(ADD_REFERRAL)
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    if request.method == "GET":
        direction = request.GET.get("direction", Direction.INCOMING)
        if direction not in Direction.values:
            direction = Direction.INCOMING
        initial = {
            "direction": direction,
            "start_date": timezone.localdate(),
            "visits_authorized": 1,
        }
        form = ReferralForm(initial=initial)
        form.set_coverages(patient.pk)
        services.audit_read(patient.pk, acting_user=actor(request), what="new referral form")
        return _form_page(request, form, patient)
    form = ReferralForm(request.POST)
    form.set_coverages(patient.pk)
    if not form.is_valid():
        return _form_page(request, form, patient, status=422)
    data = form.service_fields()
    try:
        referral = services.record_referral(
            acting_user=actor(request), patient=patient, direction=form.cleaned_data["direction"],
            start_date=data.pop("start_date"), end_date=data.pop("end_date"),
            visits_authorized=data.pop("visits_authorized"), **data,
        )  # fmt: skip
    except ValidationError as exc:
        _errors_onto(form, exc)
        return _form_page(request, form, patient, status=422)
    messages.success(request, f"{referral.label} recorded.")
    return redirect("authorizations:referral", referral_id=referral.pk)


@staff_view(CHANGE_REFERRAL)
@require_http_methods(["GET", "POST"])
def edit_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(referral_id)
    patient = referral.patient
    if request.method == "GET":
        form = ReferralForm(initial=referral_initial(referral))
        form.set_coverages(patient.pk)
        services.audit_read(
            patient.pk, acting_user=actor(request), what="referral", target=referral
        )
        return _form_page(request, form, patient, referral=referral)
    post = request.POST.copy()
    post["direction"] = referral.direction
    form = ReferralForm(post)
    form.set_coverages(patient.pk)
    if not form.is_valid():
        return _form_page(request, form, patient, referral=referral, status=422)
    try:
        services.change_referral(referral, acting_user=actor(request), **form.service_fields())
    except ValidationError as exc:
        _errors_onto(form, exc)
        return _form_page(request, form, patient, referral=referral, status=422)
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
        return redirect("authorizations:referral", referral_id=referral.pk)
    messages.success(request, f"{referral.label} saved.")
    return redirect("authorizations:referral", referral_id=referral.pk)


@staff_view(VIEW_REFERRAL)
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(referral_id)
    services.audit_read(referral.patient_id, acting_user=actor(request), what="referral",
                        target=referral)  # fmt: skip
    visits = list(queries.visits_of(referral.pk))
    counted = {v.appointment_id for v in visits}
    upcoming = [
        a
        for a in scheduling.holding_appointments_of(
            referral.patient_id, after=timezone.now() - dt.timedelta(days=30)
        )[:20]
        if a.pk not in counted
    ]
    context = {
        "referral": referral,
        "patient": referral.patient,
        "visits": visits,
        "upcoming": upcoming,
        "cancel_form": CancelForm(),
        "incoming": referral.direction == Direction.INCOMING,
    }
    return render(request, "authorizations/referral.html", context)


@staff_view(CHANGE_REFERRAL)
@require_POST
def cancel_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(referral_id)
    try:
        services.cancel_referral(
            referral, acting_user=actor(request), reason=request.POST.get("reason", "")
        )
    except (ValidationError, AuthorizationRefused) as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, f"{referral.label} cancelled.")
    return redirect("authorizations:referral", referral_id=referral.pk)


@staff_view(CHANGE_REFERRAL)
@require_POST
def link_visit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(referral_id)
    appointment = appointment_or_404(request.POST.get("appointment"))
    try:
        services.link_visit(referral, appointment, acting_user=actor(request))
    except AuthorizationRefused as exc:
        messages.error(request, f"Not counted: {exc.message}")
    else:
        messages.success(request, f"The visit counts against {referral.label}.")
    return redirect("authorizations:referral", referral_id=referral.pk)


@staff_view(CHANGE_REFERRAL)
@require_POST
def unlink_visit(request: HttpRequest, referral_id: int, appointment_id: int) -> HttpResponse:
    referral = referral_or_404(referral_id)
    appointment = appointment_or_404(appointment_id)
    try:
        services.unlink_visit(referral, appointment, acting_user=actor(request))
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The visit no longer counts against {referral.label}.")
    return redirect("authorizations:referral", referral_id=referral.pk)


def _document(request: HttpRequest, referral_id: int, kind: str) -> HttpResponse:
    referral = referral_or_404(referral_id)
    make = services.make_referral_packet if kind == "packet" else services.make_referral_letter
    try:
        data = make(referral, acting_user=actor(request))
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
        return redirect("authorizations:referral", referral_id=referral.pk)
    return pdf_response(data, f"referral-{kind}-{referral.pk}.pdf")


@staff_view(VIEW_REFERRAL)
def referral_letter(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _document(request, referral_id, "letter")


@staff_view(VIEW_REFERRAL)
def referral_packet(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _document(request, referral_id, "packet")


urlpatterns = [
    path("patients/<int:patient_id>/referrals/new/", new_referral, name="new_referral"),
    path("referrals/<int:referral_id>/", referral_detail, name="referral"),
    path("referrals/<int:referral_id>/edit/", edit_referral, name="edit_referral"),
    path("referrals/<int:referral_id>/cancel/", cancel_referral, name="cancel_referral"),
    path("referrals/<int:referral_id>/visits/", link_visit, name="link_visit"),
    path(
        "referrals/<int:referral_id>/visits/<int:appointment_id>/remove/",
        unlink_visit,
        name="unlink_visit",
    ),
    path("referrals/<int:referral_id>/letter/", referral_letter, name="referral_letter"),
    path("referrals/<int:referral_id>/packet/", referral_packet, name="referral_packet"),
]
