"""Prior authorization pages: draft and edit a request (service lines and diagnoses as
repeatable rows), send it (X12 278, or fax/portal/phone with the printable request form),
record the payer's decision, link appointments, cancel."""

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
from medoffice.authorizations.choices import EDITABLE_STATUSES, AuthorizationStatus, SubmittedVia
from medoffice.authorizations.errors import AuthorizationRefused, SubmissionFailed
from medoffice.authorizations.forms import (
    AuthorizationForm,
    DecisionForm,
    LinkForm,
    Rows,
    SubmitForm,
    attach_errors,
    pad,
    rows_from,
    rows_of,
)
from medoffice.authorizations.views.common import (
    ADD_AUTH,
    CHANGE_AUTH,
    VIEW_AUTH,
    actor,
    appointment_or_404,
    authorization_or_404,
    first_error,
    patient_or_404,
)
from medoffice.core.pdf import pdf_response
from medoffice.core.permissions import staff_view
from medoffice.scheduling import queries as scheduling

FORM = "authorizations/authorization_form.html"
S = AuthorizationStatus


def _form_page(
    request: HttpRequest,
    form: AuthorizationForm,
    rows: Rows,
    patient: Any,
    *,
    authorization: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "rows": rows, "patient": patient, "authorization": authorization}
    return render(request, FORM, context, status=status)


def _fields(form: AuthorizationForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


def _wants_more(request: HttpRequest) -> tuple[bool, bool]:
    more = request.POST.get("more", "")
    return more == "service", more == "diagnosis"


@staff_view(ADD_AUTH)
@require_http_methods(["GET", "POST"])
def new_authorization(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    if request.method == "GET":
        initial: dict[str, Any] = {"requesting_provider": patient.primary_care_provider_id}
        if request.GET.get("appointment_type", "").isdigit():
            initial["appointment_type"] = int(request.GET["appointment_type"])
        coverage = services_primary(patient.pk)
        initial["coverage"] = coverage.pk if coverage else ""
        form = AuthorizationForm(initial=initial)
        form.set_coverages(patient.pk)
        services.audit_read(patient.pk, acting_user=actor(request), what="new authorization form")
        return _form_page(request, form, pad(Rows([], [])), patient)
    form = AuthorizationForm(request.POST)
    form.set_coverages(patient.pk)
    more_service, more_diagnosis = _wants_more(request)
    rows = rows_from(request.POST, extra_service=more_service, extra_diagnosis=more_diagnosis)
    if more_service or more_diagnosis:
        return _form_page(request, form, rows, patient)
    if not form.is_valid():
        return _form_page(request, form, rows, patient, status=422)
    try:
        authorization = services.draft_authorization(
            acting_user=actor(request), patient=patient, services=rows.inputs(),
            diagnoses=rows.diagnoses, **_fields(form),
        )  # fmt: skip
    except ValidationError as exc:
        attach_errors(form, rows, exc)
        return _form_page(request, form, rows, patient, status=422)
    messages.success(request, f"Request drafted ({authorization.label}).")
    return redirect("authorizations:authorization", authorization_id=authorization.pk)


def services_primary(patient_id: int) -> Any:
    from medoffice.insurance import queries as insurance

    return insurance.primary_coverage(patient_id, on=timezone.localdate())


def _initial(authorization: Any) -> dict[str, Any]:
    return {
        "coverage": authorization.coverage_id or "",
        "appointment_type": authorization.appointment_type_id,
        "requesting_provider": authorization.requesting_provider_id,
        "servicing_provider": authorization.servicing_provider_id,
        "effective_from": authorization.effective_from,
        "effective_to": authorization.effective_to,
        "notes": authorization.notes,
    }


@staff_view(CHANGE_AUTH)
@require_http_methods(["GET", "POST"])
def edit_authorization(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    patient = authorization.patient
    if authorization.status not in EDITABLE_STATUSES:
        messages.error(request, "Only a draft can be edited; record the payer's decision instead.")
        return redirect("authorizations:authorization", authorization_id=authorization.pk)
    if request.method == "GET":
        form = AuthorizationForm(initial=_initial(authorization))
        form.set_coverages(patient.pk)
        services.audit_read(patient.pk, acting_user=actor(request), what="authorization",
                            target=authorization)  # fmt: skip
        return _form_page(
            request, form, rows_of(authorization), patient, authorization=authorization
        )
    form = AuthorizationForm(request.POST)
    form.set_coverages(patient.pk)
    more_service, more_diagnosis = _wants_more(request)
    rows = rows_from(request.POST, extra_service=more_service, extra_diagnosis=more_diagnosis)
    if more_service or more_diagnosis:
        return _form_page(request, form, rows, patient, authorization=authorization)
    if not form.is_valid():
        return _form_page(request, form, rows, patient, authorization=authorization, status=422)
    try:
        services.change_authorization(
            authorization, acting_user=actor(request), services=rows.inputs(),
            diagnoses=rows.diagnoses, **_fields(form),
        )  # fmt: skip
    except ValidationError as exc:
        attach_errors(form, rows, exc)
        return _form_page(request, form, rows, patient, authorization=authorization, status=422)
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Request saved.")
    return redirect("authorizations:authorization", authorization_id=authorization.pk)


@staff_view(VIEW_AUTH)
def authorization_detail(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    services.audit_read(authorization.patient_id, acting_user=actor(request),
                        what="authorization", target=authorization)  # fmt: skip
    links = list(queries.appointments_of(authorization.pk))
    linked = {link.appointment_id for link in links}
    upcoming = [
        a
        for a in scheduling.holding_appointments_of(
            authorization.patient_id, after=timezone.now() - dt.timedelta(days=30)
        )[:20]
        if a.pk not in linked
    ]
    payer = authorization.payer
    context = {
        "authorization": authorization,
        "patient": authorization.patient,
        "links": links,
        "upcoming": upcoming,
        "lines": list(authorization.services.all()),
        "diagnoses": [d.code for d in authorization.diagnoses.all()],
        "submit_form": SubmitForm(initial={"via": services.default_via(payer)}),
        "decision_form": DecisionForm(
            initial={
                "effective_from": authorization.effective_from,
                "effective_to": authorization.effective_to,
            }
        ),
        "x12_possible": bool(payer and payer.accepts_278),
        "can_decide": authorization.status in (S.SUBMITTED, S.PENDING),
        "can_cancel": authorization.status in (S.DRAFT, S.SUBMITTED, S.PENDING, S.APPROVED),
        "hand_vias": [c for c in SubmittedVia.choices if c[0] != SubmittedVia.X12],
    }
    return render(request, "authorizations/authorization.html", context)


def _back(authorization: Any) -> HttpResponse:
    return redirect("authorizations:authorization", authorization_id=authorization.pk)


@staff_view(CHANGE_AUTH)
@require_POST
def submit(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how the request goes to the payer.")
        return _back(authorization)
    via = form.cleaned_data["via"]
    try:
        done = services.submit_authorization(
            authorization, acting_user=actor(request), via=via,
            reference=form.cleaned_data["reference"],
        )  # fmt: skip
    except SubmissionFailed as exc:
        messages.error(request, exc.message)
        return _back(authorization)
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
        return _back(authorization)
    if via == SubmittedVia.X12:
        messages.success(request, f"Sent by 278: {done.get_status_display().lower()}.")
    else:
        how = SubmittedVia(via).label.lower()
        messages.success(
            request, f"Recorded as submitted by {how}. Record the decision when it comes."
        )
    return _back(authorization)


def _units_approved(request: HttpRequest, authorization: Any) -> dict[int, int]:
    found: dict[int, int] = {}
    for line in authorization.services.all():
        raw = request.POST.get(f"units-approved-{line.position}", "").strip()
        if raw.isdigit():
            found[line.position] = int(raw)
    return found


@staff_view(CHANGE_AUTH)
@require_POST
def decision(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not recorded: " + " ".join(
            str(e) for errors in form.errors.values() for e in errors
        ))  # fmt: skip
        return _back(authorization)
    try:
        done = services.record_decision(
            authorization, acting_user=actor(request),
            units_approved=_units_approved(request, authorization), **form.cleaned_data,
        )  # fmt: skip
    except (ValidationError, AuthorizationRefused) as exc:
        messages.error(request, "Not recorded: " + first_error(exc))
        return _back(authorization)
    messages.success(request, f"Recorded: {done.get_status_display().lower()}.")
    return _back(authorization)


@staff_view(CHANGE_AUTH)
@require_POST
def cancel(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    try:
        services.cancel_authorization(authorization, acting_user=actor(request))
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Request cancelled.")
    return _back(authorization)


@staff_view(VIEW_AUTH)
def request_form(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    data = services.make_request_form(authorization, acting_user=actor(request))
    return pdf_response(data, f"authorization-request-{authorization.pk}.pdf")


@staff_view(CHANGE_AUTH)
@require_POST
def link(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an appointment.")
        return _back(authorization)
    appointment = appointment_or_404(form.cleaned_data["appointment"])
    try:
        services.link_appointment(
            authorization, appointment, acting_user=actor(request),
            units=form.cleaned_data["units"] or 1,
        )  # fmt: skip
    except (ValidationError, AuthorizationRefused) as exc:
        messages.error(request, "Not linked: " + first_error(exc))
    else:
        messages.success(request, "Appointment linked.")
    return _back(authorization)


@staff_view(CHANGE_AUTH)
@require_POST
def unlink(request: HttpRequest, authorization_id: int, appointment_id: int) -> HttpResponse:
    authorization = authorization_or_404(authorization_id)
    appointment = appointment_or_404(appointment_id)
    try:
        services.unlink_appointment(authorization, appointment, acting_user=actor(request))
    except AuthorizationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Appointment unlinked.")
    return _back(authorization)


urlpatterns = [
    path(
        "patients/<int:patient_id>/authorizations/new/",
        new_authorization,
        name="new_authorization",
    ),
    path("requests/<int:authorization_id>/", authorization_detail, name="authorization"),
    path("requests/<int:authorization_id>/edit/", edit_authorization, name="edit_authorization"),
    path("requests/<int:authorization_id>/submit/", submit, name="submit"),
    path("requests/<int:authorization_id>/decision/", decision, name="decision"),
    path("requests/<int:authorization_id>/cancel/", cancel, name="cancel_authorization"),
    path("requests/<int:authorization_id>/form/", request_form, name="request_form"),
    path("requests/<int:authorization_id>/appointments/", link, name="link_appointment"),
    path(
        "requests/<int:authorization_id>/appointments/<int:appointment_id>/remove/",
        unlink,
        name="unlink_appointment",
    ),
]
