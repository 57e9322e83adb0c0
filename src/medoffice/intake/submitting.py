"""A patient completes and signs one form: answers checked, signature kept, PDF rendered."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core.pdf import render_pdf
from medoffice.intake import choices as c
from medoffice.intake.answers import MultiData, display, parse_answers
from medoffice.intake.errors import AnswersInvalid, RequestClosed
from medoffice.intake.models import FormRequest, RequestedForm, Submission
from medoffice.intake.services import request_state

PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SIGNATURE_MAX_BYTES = 200_000
NAME_MAX = 200


def next_form(request: FormRequest) -> RequestedForm | None:
    """The first form of the request not signed yet."""
    return (
        RequestedForm.objects.filter(request=request, submission__isnull=True)
        .select_related("version__template")
        .order_by("position", "pk")
        .first()
    )


def _signature(kind: str, drawn: str, typed: str, errors: dict[str, str]) -> str:
    if kind == c.SignatureKind.TYPED:
        if not typed.strip():
            errors["signature"] = "Type your full name to sign."
        return typed.strip()[:NAME_MAX]
    if kind != c.SignatureKind.DRAWN:
        errors["signature"] = "Sign by drawing or by typing your name."
        return ""
    if not drawn.startswith(PNG_PREFIX):
        errors["signature"] = "Draw your signature in the box, or type your name instead."
        return ""
    try:
        data = base64.b64decode(drawn[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data.startswith(PNG_MAGIC) or len(data) > SIGNATURE_MAX_BYTES:
        errors["signature"] = "That signature could not be read; please sign again."
        return ""
    return base64.b64encode(data).decode("ascii")


def pdf_rows(submission: Submission) -> list[dict[str, str]]:
    answers = submission.answers
    return [
        {"label": q.label, "answer": display(answers.get(q.key))}
        for q in submission.version.questions.all()
        if q.kind != "signature" and q.key in answers
    ]


def render_submission_pdf(submission: Submission) -> bytes:
    context: dict[str, Any] = {
        "submission": submission,
        "template": submission.version.template,
        "version": submission.version,
        "patient": submission.patient,
        "rows": pdf_rows(submission),
        "signed_local": timezone.localtime(submission.signed_at),
    }
    return render_pdf("intake/pdf/submission.html", context, title=f"Form {submission.pk}")


@transaction.atomic
def submit_form(
    requested: RequestedForm,
    data: MultiData,
    *,
    now: dt.datetime | None = None,
) -> Submission:
    """Accept the patient's answers and signature for one form of an open request.

    ``data`` holds ``q-<key>`` answers, ``signature_kind`` (drawn/typed), ``signature_drawn``
    (a PNG data URL) or ``signature_typed``, and ``signer_name``. Raises AnswersInvalid with
    messages by question key, or RequestClosed.
    """
    now = now or timezone.now()
    request = FormRequest.objects.select_for_update().get(pk=requested.request_id)
    state = request_state(request, now=now)
    if state != "open":
        raise RequestClosed(state)
    requested = RequestedForm.objects.select_related("version__template").get(pk=requested.pk)
    if Submission.objects.filter(requested_form=requested).exists():
        raise RequestClosed("already signed")
    questions = list(requested.version.questions.all())
    answers, errors = parse_answers(questions, data)
    kind = str(data.get("signature_kind", "") or "")
    signature = _signature(
        kind,
        str(data.get("signature_drawn", "") or ""),
        str(data.get("signature_typed", "") or ""),
        errors,
    )
    signer = str(data.get("signer_name", "") or "").strip()[:NAME_MAX]
    if not signer:
        signer = signature if kind == c.SignatureKind.TYPED else ""
    if not signer:
        errors["signer_name"] = "Enter the name of the person signing."
    if errors:
        raise AnswersInvalid(errors)
    submission = Submission(
        requested_form=requested,
        patient_id=request.patient_id,
        version=requested.version,
        signature_kind=kind,
        signature_data=signature,
        signer_name=signer,
        signer_relationship=str(answers.get("signer_is") or "The patient"),
        signed_at=now,
    )
    submission.answers = answers
    submission.save()
    submission.pdf = render_submission_pdf(submission)
    submission.save(update_fields=["pdf_data"])
    if next_form(request) is None:
        request.completed_at = now
        request.save(update_fields=["completed_at"])
    record(
        AuditAction.CREATE,
        target=submission,
        patient_id=request.patient_id,
        fields=sorted(answers),
        detail={"channel": request.channel, "form": requested.version.template.code},
    )
    return submission
