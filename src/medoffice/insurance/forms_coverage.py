"""Forms of the coverage pages. They only parse; ``services.coverages`` validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from medoffice.insurance import queries
from medoffice.insurance.choices import CardSide, CoverageOrder, SubscriberRelationship
from medoffice.insurance.models import Coverage, InsurancePlan
from medoffice.insurance.services.coverages import SUBSCRIBER_SEXES
from medoffice.patients import queries as patients

DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
FIELD_FOR = {"subscriber_patient": "subscriber_mrn", "__all__": None}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": "Enter a real date."},
    )


def _text(label: str, max_length: int, *, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.payer.name} — {obj.name} ({obj.get_plan_type_display()})"


def family_of(patient: Any) -> list[Any]:
    """Patients who may be this patient's subscriber: the guarantor and the family they head."""
    people = []
    if patient.guarantor_id and patient.guarantor is not None:
        people.append(patient.guarantor)
    people.extend(patients.dependents_of(patient))
    unique: dict[int, Any] = {}
    for person in people:
        if person.pk != patient.pk:
            unique.setdefault(person.pk, person)
    return list(unique.values())


class CoverageForm(forms.Form):
    """One coverage as the desk types it from the card."""

    plan = PlanChoiceField(
        queryset=InsurancePlan.objects.none(),
        label="Plan",
        empty_label="Choose the payer and plan",
        error_messages={"required": "Choose the plan."},
    )
    order = forms.TypedChoiceField(
        label="Order", choices=CoverageOrder.choices, coerce=int, initial=CoverageOrder.PRIMARY
    )
    member_id = forms.CharField(
        label="Member ID",
        max_length=60,
        help_text="As on the card. Medicare: the 11-character MBI (dashes optional).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the member ID from the card."},
    )
    group_number = _text("Group number", 40)
    relationship = forms.ChoiceField(
        label="Patient's relationship to the subscriber",
        choices=SubscriberRelationship.choices,
        initial=SubscriberRelationship.SELF,
    )
    subscriber_choice = forms.ChoiceField(label="Subscriber is a patient here", required=False)
    subscriber_mrn = _text(
        "…or the subscriber's MRN", 8, help_text="When the subscriber is another patient here."
    )
    subscriber_last_name = _text("Subscriber's last name", 100)
    subscriber_first_name = _text("Subscriber's first name", 100)
    subscriber_middle_name = _text("Subscriber's middle name", 100)
    subscriber_birth_date = _date("Subscriber's date of birth")
    subscriber_sex = forms.ChoiceField(
        label="Subscriber's sex",
        choices=[("", "—"), *SUBSCRIBER_SEXES.items()],
        required=False,
    )
    effective_date = _date("Effective date", required=True)
    end_date = _date("End date", help_text="Leave empty while the coverage continues.")
    notes = forms.CharField(label="Notes", max_length=300, required=False, widget=forms.TextInput())

    def __init__(self, *args: Any, patient: Any, coverage: Coverage | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.patient = patient
        plans = queries.plans()
        if coverage is not None:  # an old coverage keeps its plan even if no longer offered
            plans = plans | InsurancePlan.objects.filter(pk=coverage.plan_id)
        plan_field: Any = self.fields["plan"]
        plan_field.queryset = plans.select_related("payer").order_by("payer__name", "name")
        self.family = family_of(patient)
        choice: Any = self.fields["subscriber_choice"]
        choice.choices = [("", "— not a patient here, or by MRN —")] + [
            (str(p.pk), f"{p.display_name} (MRN {p.mrn})") for p in self.family
        ]
        if coverage is not None and not self.is_bound:
            self.initial.update(_initial_of(coverage, self.family))

    def card_fields(self) -> list[Any]:
        names = ("plan", "order", "member_id", "group_number", "effective_date", "end_date")
        return [self[name] for name in names]

    def subscriber_fields(self) -> list[Any]:
        names = (
            "relationship",
            "subscriber_choice",
            "subscriber_mrn",
            "subscriber_last_name",
            "subscriber_first_name",
            "subscriber_middle_name",
            "subscriber_birth_date",
            "subscriber_sex",
        )
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["subscriber_patient"] = self._subscriber(data)
        return data

    def _subscriber(self, data: dict[str, Any]) -> Any:
        picked = data.get("subscriber_choice") or ""
        if picked:
            return next((p for p in self.family if str(p.pk) == picked), None)
        mrn = (data.get("subscriber_mrn") or "").strip()
        if not mrn:
            return None
        found = patients.get_by_mrn(mrn)
        if found is None:
            self.add_error("subscriber_mrn", "No patient has this MRN.")
        return found

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "plan",
            "order",
            "member_id",
            "group_number",
            "relationship",
            "subscriber_patient",
            "subscriber_last_name",
            "subscriber_first_name",
            "subscriber_middle_name",
            "subscriber_birth_date",
            "subscriber_sex",
            "effective_date",
            "end_date",
            "notes",
        )
        return {name: data.get(name) for name in names}

    def apply_errors(self, exc: ValidationError) -> None:
        """Put the service's field messages on the fields (the rest above the form)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, messages in exc.message_dict.items():
            field = FIELD_FOR.get(key, key)
            if field is not None and field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


def _initial_of(coverage: Coverage, family: list[Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(coverage, name)
        for name in (
            "order",
            "member_id",
            "group_number",
            "relationship",
            "subscriber_last_name",
            "subscriber_first_name",
            "subscriber_middle_name",
            "subscriber_birth_date",
            "subscriber_sex",
            "effective_date",
            "end_date",
            "notes",
        )
    }
    initial["plan"] = coverage.plan_id
    subscriber = coverage.subscriber_patient
    if subscriber is not None:
        if any(p.pk == subscriber.pk for p in family):
            initial["subscriber_choice"] = str(subscriber.pk)
        else:
            initial["subscriber_mrn"] = subscriber.mrn
    return initial


class EndCoverageForm(forms.Form):
    end_date = _date("Last day of coverage", required=True)


class CardForm(forms.Form):
    """A card side from the file picker, or the desk camera's snapshot (file or data URL)."""

    image = forms.FileField(required=False)
    data_url = forms.CharField(required=False, widget=forms.HiddenInput())
    source = forms.ChoiceField(choices=[("upload", "upload"), ("webcam", "webcam")], required=False)

    side_choices = CardSide.choices
