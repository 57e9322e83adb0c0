"""What the desk's money pages share: permissions, lookups that answer 404, the visits a charge
or payment can name."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.http import Http404
from django.utils import timezone

from medoffice.billing import queries
from medoffice.billing.models import Payment

VIEW_LEDGER = "billing.view_ledgerentry"
VIEW_PAYMENT = "billing.view_payment"
ADD_PAYMENT = "billing.add_payment"
ADJUST = "billing.adjust_account"
VISITS_SHOWN_DAYS = 180


def patient_or_404(patient_id: int) -> Any:
    from medoffice.patients import queries as patients

    found = patients.get_patient(patient_id)
    if found is None:
        raise Http404("No such patient.")
    return found


def payment_or_404(payment_id: int) -> Payment:
    found = queries.get_payment(payment_id)
    if found is None:
        raise Http404("No such payment.")
    return found


def appointment_of(patient: Any, raw: Any) -> Any:
    """The patient's own appointment named by ``raw`` (an id), else None."""
    from medoffice.scheduling import queries as scheduling

    try:
        appointment_id = int(raw)
    except (TypeError, ValueError):
        return None
    found = scheduling.get_appointment(appointment_id)
    return found if found is not None and found.patient_id == patient.pk else None


def visit_label(appointment: Any) -> str:
    local = appointment.starts_at.astimezone(zoneinfo.ZoneInfo(appointment.location.time_zone))
    return f"{local:%m/%d/%Y} {appointment.provider.display_name}"


def recent_visits(patient_id: int) -> list[Any]:
    """The patient's visits of the last months and today (newest first), for choosing one."""
    from medoffice.scheduling import queries as scheduling

    now = timezone.now()
    start = now - dt.timedelta(days=VISITS_SHOWN_DAYS)
    rows = scheduling.appointments_between(start, now + dt.timedelta(days=1))
    return list(rows.filter(patient_id=patient_id).order_by("-starts_at")[:40])
