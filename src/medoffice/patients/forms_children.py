"""The repeating parts of the patient form (phones, addresses, contacts, previous names) and the
responsible-party sub-form. Each row carries its hidden ``id`` so an edit updates the row it came
from; blank extra rows are ignored and "remove" ticks the formset's DELETE box.
"""

from __future__ import annotations

from typing import Any

from django import forms

from medoffice.core.phones import display as phone_display
from medoffice.patients import choices as c
from medoffice.patients.models import Patient

# type="date" sends ISO dates; the others are what a desk types where no date picker exists.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y"]
PARTY_FIELDS = (
    "first_name", "last_name", "birth_date", "phone", "email", "address_line1", "address_line2",
    "city", "state", "zip_code", "employer",
)  # fmt: skip


class DateInput(forms.DateInput):
    """The browser's date picker; the value must be ISO for it."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date."},
    )


def _text(label: str, max_length: int = 100, **attrs: Any) -> forms.CharField:
    widget = forms.TextInput(attrs={"autocomplete": "off", **attrs})
    return forms.CharField(label=label, max_length=max_length, required=False, widget=widget)


def _phone(label: str, **attrs: Any) -> forms.CharField:
    widget = forms.TextInput(
        attrs={"type": "tel", "autocomplete": "off", "placeholder": "(555) 201-7788", **attrs}
    )
    return forms.CharField(label=label, max_length=30, required=False, widget=widget)


def _flag(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


def _state() -> forms.CharField:
    return _text("State", max_length=2, placeholder="NY", autocapitalize="characters", size="3")


def _zip() -> forms.CharField:
    return _text("ZIP code", max_length=10, inputmode="numeric", placeholder="12345")


class ChildForm(forms.Form):
    """One row of a formset; ``FIELDS`` are the service's names for the row's values."""

    FIELDS: tuple[str, ...] = ()
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def row(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        if self.cleaned_data.get("id") is not None:
            values["id"] = self.cleaned_data["id"]
        return values

    def visible_row_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FIELDS]


class PhoneForm(ChildForm):
    FIELDS = ("kind", "number", "extension", "is_primary", "sms_consent", "voicemail_consent")
    kind = forms.ChoiceField(label="Kind", choices=c.PhoneKind.choices, initial=c.PhoneKind.MOBILE)
    number = _phone("Number", **{"data-dup-check": ""})
    extension = _text("Ext.", max_length=8, inputmode="numeric", size="5")
    is_primary = _flag("Primary")
    sms_consent = _flag("May text")
    voicemail_consent = _flag("May leave voicemail")


class AddressForm(ChildForm):
    FIELDS = ("use", "line1", "line2", "city", "state", "zip_code", "is_primary")
    use = forms.ChoiceField(label="Use", choices=c.AddressUse.choices, initial=c.AddressUse.HOME)
    line1 = _text("Street", max_length=200)
    line2 = _text("Apartment, suite", max_length=200)
    city = _text("City")
    state = _state()
    zip_code = _zip()
    is_primary = _flag("Primary")


class EmergencyContactForm(ChildForm):
    FIELDS = ("name", "relationship", "phone", "alternate_phone", "is_primary")
    name = _text("Name", max_length=200)
    relationship = forms.ChoiceField(
        label="Relationship",
        required=False,
        choices=[("", "Choose…")]
        + [(v, label) for v, label in c.Relationship.choices if v != c.Relationship.SELF],
    )
    phone = _phone("Phone")
    alternate_phone = _phone("Other phone")
    is_primary = _flag("Primary")


class PreviousNameForm(ChildForm):
    FIELDS = ("kind", "last_name", "first_name", "middle_name", "until")
    kind = forms.ChoiceField(
        label="Kind", choices=c.PreviousNameKind.choices, initial=c.PreviousNameKind.PREVIOUS
    )
    last_name = _text("Last name")
    first_name = _text("First name")
    middle_name = _text("Middle name")
    until = _date("Used until")


def _formset(form: type[ChildForm]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=1, can_delete=True, max_num=20, validate_max=True)


FORMSETS: dict[str, type[forms.BaseFormSet]] = {
    "phones": _formset(PhoneForm),
    "addresses": _formset(AddressForm),
    "emergency_contacts": _formset(EmergencyContactForm),
    "previous_names": _formset(PreviousNameForm),
}
# Section title, "add another" button, one row's name in the error summary.
FORMSET_TITLES = {
    "phones": ("Phones", "Add another phone", "Phone"),
    "addresses": ("Addresses", "Add another address", "Address"),
    "emergency_contacts": ("Emergency contacts", "Add another contact", "Emergency contact"),
    "previous_names": ("Previous names and aliases", "Add another name", "Previous name"),
}


def children_initial(patient: Patient | None, name: str) -> list[dict[str, Any]]:
    """The record's rows as formset initial data (phones shown as the desk writes them)."""
    if patient is None:
        return []
    rows = []
    for obj in getattr(patient, name).all():
        row = {"id": obj.pk}
        for field in FORMSETS[name].form.FIELDS:
            row[field] = getattr(obj, field)
        for field in ("number", "phone", "alternate_phone"):
            if row.get(field):
                row[field] = phone_display(row[field])
        rows.append(row)
    return rows


class ResponsiblePartyForm(forms.Form):
    """The guarantor when they are not a patient here (a parent seen elsewhere, a guardian)."""

    first_name = _text("First name")
    last_name = _text("Last name")
    birth_date = _date("Date of birth")
    phone = _phone("Phone")
    email = forms.CharField(
        label="Email",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    address_line1 = _text("Street", max_length=200)
    address_line2 = _text("Apartment, suite", max_length=200)
    city = _text("City")
    state = _state()
    zip_code = _zip()
    employer = _text("Employer", max_length=200)

    def values(self) -> dict[str, Any]:
        """The party's values, or {} when nothing was entered (the service then asks for one)."""
        values = {name: self.cleaned_data.get(name) for name in PARTY_FIELDS}
        return values if any(v not in ("", None) for v in values.values()) else {}


def party_initial(patient: Patient | None) -> dict[str, Any]:
    party = patient.responsible_party if patient and patient.responsible_party_id else None
    if party is None:
        return {}
    initial = {name: getattr(party, name) for name in PARTY_FIELDS}
    initial["phone"] = phone_display(party.phone) if party.phone else ""
    return initial
