"""``{% patient_banner patient %}``: who the patient is and what the desk must know, anywhere.

Self-contained and cheap: with a patient from ``queries.get_patient`` (active alerts prefetched)
it runs no query; with any other patient it runs one (the active alerts). Users who may change
patients get the "add alert" form and "resolve" buttons (HTMX, plain posts without JavaScript).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from medoffice.core.phones import display as phone_display
from medoffice.patients import choices as c
from medoffice.patients import queries
from medoffice.patients.forms import AlertForm
from medoffice.patients.models import Patient

register = template.Library()

CHANGE = "patients.change_patient"
SEVERITY_CLASS = {"critical": "alert-critical", "warning": "alert-warning", "info": "alert-info"}


def age_text(birth_date: dt.date, today: dt.date) -> str:
    """ "42 y", or months under two years ("14 mo"), or days under a month ("9 d")."""
    months = (today.year - birth_date.year) * 12 + today.month - birth_date.month
    if today.day < birth_date.day:
        months -= 1
    if months >= 24:
        return f"{months // 12} y"
    if months >= 1:
        return f"{months} mo"
    return f"{max((today - birth_date).days, 0)} d"


def banner_context(
    patient: Patient, user: Any, *, alert_form: AlertForm | None = None, next_url: str = ""
) -> dict[str, Any]:
    """What ``patients/_banner.html`` needs; the alert views render it with the same context."""
    alerts = [
        {"alert": alert, "css": SEVERITY_CLASS.get(alert.severity, "alert-info")}
        for alert in queries.banner_alerts(patient)
    ]
    can_change = bool(getattr(user, "is_authenticated", False) and user.has_perm(CHANGE))
    return {
        "patient": patient,
        "age": age_text(patient.birth_date, timezone.localdate()),
        "alerts": alerts,
        "can_change": can_change,
        "alert_form": (alert_form or _blank_alert_form(patient)) if can_change else None,
        "alert_form_open": alert_form is not None and bool(alert_form.errors),
        "next_url": next_url,
    }


def _blank_alert_form(patient: Patient) -> AlertForm:
    return AlertForm(auto_id=f"alert-{patient.pk}-%s")


@register.inclusion_tag("patients/_banner.html", takes_context=True)
def patient_banner(context: template.Context, patient: Patient) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return banner_context(patient, user, next_url=request.path if request is not None else "")


@register.filter
def race_labels(codes: list[str] | None) -> str:
    """["2106-3", "2028-9"] -> "White, Asian" (unknown codes shown as stored)."""
    labels = dict(c.Race.choices)
    return ", ".join(labels.get(code, code) for code in codes or [])


@register.filter
def phone(e164: str) -> str:
    """ "+15552017788" -> "(555) 201-7788"."""
    return phone_display(e164 or "")
