"""Every write of the intake context: requests (kiosk and link), submissions, review and apply.

Tokens are random (``secrets``) and stored only as their SHA-256. A patient's own actions
(filling, signing, identifying with the birth date) are audited without an actor and with the
channel; staff actions name the staff member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction, AuditOutcome
from medoffice.audit.services import record
from medoffice.intake import choices as c
from medoffice.intake import queries
from medoffice.intake.errors import IntakeError, NothingDue, RequestClosed
from medoffice.intake.models import FormRequest, FormVersion, RequestedForm

KIOSK_HOURS = 2
LINK_DAYS = 7
MAX_BIRTH_DATE_TRIES = 5


def _staff(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _versions_for(codes: Sequence[str]) -> list[FormVersion]:
    found = {
        v.template.code: v
        for v in FormVersion.objects.filter(
            template__code__in=list(codes),
            template__is_active=True,
            status=c.VersionStatus.PUBLISHED,
        ).select_related("template")
    }
    return [found[code] for code in codes if code in found]


def _check_appointment(patient: Any, appointment_id: int) -> None:
    from medoffice.scheduling import queries as scheduling_queries

    appointment = scheduling_queries.get_appointment(appointment_id)
    if appointment is None or appointment.patient_id != patient.pk:
        raise IntakeError("That appointment is not this patient's.")


@transaction.atomic
def start_request(
    patient: Any,
    *,
    acting_user: Any,
    channel: str,
    codes: Iterable[str] | None = None,
    appointment_id: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[FormRequest, str]:
    """Ask the patient for forms (the forms due, unless ``codes`` names them); returns the
    request and its token, which is not stored and cannot be shown again."""
    now = now or timezone.now()
    if appointment_id is not None:
        _check_appointment(patient, appointment_id)
    due = {d.template_code: d.reason for d in queries.forms_due(patient.pk, on=now.date())}
    wanted = list(dict.fromkeys(codes)) if codes is not None else list(due)
    versions = _versions_for(wanted)
    if not versions:
        raise NothingDue("No forms are due for this patient; choose the forms to ask for.")
    token = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(hours=KIOSK_HOURS) if channel == c.Channel.KIOSK else None
    request = FormRequest.objects.create(
        patient=patient,
        appointment_id=appointment_id,
        channel=channel,
        token_hash=token_hash(token),
        expires_at=now + (lifetime or dt.timedelta(days=LINK_DAYS)),
        created_at=now,
        created_by=_staff(acting_user),
    )
    RequestedForm.objects.bulk_create(
        RequestedForm(
            request=request,
            version=v,
            position=i,
            reason=due.get(v.template.code, "asked by staff"),
        )
        for i, v in enumerate(versions, start=1)
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=request,
        patient_id=patient.pk,
        detail={"channel": channel, "forms": [v.template.code for v in versions]},
    )
    return request, token


def request_state(request: FormRequest, *, now: dt.datetime | None = None) -> str:
    """ "open", "completed", "revoked" or "expired"."""
    now = now or timezone.now()
    if request.completed_at is not None:
        return "completed"
    if request.revoked_at is not None:
        return "revoked"
    if request.expires_at <= now:
        return "expired"
    return "open"


def find_request(token: str) -> FormRequest | None:
    if not token or len(token) > 100:
        return None
    return FormRequest.objects.filter(token_hash=token_hash(token)).first()


def open_request(token: str, *, now: dt.datetime | None = None) -> FormRequest:
    """The request of a token, if it can still be filled; raises RequestClosed otherwise."""
    found = find_request(token)
    if found is None:
        raise RequestClosed("not valid")
    state = request_state(found, now=now)
    if state != "open":
        raise RequestClosed(state)
    return found


@transaction.atomic
def revoke_request(request: FormRequest, *, acting_user: Any) -> FormRequest:
    request = FormRequest.objects.select_for_update().get(pk=request.pk)
    if request.revoked_at is None and request.completed_at is None:
        request.revoked_at = timezone.now()
        request.revoked_by = _staff(acting_user)
        request.save(update_fields=["revoked_at", "revoked_by"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=request,
            patient_id=request.patient_id,
            fields=["revoked_at"],
        )
    return request


@transaction.atomic
def check_birth_date(request: FormRequest, birth_date: dt.date | None) -> bool:
    """The patient proves who they are before a link shows anything; after
    ``MAX_BIRTH_DATE_TRIES`` wrong dates the link is revoked."""
    request = FormRequest.objects.select_for_update().select_related("patient").get(pk=request.pk)
    if request_state(request) != "open":
        raise RequestClosed(request_state(request))
    ok = birth_date is not None and birth_date == request.patient.birth_date
    if ok:
        request.opened_at = request.opened_at or timezone.now()
        request.save(update_fields=["opened_at"])
    else:
        request.failed_checks += 1
        if request.failed_checks >= MAX_BIRTH_DATE_TRIES:
            request.revoked_at = timezone.now()
        request.save(update_fields=["failed_checks", "revoked_at"])
    record(
        AuditAction.READ if ok else AuditAction.SECURITY,
        target=request,
        patient_id=request.patient_id,
        outcome=AuditOutcome.SUCCESS if ok else AuditOutcome.DENIED,
        detail={"what": "form link identity check", "channel": request.channel},
    )
    return ok


def mark_opened(request: FormRequest) -> None:
    """The first time the forms show on a kiosk, the read is audited (a link's is audited at the
    birth date check)."""
    if request.opened_at is not None:
        return
    first = FormRequest.objects.filter(pk=request.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    if first:
        record(
            AuditAction.READ,
            target=request,
            patient_id=request.patient_id,
            detail={"what": "forms opened", "channel": request.channel},
        )
