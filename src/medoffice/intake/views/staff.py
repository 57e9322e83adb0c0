"""Staff pages for one patient's forms: what is due, requests, signed forms, review and apply."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.accounts.access import record_view
from medoffice.core.pdf import pdf_response
from medoffice.core.permissions import staff_view
from medoffice.intake import applying, queries, services
from medoffice.intake.errors import IntakeError
from medoffice.intake.models import FormRequest, Submission
from medoffice.patients import queries as patient_queries
from medoffice.patients import services as patient_services

VIEW = "intake.view_submission"
ASK = "intake.add_formrequest"
APPLY = "intake.change_submission"
KIOSK_SESSION_KEY = "intake_kiosk_token"


def _patient(patient_id: int) -> Any:
    patient = patient_queries.get_patient(patient_id)
    if patient is None:
        raise Http404("No such patient.")
    return patient


def _appointment_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("appointment", "").strip()
    return int(raw) if raw.isdigit() else None


def _codes(request: HttpRequest) -> list[str] | None:
    codes = request.POST.getlist("form")
    return codes or None


@record_view(VIEW, "patients.patient", "patient_id")
def patient_forms(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    today = timezone.localdate()
    submissions = list(queries.submissions_of(patient.pk))
    requests = list(
        FormRequest.objects.filter(patient=patient)
        .select_related("created_by")
        .prefetch_related("forms__version__template", "forms__submission")
        .order_by("-created_at", "-pk")[:20]
    )
    history = applying.history_of(patient.pk)
    patient_services.audit_read(patient, acting_user=request.user, what="intake forms")
    context = {
        "patient": patient,
        "due": queries.forms_due(patient.pk, on=today),
        "templates": queries.active_templates(),
        "requests": [(r, services.request_state(r)) for r in requests],
        "submissions": submissions,
        "pending_review": sum(1 for x in submissions if x.review_status == "pending"),
        "history": history,
        "history_sections": applying.history_rows(history),
        "can_ask": request.user.has_perm(ASK),
        "can_apply": request.user.has_perm(APPLY),
        "new_link": request.session.pop("intake_new_link", None),
    }
    return render(request, "intake/patient_forms.html", context)


@staff_view(ASK)
@require_POST
def kiosk_start(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Start the kiosk on this device: the staff member is signed out, so the patient holding
    the tablet reaches only their own forms; the device's new session holds the kiosk token."""
    patient = _patient(patient_id)
    try:
        _, token = services.start_request(
            patient,
            acting_user=request.user,
            channel="kiosk",
            codes=_codes(request),
            appointment_id=_appointment_id(request),
        )
    except IntakeError as exc:
        messages.error(request, str(exc))
        return redirect("intake:patient_forms", patient_id=patient.pk)
    logout(request)
    request.session[KIOSK_SESSION_KEY] = token
    return redirect("intake:kiosk")


@staff_view(ASK)
@require_POST
def link_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    try:
        _, token = services.start_request(
            patient,
            acting_user=request.user,
            channel="link",
            codes=_codes(request),
            appointment_id=_appointment_id(request),
        )
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        url = request.build_absolute_uri(reverse("intake:link", args=[token]))
        request.session["intake_new_link"] = url
        messages.success(request, "Secure link created. Copy it now: it is shown only once.")
    return redirect("intake:patient_forms", patient_id=patient.pk)


@staff_view(ASK)
@require_POST
def request_revoke(request: HttpRequest, request_id: int) -> HttpResponse:
    found = get_object_or_404(FormRequest, pk=request_id)
    services.revoke_request(found, acting_user=request.user)
    messages.success(request, "The request was revoked; its link no longer opens.")
    return redirect("intake:patient_forms", patient_id=found.patient_id)


def _submission(submission_id: int) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("version__template", "patient", "reviewed_by"),
        pk=submission_id,
    )


@staff_view(VIEW)
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(submission_id)
    patient = _patient(submission.patient_id)
    applying.audit_read(submission, acting_user=request.user, what="answers")
    context = {
        "patient": patient,
        "submission": submission,
        "rows": applying.answer_rows(submission),
        "changes": applying.proposed_changes(submission, patient),
        "can_apply": request.user.has_perm(APPLY),
    }
    return render(request, "intake/submission.html", context)


@staff_view(VIEW)
def submission_pdf(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(submission_id)
    download = request.GET.get("download") == "1"
    applying.audit_read(submission, acting_user=request.user, what="signed PDF")
    return pdf_response(submission.pdf, f"form-{submission.pk}.pdf", download=download)


@staff_view(APPLY)
@require_POST
def submission_apply(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(submission_id)
    try:
        done = applying.apply_submission(submission, acting_user=request.user)
    except ValidationError as exc:
        problems = "; ".join(cast(list[str], exc.messages))
        messages.error(request, f"The record refused these answers: {problems}")
        return redirect("intake:submission", submission_id=submission.pk)
    if done.applied_fields:
        messages.success(request, f"Applied to the record: {len(done.applied_fields)} changes.")
    else:
        messages.success(request, "Reviewed: the record already matched the answers.")
    return redirect("intake:patient_forms", patient_id=submission.patient_id)
