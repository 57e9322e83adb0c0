"""What the referral and authorization pages share: permissions, lookups, the acting user."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from medoffice.authorizations import queries
from medoffice.authorizations.models import PriorAuthorization, Referral
from medoffice.patients import queries as patients
from medoffice.scheduling import queries as scheduling

VIEW_REFERRAL = "authorizations.view_referral"
ADD_REFERRAL = "authorizations.add_referral"
CHANGE_REFERRAL = "authorizations.change_referral"
VIEW_AUTH = "authorizations.view_priorauthorization"
ADD_AUTH = "authorizations.add_priorauthorization"
CHANGE_AUTH = "authorizations.change_priorauthorization"


def actor(request: HttpRequest) -> Any:
    return request.user


def patient_or_404(patient_id: int) -> Any:
    found = patients.get_patient(patient_id)
    if found is None:
        raise Http404("No such patient.")
    return found


def referral_or_404(referral_id: int) -> Referral:
    found = queries.get_referral(referral_id)
    if found is None:
        raise Http404("No such referral.")
    return found


def authorization_or_404(authorization_id: int) -> PriorAuthorization:
    found = queries.get_authorization(authorization_id)
    if found is None:
        raise Http404("No such authorization.")
    return found


def appointment_or_404(raw: Any) -> Any:
    try:
        appointment_id = int(raw)
    except (TypeError, ValueError):
        raise Http404("No such appointment.") from None
    found = scheduling.get_appointment(appointment_id)
    if found is None:
        raise Http404("No such appointment.")
    return found


def first_error(exc: Any) -> str:
    """One line for a message toast from a ValidationError or a refusal."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and not hasattr(exc, "message_dict"):
        return message
    return " ".join(getattr(exc, "messages", [str(exc)]))
