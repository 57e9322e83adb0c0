"""Set-up forms for the catalogue and sessions. They parse and check shapes; services write.

The session form builds its RRULE from weekday boxes and "every N weeks" (what a manager
thinks in); a rule typed in the advanced box wins, for patterns such as the first Monday of
the month.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from medoffice.patients.choices import Language
from medoffice.practice import queries as practice_queries
from medoffice.scheduling.choices import ResourceKind
from medoffice.scheduling.models import AppointmentType, Resource, ScheduleSession
from medoffice.scheduling.setup_recurrence import (
    MAX_INTERVAL,
    WEEKDAY_NAMES,
    RecurrenceError,
    normalize_rrule,
    weekly_parts,
    weekly_rrule,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAY_CHOICES = [(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)]
TYPE_FIELDS = [
    "name", "code", "default_minutes", "color", "needs_referral", "needs_prior_authorization",
    "new_patients_only", "service_type_codes", "active",
]  # fmt: skip
SESSION_FIELDS = [
    "provider", "location", "label", "starts_on", "ends_on", "start_time", "end_time",
    "slot_minutes", "overbook_limit", "active",
]  # fmt: skip


def providers_choice(**kwargs: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=practice_queries.list_providers(active_only=False).order_by(
            "last_name", "first_name"
        ),
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


class AppointmentTypeForm(forms.ModelForm):
    """A type with who may see it, their own lengths, rooms needed and prep instructions."""

    providers = providers_choice(
        required=False, help_text="None ticked: every provider may see this type."
    )
    resource_kinds = forms.MultipleChoiceField(
        choices=ResourceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Rooms and equipment needed",
    )

    class Meta:
        model = AppointmentType
        fields = TYPE_FIELDS
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.instance
        self.all_providers = list(self.fields["providers"].queryset)  # type: ignore[attr-defined]
        own: dict[int, int] = {}
        texts: dict[str, str] = {}
        if kind.pk:
            self.initial["providers"] = list(kind.providers.values_list("pk", flat=True))
            self.initial["resource_kinds"] = list(
                kind.resource_needs.values_list("kind", flat=True)
            )
            own = dict(kind.durations.values_list("provider_id", "minutes"))
            texts = dict(kind.instructions.values_list("language", "text"))
        for provider in self.all_providers:
            self.fields[f"minutes_{provider.pk}"] = forms.IntegerField(
                required=False, min_value=5, max_value=480, initial=own.get(provider.pk),
                label=f"{provider.display_name} (minutes)",
            )  # fmt: skip
        for code, label in Language.choices:
            self.fields[f"instructions_{code}"] = forms.CharField(
                required=False, initial=texts.get(code), label=f"Instructions ({label})",
                widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
            )  # fmt: skip

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TYPE_FIELDS]

    def duration_fields(self) -> list[forms.BoundField]:
        return [self[f"minutes_{p.pk}"] for p in self.all_providers]

    def instruction_fields(self) -> list[forms.BoundField]:
        return [self[f"instructions_{code}"] for code in Language.values]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in TYPE_FIELDS},
            "providers": list(data["providers"]),
            "resource_kinds": list(data["resource_kinds"]),
            "durations": {
                p: data[f"minutes_{p.pk}"] for p in self.all_providers if data[f"minutes_{p.pk}"]
            },
            "instructions": {code: data[f"instructions_{code}"] for code in Language.values},
        }


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "kind", "location", "active"]

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SessionForm(forms.ModelForm):
    """A session with a friendly recurrence: weekdays and every N weeks, or a typed RRULE."""

    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="On these days",
    )  # fmt: skip
    every_weeks = forms.IntegerField(
        min_value=1, max_value=MAX_INTERVAL, initial=1, label="Every … weeks",
        help_text="1 = every week, 2 = every other week.",
    )  # fmt: skip
    advanced_rule = forms.CharField(
        required=False, max_length=200, label="Or a recurrence rule (advanced)",
        help_text="RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=1MO for the first Monday.",
    )  # fmt: skip

    class Meta:
        model = ScheduleSession
        fields = [*SESSION_FIELDS, "appointment_types"]
        widgets = {
            "starts_on": DATE, "ends_on": DATE, "start_time": TIME, "end_time": TIME,
            "appointment_types": forms.CheckboxSelectMultiple,
        }  # fmt: skip
        labels = {"appointment_types": "Reserved for these types (none = any type)"}
        help_texts = {"appointment_types": ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = self.fields["appointment_types"]
        types.queryset = AppointmentType.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["provider"].queryset = practice_queries.list_providers()  # type: ignore[attr-defined]
        self.fields["location"].queryset = practice_queries.list_locations()  # type: ignore[attr-defined]
        if self.instance.pk:
            weekly = weekly_parts(self.instance.rrule)
            if weekly is None:
                self.initial["advanced_rule"] = self.instance.rrule
            else:
                self.initial["weekdays"] = [str(day) for day in weekly[0]]
                self.initial["every_weeks"] = weekly[1]
        else:
            self.initial.setdefault("weekdays", ["0", "1", "2", "3", "4"])
            self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if data.get("advanced_rule"):
                data["rrule"] = normalize_rrule(data["advanced_rule"])
            elif "every_weeks" in data:
                days = [int(day) for day in data.get("weekdays", [])]
                data["rrule"] = weekly_rrule(days, data["every_weeks"])
        except RecurrenceError as exc:
            field = "advanced_rule" if data.get("advanced_rule") else "weekdays"
            self.add_error(field, str(exc))
        return data

    def _post_clean(self) -> None:
        """Leave the model checks to the service, which reports them in the office's words."""

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in SESSION_FIELDS},
            "rrule": data["rrule"],
            "appointment_types": list(data["appointment_types"]),
        }

    def main_fields(self) -> list[forms.BoundField]:
        names = ["provider", "location", "label", "starts_on", "ends_on", "start_time", "end_time"]
        return [self[name] for name in names]

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("weekdays", "every_weeks", "advanced_rule")]
