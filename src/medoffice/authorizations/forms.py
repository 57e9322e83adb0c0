"""Forms of the referral and authorization pages. They parse; the services decide.

Service lines and diagnoses are repeatable rows named ``service-<n>-code`` ... and
``diagnosis-<n>``; "Add a line" re-renders the form with one more row (no script needed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from medoffice.authorizations.choices import Decision, Direction, SubmittedVia
from medoffice.authorizations.rules import codes
from medoffice.authorizations.services import ServiceInput
from medoffice.insurance import queries as insurance
from medoffice.practice import queries as practice
from medoffice.practice.choices import Specialty
from medoffice.scheduling import queries as scheduling

DATE = forms.DateInput(attrs={"type": "date"})
MIN_SERVICE_ROWS = 3
MIN_DIAGNOSIS_ROWS = 4
MAX_ROWS = 30


def coverage_choices(patient_id: int) -> list[tuple[str, str]]:
    return [("", "No coverage (self-pay)")] + [
        (str(c.pk), insurance.describe(c)) for c in insurance.coverages_of(patient_id)
    ]


class _CoverageMixin:
    def set_coverages(self, patient_id: int) -> None:
        self.fields["coverage"].choices = coverage_choices(patient_id)  # type: ignore[attr-defined]

    def clean_coverage(self) -> Any:
        raw = self.cleaned_data.get("coverage")  # type: ignore[attr-defined]
        return insurance.get_coverage(int(raw)) if raw else None


class ReferralForm(_CoverageMixin, forms.Form):
    direction = forms.ChoiceField(choices=Direction.choices, widget=forms.HiddenInput)
    coverage = forms.ChoiceField(required=False, label="Coverage")
    number = forms.CharField(label="Referral number", max_length=40, required=False)
    referring_provider = forms.ModelChoiceField(
        queryset=practice.list_referring_providers(), required=False,
        label="Referring provider (address book)",
    )  # fmt: skip
    referring_name = forms.CharField(
        label="Referring provider's name", max_length=200, required=False,
        help_text="As on the referral, when not in the address book.",
    )  # fmt: skip
    referring_npi = forms.CharField(label="Referring provider's NPI", max_length=10, required=False)
    to_provider = forms.ModelChoiceField(
        queryset=practice.list_providers(), required=False, label="Referred to (our provider)"
    )
    to_specialist = forms.ModelChoiceField(
        queryset=practice.list_referring_providers(), required=False,
        label="Referred to (outside specialist)",
    )  # fmt: skip
    from_provider = forms.ModelChoiceField(
        queryset=practice.list_providers(), required=False, label="Referring provider (ours)"
    )
    specialty = forms.CharField(max_length=100, required=False)
    reason = forms.CharField(label="Reason for referral", max_length=300, required=False)
    diagnosis_codes = forms.CharField(
        label="Diagnoses (ICD-10-CM)", max_length=200, required=False,
        help_text="Codes separated by commas, e.g. R07.9, I20.9",
    )  # fmt: skip
    visits_authorized = forms.IntegerField(min_value=1, max_value=999, initial=1)
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(widget=DATE, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_diagnosis_codes(self) -> list[str]:
        return codes.split_codes(self.cleaned_data.get("diagnosis_codes") or "")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("direction", None)
        return data


SPECIALTIES = [label for _, label in Specialty.choices]


def referral_initial(referral: Any) -> dict[str, Any]:
    return {
        "direction": referral.direction,
        "coverage": referral.coverage_id or "",
        "number": referral.number,
        "referring_provider": referral.referring_provider_id,
        "referring_name": referral.referring_name,
        "referring_npi": referral.referring_npi,
        "to_provider": referral.to_provider_id,
        "to_specialist": referral.to_specialist_id,
        "from_provider": referral.from_provider_id,
        "specialty": referral.specialty,
        "reason": referral.reason,
        "diagnosis_codes": ", ".join(referral.diagnosis_codes or []),
        "visits_authorized": referral.visits_authorized,
        "start_date": referral.start_date,
        "end_date": referral.end_date,
        "notes": referral.notes,
    }


class AuthorizationForm(_CoverageMixin, forms.Form):
    coverage = forms.ChoiceField(required=False, label="Coverage")
    appointment_type = forms.ModelChoiceField(
        queryset=scheduling.list_appointment_types(), required=False, label="For visits of type",
    )  # fmt: skip
    requesting_provider = forms.ModelChoiceField(queryset=practice.list_providers())
    servicing_provider = forms.ModelChoiceField(
        queryset=practice.list_providers(), required=False, label="Servicing provider",
        help_text="Blank: the requesting provider.",
    )  # fmt: skip
    effective_from = forms.DateField(widget=DATE, required=False, label="Dates of service from")
    effective_to = forms.DateField(widget=DATE, required=False, label="through")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Clinical notes"
    )


@dataclass
class ServiceRow:
    n: int
    code: str = ""
    units: str = "1"
    from_date: str = ""
    to_date: str = ""
    description: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Rows:
    """The repeatable rows as entered (kept on a refusal) and as the service wants them."""

    services: list[ServiceRow]
    diagnoses: list[str]
    problems: list[str] = field(default_factory=list)

    def inputs(self) -> list[ServiceInput]:
        found = []
        for row in self.services:
            if not row.code.strip():
                continue
            found.append(
                ServiceInput(
                    code=row.code, units=_int(row.units), from_date=_date(row.from_date),
                    to_date=_date(row.to_date), description=row.description,
                )
            )  # fmt: skip
        return found


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 0


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def rows_from(
    data: QueryDict, *, extra_service: bool = False, extra_diagnosis: bool = False
) -> Rows:
    services = []
    for n in range(1, MAX_ROWS + 1):
        key = f"service-{n}-"
        if key + "code" not in data:
            break
        services.append(
            ServiceRow(
                n, data.get(key + "code", "").strip(), data.get(key + "units", "1").strip(),
                data.get(key + "from", ""), data.get(key + "to", ""),
                data.get(key + "description", "").strip(),
            )
        )  # fmt: skip
    diagnoses = [data.get(f"diagnosis-{n}", "").strip() for n in range(1, MAX_ROWS + 1)
                 if f"diagnosis-{n}" in data]  # fmt: skip
    return pad(
        Rows(services, diagnoses), extra_service=extra_service, extra_diagnosis=extra_diagnosis
    )


def rows_of(authorization: Any) -> Rows:
    services = [
        ServiceRow(s.position, s.code, str(s.units_requested),
                   s.from_date.isoformat() if s.from_date else "",
                   s.to_date.isoformat() if s.to_date else "", s.description)
        for s in authorization.services.all()
    ]  # fmt: skip
    return pad(Rows(services, [d.code for d in authorization.diagnoses.all()]))


def pad(rows: Rows, *, extra_service: bool = False, extra_diagnosis: bool = False) -> Rows:
    wanted = max(MIN_SERVICE_ROWS, len(rows.services) + int(extra_service))
    while len(rows.services) < min(wanted, MAX_ROWS):
        rows.services.append(ServiceRow(len(rows.services) + 1))
    for index, row in enumerate(rows.services, start=1):
        row.n = index
    wanted = max(MIN_DIAGNOSIS_ROWS, len(rows.diagnoses) + int(extra_diagnosis))
    while len(rows.diagnoses) < min(wanted, MAX_ROWS):
        rows.diagnoses.append("")
    return rows


def attach_errors(form: forms.Form, rows: Rows, exc: ValidationError) -> None:
    """Put the service's field errors on the form, or on the rows they name."""
    for name, messages in exc.message_dict.items():
        if name.startswith("services") or name == "diagnoses":
            rows.problems.extend(messages)
        elif name in form.fields:
            for message in messages:
                form.add_error(name, message)
        else:
            for message in messages:
                form.add_error(None, message)


class SubmitForm(forms.Form):
    via = forms.ChoiceField(choices=SubmittedVia.choices)
    reference = forms.CharField(max_length=50, required=False, label="Portal or call reference")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    certification_number = forms.CharField(
        max_length=50, required=False, label="Authorization number"
    )
    effective_from = forms.DateField(widget=DATE, required=False, label="Approved from")
    effective_to = forms.DateField(widget=DATE, required=False, label="Approved through")
    denial_reason = forms.CharField(max_length=300, required=False, label="Denial reason")
    payer_reference = forms.CharField(max_length=50, required=False, label="Call or case reference")


class LinkForm(forms.Form):
    appointment = forms.IntegerField(min_value=1)
    units = forms.IntegerField(min_value=1, max_value=9999, initial=1, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Why is it cancelled?")
