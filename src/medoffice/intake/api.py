"""JSON API of intake, mounted at /api/intake/: templates, forms due, links, signed forms, apply.

Handlers parse, authorize (``require``), call ``intake.services`` / ``intake.applying`` and
render. Reads of signed forms are audited with the patient id.

No ``from __future__ import annotations`` here: ninja reads the handlers' annotations.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status

from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.intake import api_schemas as s
from medoffice.intake import applying, queries, services
from medoffice.intake.errors import IntakeError
from medoffice.intake.models import FormTemplate, Submission
from medoffice.patients import queries as patient_queries

router = Router(tags=["intake"])

VIEW = "intake.view_submission"
ASK = "intake.add_formrequest"
APPLY = "intake.change_submission"
NOT_FOUND: dict[int, Any] = {404: s.IntakeProblem}


def _patient(patient_id: int) -> Any:
    patient = patient_queries.get_patient(patient_id)
    if patient is None:
        raise ProblemError(404, "Not found", "No such patient.")
    return patient


def _submission_out(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "template_code": submission.version.template.code,
        "name": submission.version.template.name,
        "version": submission.version.number,
        "signed_at": submission.signed_at,
        "signer_name": submission.signer_name,
        "signature_kind": submission.signature_kind,
        "review_status": submission.review_status,
        "reviewed_at": submission.reviewed_at,
        "applied_fields": submission.applied_fields,
        "answers": submission.answers,
        "pdf_url": reverse("intake:submission_pdf", args=[submission.pk]),
    }


@router.get("/templates", response=list[s.TemplateOut], url_name="intake_templates")
def list_templates(request: HttpRequest) -> Any:
    """Active form templates with their published version."""
    require(request, VIEW)
    templates = FormTemplate.objects.filter(is_active=True).prefetch_related("versions__questions")
    found = []
    for template in templates:
        published = next((v for v in template.versions.all() if v.status == "published"), None)
        found.append(
            {
                "code": template.code,
                "name": template.name,
                "description": template.description,
                "for_new_patients": template.for_new_patients,
                "renewal": template.renewal,
                "renew_after_months": template.renew_after_months,
                "version": published.number if published else None,
                "questions": len(published.questions.all()) if published else 0,
            }
        )
    return found


@router.get(
    "/patients/{patient_id}/due",
    response={200: list[s.DueFormOut], **NOT_FOUND},
    url_name="intake_forms_due",
)
def forms_due(request: HttpRequest, patient_id: int, on: dt.date | None = None) -> Any:
    """Forms the patient owes on a day (today by default), with the reason in plain words."""
    require(request, VIEW)
    patient = _patient(patient_id)
    return queries.forms_due(patient.pk, on=on or timezone.localdate())


@router.post(
    "/patients/{patient_id}/links",
    response={201: s.LinkOut, 422: s.IntakeProblem, **NOT_FOUND},
    url_name="intake_link_create",
)
def create_link(request: HttpRequest, patient_id: int, payload: s.LinkIn) -> Any:
    """A secure, expiring link to fill the forms; the URL is in this answer only."""
    require(request, ASK)
    patient = _patient(patient_id)
    try:
        found, token = services.start_request(
            patient,
            acting_user=request.user,
            channel="link",
            codes=payload.forms,
            appointment_id=payload.appointment,
        )
    except IntakeError as exc:
        raise ProblemError(422, "Invalid input", str(exc)) from exc
    return Status(
        201,
        {
            "id": found.pk,
            "url": request.build_absolute_uri(reverse("intake:link", args=[token])),
            "expires_at": found.expires_at,
            "forms": [
                f.version.template.code for f in found.forms.select_related("version__template")
            ],
        },
    )


@router.get(
    "/patients/{patient_id}/submissions",
    response={200: list[s.SubmissionOut], **NOT_FOUND},
    url_name="intake_submissions",
)
def list_submissions(request: HttpRequest, patient_id: int) -> Any:
    """The patient's signed forms with their answers, newest first (audited)."""
    require(request, VIEW)
    patient = _patient(patient_id)
    submissions = list(queries.submissions_of(patient.pk))
    record(
        AuditAction.READ,
        actor=request.user,
        target=patient,
        patient_id=patient.pk,
        detail={"what": "intake forms (API)", "shown": [x.pk for x in submissions]},
    )
    return [_submission_out(x) for x in submissions]


@router.post(
    "/submissions/{submission_id}/apply",
    response={200: s.SubmissionOut, 422: s.IntakeProblem, **NOT_FOUND},
    url_name="intake_submission_apply",
)
def apply_submission(request: HttpRequest, submission_id: int) -> Any:
    """Apply the mapped answers to the record (a second call changes nothing)."""
    require(request, APPLY)
    submission = (
        Submission.objects.select_related("version__template").filter(pk=submission_id).first()
    )
    if submission is None:
        raise ProblemError(404, "Not found", "No such signed form.")
    try:
        done = applying.apply_submission(submission, acting_user=request.user)
    except ValidationError as exc:
        raise ProblemError(422, "Invalid input", "; ".join(exc.messages)) from exc
    done = Submission.objects.select_related("version__template").get(pk=done.pk)
    return _submission_out(done)
