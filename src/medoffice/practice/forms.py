"""Forms for editing locations and providers. They only parse; services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from medoffice.practice.choices import Weekday
from medoffice.practice.models import Location, Provider

LOCATION_FIELDS = [
    "name", "code", "address_line1", "address_line2", "city", "state", "zip_code",
    "phone", "fax", "time_zone", "place_of_service", "active",
]  # fmt: skip
PROVIDER_FIELDS = [
    "first_name", "middle_name", "last_name", "credentials", "specialty", "npi",
    "taxonomy_code", "color", "active",
]  # fmt: skip


class LocationForm(forms.ModelForm):
    """Location details plus one optional opening period per weekday."""

    class Meta:
        model = Location
        fields = LOCATION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing: dict[int, tuple[dt.time, dt.time]] = {}
        if self.instance.pk:
            for h in self.instance.hours.all():
                existing.setdefault(h.weekday, (h.opens, h.closes))
        for day in Weekday:
            opens, closes = existing.get(day.value, (None, None))
            self.fields[f"opens_{day.value}"] = forms.TimeField(
                required=False, label=f"{day.label} opens", initial=opens,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )  # fmt: skip
            self.fields[f"closes_{day.value}"] = forms.TimeField(
                required=False, label=f"{day.label} closes", initial=closes,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in Weekday:
            opens, closes = data.get(f"opens_{day.value}"), data.get(f"closes_{day.value}")
            if (opens is None) != (closes is None):
                self.add_error(f"closes_{day.value}", "Give both the opening and closing time.")
            elif opens is not None and closes is not None and opens >= closes:
                self.add_error(f"closes_{day.value}", "Closing time must be after opening time.")
        return data

    def hour_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField, str]]:
        return [(self[f"opens_{d.value}"], self[f"closes_{d.value}"], d.label) for d in Weekday]

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in LOCATION_FIELDS]

    def hours(self) -> list[tuple[int, dt.time, dt.time]]:
        result = []
        for day in Weekday:
            opens = self.cleaned_data.get(f"opens_{day.value}")
            closes = self.cleaned_data.get(f"closes_{day.value}")
            if opens is not None and closes is not None:
                result.append((day.value, opens, closes))
        return result

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in LOCATION_FIELDS}


class ProviderForm(forms.ModelForm):
    locations = forms.ModelMultipleChoiceField(
        queryset=Location.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Provider
        fields = [*PROVIDER_FIELDS, "locations"]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROVIDER_FIELDS}
