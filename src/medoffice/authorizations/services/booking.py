"""What happens after a booking: the visit is counted against the patient's referral (and uses
a unit of the approved authorization) when one applies. Never refuses the booking."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.authorizations.choices import AuthorizationStatus
from medoffice.authorizations.models import AuthorizationAppointment, Referral
from medoffice.authorizations.services import authorizations as auth_services
from medoffice.authorizations.services import referrals as referral_services
from medoffice.authorizations.services.common import AuditAction, audit, user_or_none

logger = logging.getLogger("medoffice.authorizations")


def _link_authorization(appointment: Any, acting_user: Any) -> None:
    from medoffice.authorizations import usage

    kind = appointment.appointment_type
    rows = usage.authorizations().filter(
        patient_id=appointment.patient_id, status=AuthorizationStatus.APPROVED
    )
    for authorization in rows.order_by("effective_to", "pk"):
        if authorization.appointment_type_id not in (None, kind.pk):
            continue
        if auth_services.why_not(authorization, appointment) is None:
            link = AuthorizationAppointment.objects.create(
                authorization=authorization, appointment=appointment, units=1,
                linked_at=timezone.now(), linked_by=user_or_none(acting_user),
            )  # fmt: skip
            audit(
                AuditAction.CREATE, link, acting_user=acting_user,
                patient_id=appointment.patient_id, fields=["authorization", "appointment"],
                detail={"authorization_id": authorization.pk, "appointment_id": appointment.pk,
                        "source": "booking"},
            )  # fmt: skip
            return


def count_booked_visit(appointment: Any, *, acting_user: Any) -> Referral | None:
    """Called right after a booking: link the appointment to the patient's matching active
    referral (the visit is counted against it) and return that referral, else None. When the
    type needs prior authorization, the approved authorization that covers the day is linked
    too. A race lost to another desk, or nothing that applies, is not an error."""
    kind = appointment.appointment_type
    if not (kind.needs_referral or kind.needs_prior_authorization):
        return None
    found: Referral | None = None
    try:
        with transaction.atomic():
            if kind.needs_referral:
                found = referral_services.matching_referral(
                    appointment, referral_services.candidates_for(appointment.patient_id)
                )
                if found is not None:
                    referral_services.link_visit(found, appointment, acting_user=acting_user)
            if kind.needs_prior_authorization:
                _link_authorization(appointment, acting_user)
    except (IntegrityError, referral_services.VisitNotCounted):
        logger.info("Booked visit not counted appointment=%s", appointment.pk)
        return None
    return found
