"""The registration / edit page's forms as one: the patient form, the responsible-party
sub-form and the four child formsets.

``PatientForms`` hands the service plain values and puts the service's errors
("phones.0.number", "responsible_party.zip_code") back next to the field that caused them, so the
desk sees every problem where it typed it, with everything it typed kept.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from medoffice.patients import choices as c
from medoffice.patients.forms import (
    GUARANTOR_PARTY,
    GUARANTOR_QUERY_ID,
    EditPatientForm,
    PatientForm,
    patient_initial,
)
from medoffice.patients.forms_children import (
    FORMSET_TITLES,
    FORMSETS,
    ChildForm,
    ResponsiblePartyForm,
    children_initial,
    party_initial,
)
from medoffice.patients.models import Patient


class PatientForms:
    """The patient form, the responsible-party sub-form and the four child formsets as one."""

    def __init__(self, data: Any = None, *, patient: Patient | None = None) -> None:
        self.record = patient
        form_class = EditPatientForm if patient is not None else PatientForm
        initial = patient_initial(patient) if patient is not None else None
        self.patient = form_class(data, initial=initial, patient=patient)
        self.party = ResponsiblePartyForm(data, prefix="party", initial=party_initial(patient))
        self.formsets = {
            name: formset_class(data, prefix=name, initial=children_initial(patient, name))
            for name, formset_class in FORMSETS.items()
        }
        self.used: dict[str, list[ChildForm]] = {name: [] for name in FORMSETS}

    def is_valid(self) -> bool:
        results = [self.patient.is_valid()]
        results += [self.party.is_valid()] if self.party_wanted() else []
        results += [formset.is_valid() for formset in self.formsets.values()]
        if not all(results):
            self.mark_invalid()
        return all(results)

    def party_wanted(self) -> bool:
        """The responsible-party sub-form counts only when the page says the guarantor is one."""
        data = self.patient.data
        relationship = data.get("guarantor_relationship", c.Relationship.SELF)
        return relationship != c.Relationship.SELF and data.get("guarantor_kind") == GUARANTOR_PARTY

    def service_kwargs(self) -> dict[str, Any]:
        """Everything ``register_patient`` / ``update_patient`` take, from the cleaned forms."""
        kwargs = self.patient.values()
        kwargs["ssn"] = self.patient.ssn_value()
        for name, formset in self.formsets.items():
            self.used[name] = [form for form in formset.forms if _kept(formset, form)]
            kwargs[name] = [form.row() for form in self.used[name]]
        kwargs["responsible_party"] = self.party.values() if self.party_wanted() else None
        return kwargs

    def apply_errors(self, error: ValidationError) -> None:
        """Put each of the service's messages next to the field it names."""
        if not hasattr(error, "error_dict"):
            self.patient.add_error(None, error.messages)
        else:
            for key, messages in error.message_dict.items():
                self._place(key, messages)
        self.mark_invalid()

    def _place(self, key: str, messages: list[str]) -> None:
        head, _, rest = key.partition(".")
        if head in self.formsets:
            index, _, field = rest.partition(".")
            used = self.used[head]
            if index.isdigit() and int(index) < len(used) and field in used[int(index)].fields:
                _add(used[int(index)], field, messages)
            else:
                self.formsets[head].non_form_errors().extend(messages)
        elif head == "responsible_party" and rest in self.party.fields:
            _add(self.party, rest, messages)
        elif head in self.patient.fields:
            _add(self.patient, head, messages)
        else:
            self.patient.add_error(None, messages)

    def error_summary(self) -> list[dict[str, str]]:
        """Every problem on the page in one list at the top, each linking to its field."""
        items = [
            {"label": "", "message": str(message), "anchor": ""}
            for message in self.patient.non_field_errors()
        ]
        for prefix, form in self._labelled_forms():
            for name, errors in form.errors.items():
                if name not in form.fields:
                    continue
                label = f"{prefix}{form.fields[name].label or name}"
                anchor = form[name].id_for_label or form[name].auto_id or ""
                if name == "guarantor":  # a hidden input: send the desk to the look-up box
                    label, anchor = "Guarantor", GUARANTOR_QUERY_ID
                items += [{"label": label, "message": str(m), "anchor": anchor} for m in errors]
        for name, formset in self.formsets.items():
            title = FORMSET_TITLES[name][0]
            items += [
                {"label": title, "message": str(m), "anchor": f"section-{name}"}
                for m in formset.non_form_errors()
            ]
        return items

    def _labelled_forms(self) -> list[tuple[str, forms.Form]]:
        found: list[tuple[str, forms.Form]] = [("", self.patient), ("Guarantor ", self.party)]
        for name, formset in self.formsets.items():
            singular = FORMSET_TITLES[name][2]
            found += [(f"{singular} {i + 1} ", form) for i, form in enumerate(formset.forms)]
        return found

    def previous_names_open(self) -> bool:
        formset = self.formsets["previous_names"]
        if formset.initial_form_count():
            return True
        return any(form.is_bound and form.has_changed() for form in formset.forms)

    def all_forms(self) -> list[forms.Form]:
        found: list[forms.Form] = [self.patient, self.party]
        for formset in self.formsets.values():
            found += formset.forms
        return found

    def drop_autofocus(self) -> None:
        """Focus goes to the error summary or the duplicate warning instead of the last name."""
        self.patient.fields["last_name"].widget.attrs.pop("autofocus", None)

    def mark_invalid(self) -> None:
        """aria-invalid and aria-describedby on every field with an error (screen readers)."""
        self.drop_autofocus()
        for form in self.all_forms():
            for name in form.errors:
                if name in form.fields:
                    bound = form[name]
                    attrs = form.fields[name].widget.attrs
                    attrs["aria-invalid"] = "true"
                    described = f"{bound.auto_id}_error"
                    if form.fields[name].help_text:
                        described += f" {bound.auto_id}_helptext"
                    attrs["aria-describedby"] = described

    def quiet(self) -> None:
        """Re-show what was typed without judging it (a guarantor look-up, not a save)."""
        for form in self.all_forms():
            cast(Any, form)._errors = ErrorDict()
        for formset in self.formsets.values():
            quiet: Any = formset
            quiet._errors = []
            quiet._non_form_errors = formset.error_class()

    def chosen_guarantor(self) -> Patient | None:
        """The guarantor patient currently picked (typed data first, then the record's)."""
        form = self.patient
        raw = form.data.get("guarantor") if form.is_bound else form.initial.get("guarantor")
        try:
            guarantor_id = int(raw) if raw else None
        except (TypeError, ValueError):
            return None
        if guarantor_id is None:
            return None
        if self.record is not None and self.record.guarantor_id == guarantor_id:
            return self.record.guarantor
        return (
            Patient.objects.exclude(status=c.PatientStatus.MERGED).filter(pk=guarantor_id).first()
        )


GENERIC_MESSAGES = {
    "This field cannot be blank.",
    "This field cannot be null.",
    "This field is required.",
}


def _add(form: forms.Form, field: str, messages: list[str]) -> None:
    """Add the service's messages to a field, naming the field where Django's are generic."""
    label = form.fields[field].label or field
    form.add_error(
        field, [f"{label} is required." if m in GENERIC_MESSAGES else m for m in messages]
    )


def _kept(formset: forms.BaseFormSet, form: ChildForm) -> bool:
    """A row goes to the service unless removed or left blank (existing rows always go)."""
    data = getattr(form, "cleaned_data", {})
    if data.get("DELETE"):
        return False
    return data.get("id") is not None or form.has_changed()
