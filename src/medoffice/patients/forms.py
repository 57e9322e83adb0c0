"""Forms of the patient pages. They only parse; ``patients.services`` validates and writes.

The registration / edit page posts ``PatientForm`` (the record's own fields), a responsible-party
sub-form and four formsets (``forms_children``), bound together by ``forms_page.PatientForms``.
The alert, photo and live duplicate-check forms are here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q

from medoffice.core import phones
from medoffice.patients import choices as c
from medoffice.patients.forms_children import (
    DATE_INPUT_FORMATS,
    DateInput,
)
from medoffice.patients.models import Patient
from medoffice.patients.rules.duplicates import Person
from medoffice.practice import queries as practice_queries

GUARANTOR_PATIENT, GUARANTOR_PARTY = "patient", "party"
GUARANTOR_KINDS = [
    (GUARANTOR_PATIENT, "A patient of this practice"),
    (GUARANTOR_PARTY, "Someone who is not a patient here"),
]
SERVICE_FIELDS = (
    "last_name", "first_name", "middle_name", "suffix", "preferred_name", "birth_date", "sex",
    "gender_identity", "pronouns", "email", "preferred_language", "interpreter_needed", "race",
    "ethnicity", "primary_care_provider", "referring_provider", "guarantor_relationship",
    "preferred_contact_method", "appointment_reminders", "email_consent", "mail_consent",
)  # fmt: skip
EDIT_ONLY_FIELDS = ("status", "deceased_date")
GUARANTOR_QUERY_ID = "guarantor-query"  # the look-up box in _guarantor_section.html
DUP_CHECK: dict[str, Any] = {"data-dup-check": ""}


def _blank(choices: Iterable[tuple[str, str]], label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


def _text(
    label: str, max_length: int = 100, required: bool = False, help_text: str = "", **attrs: Any
) -> forms.CharField:
    widget = forms.TextInput(attrs={"autocomplete": "off", **attrs})
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={"required": f"Enter the {label.lower()}."},
    )


def _flag(label: str, initial: bool = False) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, initial=initial)


class PatientForm(forms.Form):
    """The record's own fields, in the order the desk asks for them."""

    last_name = _text("Last name", required=True, autofocus=True, **DUP_CHECK)
    first_name = _text("First name", required=True, **DUP_CHECK)
    middle_name = _text("Middle name")
    suffix = _text("Suffix", max_length=10, placeholder="Jr, Sr, III")
    preferred_name = _text("Preferred name", help_text="What the patient likes to be called.")
    birth_date = forms.DateField(
        label="Date of birth",
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(attrs=DUP_CHECK),
        error_messages={"required": "Enter the date of birth.", "invalid": "Enter a real date."},
    )
    sex = forms.ChoiceField(
        label="Legal sex",
        choices=_blank(c.Sex.choices, "Choose…"),
        help_text="As on ID and insurance card.",
        error_messages={"required": "Choose the legal sex."},
    )
    ssn = _text("SSN", max_length=11, inputmode="numeric", placeholder="###-##-####")
    email = forms.CharField(
        label="Email",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    preferred_contact_method = forms.ChoiceField(
        label="Preferred contact", choices=c.ContactMethod.choices, initial=c.ContactMethod.PHONE
    )
    appointment_reminders = _flag("Send appointment reminders", initial=True)
    email_consent = _flag("May email")
    mail_consent = _flag("May send letters", initial=True)
    preferred_language = forms.ChoiceField(
        label="Preferred language", choices=c.Language.choices, initial=c.Language.ENGLISH
    )
    interpreter_needed = _flag("Needs an interpreter")
    gender_identity = forms.ChoiceField(
        label="Gender identity", choices=_blank(c.GenderIdentity.choices), required=False
    )
    pronouns = forms.ChoiceField(
        label="Pronouns", choices=_blank(c.Pronouns.choices), required=False
    )
    race = forms.MultipleChoiceField(
        label="Race (any that apply)",
        choices=c.Race.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=_blank(c.Ethnicity.choices), required=False
    )
    primary_care_provider: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Primary care provider", queryset=None, required=False, empty_label="None"
    )
    referring_provider: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Referring provider", queryset=None, required=False, empty_label="None"
    )
    guarantor_relationship = forms.ChoiceField(
        label="Guarantor is the patient's",
        choices=c.Relationship.choices,
        initial=c.Relationship.SELF,
        help_text="Who pays the bills. Self when the patient is responsible.",
    )
    guarantor_kind = forms.ChoiceField(
        label="The guarantor is",
        choices=GUARANTOR_KINDS,
        initial=GUARANTOR_PATIENT,
        widget=forms.RadioSelect,
        required=False,
    )
    guarantor = forms.ModelChoiceField(
        queryset=Patient.objects.exclude(status=c.PatientStatus.MERGED),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That guarantor record is not available; find it again."},
    )

    def __init__(self, *args: Any, patient: Patient | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = patient
        pcp = patient.primary_care_provider_id if patient else None
        ref = patient.referring_provider_id if patient else None
        providers = practice_queries.list_providers(active_only=False)
        referrers = practice_queries.list_referring_providers(active_only=False)
        # Inactive providers stay selectable only for the patients who already have them.
        pcp_field: Any = self.fields["primary_care_provider"]
        pcp_field.queryset = providers.filter(Q(active=True) | Q(pk=pcp))
        ref_field: Any = self.fields["referring_provider"]
        ref_field.queryset = referrers.filter(Q(active=True) | Q(pk=ref))

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments for the record's own fields."""
        data = self.cleaned_data
        values = {name: data[name] for name in (*SERVICE_FIELDS, *EDIT_ONLY_FIELDS) if name in data}
        values["guarantor"] = data.get("guarantor") if self.guarantor_is_patient() else None
        return values

    def is_self(self) -> bool:
        return self.cleaned_data.get("guarantor_relationship") == c.Relationship.SELF

    def guarantor_is_patient(self) -> bool:
        return not self.is_self() and self.cleaned_data.get("guarantor_kind") != GUARANTOR_PARTY

    def ssn_value(self) -> str | None:
        return str(self.cleaned_data.get("ssn") or "")


class EditPatientForm(PatientForm):
    """Editing adds the status, the date of death and removing the SSN; the SSN never shows."""

    status = forms.ChoiceField(
        label="Status",
        choices=[
            (value, label)
            for value, label in c.PatientStatus.choices
            if value != c.PatientStatus.MERGED
        ],
    )
    deceased_date = forms.DateField(
        label="Date of death",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text="Only with the status Deceased.",
    )
    remove_ssn = _flag("Remove the SSN on file")

    def __init__(self, *args: Any, patient: Patient | None = None, **kwargs: Any) -> None:
        super().__init__(*args, patient=patient, **kwargs)
        if patient is not None and patient.ssn_last4:
            self.fields["ssn"].help_text = f"On file: {patient.ssn_masked}. Leave blank to keep it."
        else:
            self.fields["remove_ssn"].widget = forms.HiddenInput()

    def ssn_value(self) -> str | None:
        """None keeps the SSN on file, "" removes it, anything else replaces it."""
        typed = str(self.cleaned_data.get("ssn") or "")
        if typed:
            return typed
        return "" if self.cleaned_data.get("remove_ssn") else None


def patient_initial(patient: Patient) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(patient, name)
        for name in (*SERVICE_FIELDS, *EDIT_ONLY_FIELDS)
        if name not in ("primary_care_provider", "referring_provider")
    }
    initial["primary_care_provider"] = patient.primary_care_provider_id
    initial["referring_provider"] = patient.referring_provider_id
    initial["guarantor"] = patient.guarantor_id
    initial["guarantor_kind"] = GUARANTOR_PARTY if patient.responsible_party_id else "patient"
    initial["race"] = list(patient.race or [])
    return initial


class AlertForm(forms.Form):
    """A note for the alert banner."""

    kind = forms.ChoiceField(label="Kind", choices=c.AlertKind.choices, initial=c.AlertKind.OTHER)
    severity = forms.ChoiceField(
        label="Severity", choices=c.AlertSeverity.choices, initial=c.AlertSeverity.WARNING
    )
    message = forms.CharField(
        label="Message",
        max_length=300,
        error_messages={"required": "Write what the desk must know."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


def parse_ids(values: Iterable[str]) -> list[int]:
    """ "12,15" (the duplicate confirmation checkbox) -> [12, 15]; junk is ignored."""
    return sorted({int(part) for value in values for part in value.split(",") if part.isdigit()})


PHONE_KEY = re.compile(r"^phones-(\d{1,3})-number$")


class DuplicateProbeForm(forms.Form):
    """What the registration page sends while the desk types, to look for the same person."""

    last_name = forms.CharField(required=False, max_length=100)
    first_name = forms.CharField(required=False, max_length=100)
    birth_date = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)

    def person(self) -> Person | None:
        """The comparable facts, or None when nothing could find a candidate yet.

        Unparsable values are ignored here: the save reports them; this only warns early.
        """
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        birth_date = data.get("birth_date")
        numbers = frozenset(self._phone_digits())
        if birth_date is None and not numbers:
            return None
        return Person(
            last=data.get("last_name", ""),
            first=data.get("first_name", ""),
            birth_date=birth_date,
            phones=numbers,
        )

    def _phone_digits(self) -> Iterable[str]:
        for key in self.data:
            match = PHONE_KEY.match(key)
            if not match or self.data.get(f"phones-{match[1]}-DELETE"):
                continue
            try:
                yield phones.digits10(phones.to_e164(str(self.data.get(key) or "")))
            except phones.PhoneError:
                continue
