"""Forms of the calendar: booking details, the slot finder, cancelling, the waitlist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from medoffice.practice.choices import Weekday
from medoffice.practice.models import Location, Provider
from medoffice.scheduling.choices import CancelReason
from medoffice.scheduling.models import AppointmentType

MAX_SEARCH_DAYS = 180
DEFAULT_SEARCH_DAYS = 30
PARTS = {
    "": (None, None),
    "morning": (None, dt.time(12)),
    "afternoon": (dt.time(12), None),
}
PART_CHOICES = [("", "Any time"), ("morning", "Morning (before noon)"), ("afternoon", "Afternoon")]


class BookingForm(forms.Form):
    """What the desk adds to a slot: the patient, the type, why, and a note for the desk."""

    patient = forms.IntegerField(
        min_value=1, error_messages={"required": "Find and choose the patient."}
    )
    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.none(),
        empty_label="Choose a type",
        error_messages={
            "required": "Choose the type of visit.",
            "invalid_choice": "This provider does not see that type of visit; choose another.",
        },
    )
    reason = forms.CharField(label="Reason for visit", max_length=200, required=False)
    note = forms.CharField(label="Note for the desk", max_length=300, required=False)
    overbook = forms.BooleanField(label="Book as an overbook", required=False)

    def __init__(self, *args: Any, types: list[AppointmentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["appointment_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AppointmentType.objects.filter(pk__in=[t.pk for t in types])


class FindSlotForm(forms.Form):
    """First available: a type, and optionally who, where, which days, what time of day."""

    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(active=True).order_by("name"),
        empty_label="Choose a type",
        error_messages={"required": "Choose the type of visit."},
        widget=forms.Select(attrs={"autofocus": True}),
    )
    providers = forms.ModelMultipleChoiceField(
        queryset=Provider.objects.filter(active=True).order_by("last_name", "first_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every provider who sees this type.",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label="Any location",
    )
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Days of the week",
        help_text="None chosen: any day.",
    )
    part = forms.ChoiceField(choices=PART_CHOICES, required=False, label="Time of day")
    patient = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The last day comes before the first.")
            elif (end - start).days > MAX_SEARCH_DAYS:
                self.add_error("end", f"Search at most {MAX_SEARCH_DAYS} days at a time.")
        return data

    def search_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``availability.first_available`` from the cleaned form."""
        data = self.cleaned_data
        earliest, latest = PARTS[data.get("part") or ""]
        return {
            "appointment_type": data["appointment_type"],
            "providers": list(data["providers"]) or None,
            "location": data.get("location"),
            "start": data["start"],
            "end": data["end"],
            "weekdays": set(data["weekdays"]) or None,
            "earliest": earliest,
            "latest": latest,
        }


def find_initial(today: dt.date, **values: Any) -> dict[str, Any]:
    return {"start": today, "end": today + dt.timedelta(days=DEFAULT_SEARCH_DAYS), **values}


class MoveSearchForm(FindSlotForm):
    """The slot finder of a reschedule: the type is the appointment's own."""

    def __init__(self, *args: Any, appointment_type: AppointmentType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_type = appointment_type
        del self.fields["appointment_type"]
        del self.fields["patient"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["appointment_type"] = self.fixed_type
        return data


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *CancelReason.choices],
        error_messages={"required": "Choose why the appointment is cancelled."},
    )
    note = forms.CharField(max_length=200, required=False, label="Note (optional)")


class WaitlistForm(forms.Form):
    """A patient who wants an earlier visit: what, with whom, where, and when they could come."""

    patient = forms.IntegerField(
        min_value=1, error_messages={"required": "Find and choose the patient."}
    )
    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(active=True).order_by("name"),
        empty_label="Choose a type",
        error_messages={"required": "Choose the type of visit."},
    )
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.filter(active=True).order_by("last_name", "first_name"),
        required=False,
        empty_label="Any provider",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label="Any location",
    )
    earliest_date = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    latest_date = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Days of the week",
    )
    earliest_time = forms.TimeField(
        required=False, label="Not before", widget=forms.TimeInput(attrs={"type": "time"})
    )
    latest_time = forms.TimeField(
        required=False, label="Not after", widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(max_length=200, required=False)
    current_appointment = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("earliest_date"), data.get("latest_date")
        if first and last and last < first:
            self.add_error("latest_date", "The last day comes before the first.")
        early, late = data.get("earliest_time"), data.get("latest_time")
        if early and late and late <= early:
            self.add_error("latest_time", "The latest time comes before the earliest.")
        return data
