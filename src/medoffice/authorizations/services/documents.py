"""Printed documents: the outgoing referral letter, the fax/print packet to the specialist, and
the prior-authorization request form for payers without 278. Each is rendered on the practice
letterhead by ``core.pdf`` and audited as an export (who printed what, for which patient).

Sending the fax itself comes with the later documents/fax work: these are printed, or sent from
the office fax machine, for now.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.authorizations.choices import Direction
from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.authorizations.matching import specialty_label
from medoffice.authorizations.models import PriorAuthorization, Referral
from medoffice.authorizations.services.common import AuditAction, audit
from medoffice.core.pdf import render_pdf
from medoffice.insurance import queries as insurance
from medoffice.patients import queries as patients

LETTER = "authorizations/pdf/referral_letter.html"
PACKET = "authorizations/pdf/referral_packet.html"
REQUEST_FORM = "authorizations/pdf/request_form.html"


def _coverages(patient_id: int) -> list[dict[str, Any]]:
    return [
        {"coverage": c, "label": insurance.describe(c)} for c in insurance.coverages_of(patient_id)
    ]


def _outgoing(referral: Referral) -> Referral:
    found = (
        Referral.objects.select_related("to_specialist", "from_provider", "coverage__plan__payer")
        .filter(pk=referral.pk)
        .first()
    )
    if found is None or found.direction != Direction.OUTGOING:
        raise AuthorizationRefused("Letters and packets are for outgoing referrals.")
    return found


def _letter_context(referral: Referral) -> dict[str, Any]:
    patient = patients.get_patient(referral.patient_id)
    return {
        "referral": referral,
        "patient": patient,
        "specialty": specialty_label(referral.specialty),
        "coverage_label": insurance.describe(referral.coverage) if referral.coverage else "",
        "today": timezone.localdate(),
    }


def _exported(target: Any, patient_id: int, acting_user: Any, what: str) -> None:
    audit(
        AuditAction.EXPORT, target, acting_user=acting_user, patient_id=patient_id,
        detail={"what": what},
    )  # fmt: skip


def make_referral_letter(referral: Referral, *, acting_user: Any) -> bytes:
    """The referral letter to the specialist, signed by our referring provider."""
    current = _outgoing(referral)
    data = render_pdf(LETTER, _letter_context(current), title="Referral letter")
    with transaction.atomic():
        Referral.objects.filter(pk=current.pk).update(letter_made_at=timezone.now())
        _exported(current, current.patient_id, acting_user, "referral letter")
    return data


def make_referral_packet(referral: Referral, *, acting_user: Any) -> bytes:
    """Fax cover sheet, the letter, the patient's demographics and insurance summary."""
    current = _outgoing(referral)
    context = {**_letter_context(current), "coverages": _coverages(current.patient_id)}
    data = render_pdf(PACKET, context, title="Referral packet")
    with transaction.atomic():
        Referral.objects.filter(pk=current.pk).update(letter_made_at=timezone.now())
        _exported(current, current.patient_id, acting_user, "referral packet")
    return data


def make_request_form(authorization: PriorAuthorization, *, acting_user: Any) -> bytes:
    """The prior-authorization request, to fax to the payer or copy into its portal."""
    current = (
        PriorAuthorization.objects.select_related(
            "payer", "coverage__plan__payer", "requesting_provider", "servicing_provider",
            "appointment_type",
        )
        .prefetch_related("services", "diagnoses")
        .get(pk=authorization.pk)
    )  # fmt: skip
    context = {
        "authorization": current,
        "patient": patients.get_patient(current.patient_id),
        "coverage_label": insurance.describe(current.coverage) if current.coverage else "",
        "today": timezone.localdate(),
    }
    data = render_pdf(REQUEST_FORM, context, title="Prior authorization request")
    _exported(current, current.patient_id, acting_user, "prior authorization request form")
    return data


def audit_read(patient_id: int, *, acting_user: Any, what: str, target: Any = None) -> None:
    """A page or answer showing one patient's referrals or authorizations is a PHI read."""
    from medoffice.audit.services import record

    record(
        AuditAction.READ,
        actor=acting_user,
        target=target,
        target_type="" if target is not None else "patients.patient",
        target_id=None if target is not None else patient_id,
        patient_id=patient_id,
        detail={"what": what},
    )


def audit_shown(patient_ids: Iterable[int], *, acting_user: Any, what: str) -> None:
    """A list naming several patients (the worklist, API lists): ids only, never names."""
    from medoffice.audit.services import record

    shown = sorted(set(patient_ids))
    if not shown:
        return
    record(
        AuditAction.READ,
        actor=acting_user,
        target_type="patients.patient",
        detail={"what": what, "shown": shown, "count": len(shown)},
    )
