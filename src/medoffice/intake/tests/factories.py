"""Synthetic intake data for tests: requests and signed forms made through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from medoffice.intake import services
from medoffice.intake.models import FormRequest, RequestedForm, Submission
from medoffice.intake.submitting import submit_form

# A 1x1 PNG: what the canvas script sends, in miniature.
TINY_PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

ANSWERS: dict[str, dict[str, Any]] = {
    "registration": {
        "q-first_name": "Robin",
        "q-last_name": "Sample",
        "q-birth_date": "1980-01-01",
        "q-mobile_phone": "(555) 201-7788",
        "q-email": "robin.sample@example.com",
        "q-address_line1": "12 Elm Street",
        "q-city": "Springfield",
        "q-state": "IL",
        "q-zip_code": "62701",
        "q-emergency_name": "Jordan Sample",
        "q-emergency_phone": "555 201 3344",
        "q-emergency_relationship": "Spouse",
    },
    "npp-acknowledgment": {"q-acknowledged": "on"},
    "consent-to-treat": {"q-consent": "on", "q-signer_is": "The patient"},
    "financial-policy": {"q-agree": "on"},
    "medical-history": {
        "q-conditions": ["Asthma", "Diabetes"],
        "q-takes_medications": "yes",
        "q-medications": "Metformin 500 mg twice a day",
        "q-has_allergies": "yes",
        "q-allergies": "Penicillin: hives",
        "q-had_surgery": "no",
        "q-tobacco": "Never",
        "q-alcohol": "Occasionally",
    },
}


def form_data(values: dict[str, Any], *, typed: str = "", drawn: str = TINY_PNG) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    data["signer_name"] = "Robin Sample"
    if typed:
        data.update({"signature_kind": "typed", "signature_typed": typed})
    else:
        data.update({"signature_kind": "drawn", "signature_drawn": drawn})
    return data


def make_request(
    patient: Any,
    *,
    codes: Iterable[str] | None = None,
    channel: str = "link",
    acting_user: Any = None,
    now: dt.datetime | None = None,
) -> tuple[FormRequest, str]:
    return services.start_request(
        patient, acting_user=acting_user, channel=channel, codes=codes, now=now
    )


def sign(
    requested: RequestedForm,
    overrides: dict[str, Any] | None = None,
    *,
    now: dt.datetime | None = None,
    typed: str = "",
) -> Submission:
    code = requested.version.template.code
    values = {**ANSWERS.get(code, {}), **(overrides or {})}
    return submit_form(requested, form_data(values, typed=typed), now=now)


def signed_forms(
    patient: Any, codes: Iterable[str], *, at: dt.datetime | None = None
) -> list[Submission]:
    """Ask for ``codes`` and sign every one of them (signed at ``at``, default now)."""
    at = at or timezone.now()
    request, _ = make_request(patient, codes=list(codes), now=at)
    return [sign(f, now=at) for f in request.forms.select_related("version__template")]
