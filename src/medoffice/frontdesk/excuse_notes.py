"""Work and school excuse notes: rendered from a template on the letterhead, signed
electronically by the provider named on it, kept (PDF encrypted at rest) on the patient's
record and in the audit trail.

The note says only that the patient was seen and for which days they are excused; never why
(a diagnosis on a note to an employer or school would disclose PHI nobody asked for). The PDF's
title is neutral ("Excuse note"): viewers show it in their window bar.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core.pdf import render_pdf
from medoffice.frontdesk.choices import ExcuseKind
from medoffice.frontdesk.models import ExcuseNote

MAX_DAYS = 90
TEMPLATES = {
    ExcuseKind.WORK: "frontdesk/pdf/excuse_work.html",
    ExcuseKind.SCHOOL: "frontdesk/pdf/excuse_school.html",
}
PDF_TITLE = "Excuse note"


def _check(
    kind: str, visit_date: dt.date, excused_from: dt.date, through: dt.date, return_on: dt.date
) -> None:
    errors: dict[str, str] = {}
    if kind not in ExcuseKind.values:
        errors["kind"] = "Choose work or school."
    if through < excused_from:
        errors["excused_through"] = "The last excused day is before the first."
    elif (through - excused_from).days >= MAX_DAYS:
        errors["excused_through"] = f"A note excuses at most {MAX_DAYS} days."
    if excused_from < visit_date - dt.timedelta(days=14):
        errors["excused_from"] = "The excused days start at most two weeks before the visit."
    if return_on <= through:
        errors["return_on"] = "The patient returns after the last excused day."
    if errors:
        raise ValidationError(errors)


def signature_line(provider: Any, at: dt.datetime) -> str:
    return f"Electronically signed by {provider.display_name} on {at:%m/%d/%Y}"


def issue_excuse_note(
    *,
    acting_user: Any,
    patient: Any,
    provider: Any,
    kind: str,
    visit_date: dt.date,
    excused_from: dt.date,
    excused_through: dt.date,
    return_on: dt.date | None = None,
    restrictions: str = "",
    appointment: Any = None,
) -> ExcuseNote:
    return_on = return_on or excused_through + dt.timedelta(days=1)
    _check(kind, visit_date, excused_from, excused_through, return_on)
    now = timezone.now()
    note = ExcuseNote(
        patient=patient,
        appointment=appointment,
        provider=provider,
        kind=kind,
        visit_date=visit_date,
        excused_from=excused_from,
        excused_through=excused_through,
        return_on=return_on,
        restrictions=restrictions.strip()[:300],
        signature=signature_line(provider, now),
        issued_at=now,
        issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    data = render_pdf(
        TEMPLATES[ExcuseKind(kind)], {"note": note, "patient": patient}, title=PDF_TITLE
    )
    note.pdf = base64.b64encode(data).decode()
    note.pdf_sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        note.save()
        record(
            AuditAction.CREATE,
            actor=acting_user,
            target=note,
            patient_id=patient.pk,
            fields=["kind", "excused_from", "excused_through", "provider"],
        )
    return note


def note_pdf(note: ExcuseNote, *, acting_user: Any) -> bytes:
    """The PDF as issued (checked against its digest), audited as a read."""
    data = base64.b64decode(note.pdf)
    if hashlib.sha256(data).hexdigest() != note.pdf_sha256:
        raise ValidationError("The stored note does not match its digest.")
    record(
        AuditAction.READ,
        actor=acting_user,
        target=note,
        patient_id=note.patient_id,
        detail={"what": "excuse note PDF"},
    )
    return data
