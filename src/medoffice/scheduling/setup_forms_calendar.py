"""Set-up forms for time taken out of calendars: exceptions, blocks, on-call, staff meetings.

Days and times are typed as the wall clock of a location (the one chosen, or the provider's
first, or the practice default) and turned into instants here, so the services only see
aware datetimes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from medoffice.practice import queries as practice_queries
from medoffice.scheduling.choices import BlockKind, ExceptionKind
from medoffice.scheduling.models import OnCallShift, Resource
from medoffice.scheduling.setup_blocks import Calendars
from medoffice.scheduling.setup_common import zone_name
from medoffice.scheduling.setup_forms import DATE, TIME, WEEKDAY_CHOICES, providers_choice
from medoffice.scheduling.setup_recurrence import (
    MAX_INTERVAL,
    RecurrenceError,
    at_wall_clock,
    day_window,
    weekly_rrule,
)

MINUTE_CHOICES = [(m, f"{m} minutes") for m in (15, 30, 45, 60, 90, 120)]


def staff_choice(**kwargs: Any) -> forms.ModelMultipleChoiceField:
    users = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
    return forms.ModelMultipleChoiceField(
        queryset=users, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def location_choice(**kwargs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=practice_queries.list_locations(), **kwargs)


class ExceptionForm(forms.Form):
    """Closed for everyone, one location or one provider: a day, a range or part of a day."""

    kind = forms.ChoiceField(choices=ExceptionKind.choices)
    location = location_choice(required=False, help_text="Leave empty for every location.")
    provider = forms.ModelChoiceField(
        queryset=practice_queries.list_providers(), required=False,
        help_text="Leave empty for every provider.",
    )  # fmt: skip
    first_day = forms.DateField(widget=DATE)
    last_day = forms.DateField(widget=DATE, required=False, help_text="Empty: one day.")
    from_time = forms.TimeField(
        widget=TIME, required=False, help_text='Empty: from the start of the day. "Closed for'
        ' snow from 13:00" is 13:00 here.',
    )  # fmt: skip
    until_time = forms.TimeField(
        widget=TIME, required=False, help_text="Empty: to the end of the last day."
    )
    note = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "first_day" not in data:
            return data
        name = zone_name(location=data.get("location"), provider=data.get("provider"))
        try:
            data["starts_at"], data["ends_at"] = day_window(
                data["first_day"], data.get("last_day"), data.get("from_time"),
                data.get("until_time"), zoneinfo.ZoneInfo(name),
            )  # fmt: skip
        except RecurrenceError as exc:
            self.add_error("last_day" if data.get("last_day") else "until_time", str(exc))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        names = ("kind", "location", "provider", "starts_at", "ends_at", "note")
        return {name: self.cleaned_data[name] for name in names}


class BlockForm(forms.Form):
    """One block on many calendars, once or repeated on chosen weekdays until a last day."""

    kind = forms.ChoiceField(choices=BlockKind.choices)
    title = forms.CharField(max_length=120, required=False, help_text="e.g. Lunch, Rounds")
    providers = providers_choice(required=False, label="Providers' calendars")
    resources = forms.ModelMultipleChoiceField(
        queryset=Resource.objects.filter(active=True).select_related("location"),
        required=False, widget=forms.CheckboxSelectMultiple, label="Rooms and equipment",
    )  # fmt: skip
    users = staff_choice(required=False, label="Staff calendars")
    location = location_choice(
        required=False, label="Times are at", help_text="The location whose clock the times use."
    )
    first_day = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME)
    end_time = forms.TimeField(widget=TIME)
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="Repeat on", help_text="None ticked: only on the first day.",
    )  # fmt: skip
    every_weeks = forms.IntegerField(
        min_value=1, max_value=MAX_INTERVAL, initial=1, label="Every … weeks"
    )
    repeat_until = forms.DateField(widget=DATE, required=False, label="Until (last day)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].label_from_instance = (  # type: ignore[attr-defined]
            lambda r: f"{r.name} ({r.location.name})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("providers", "resources", "users")):
            self.add_error(None, "Choose at least one calendar.")
        data["repeat"] = ""
        if data.get("weekdays"):
            try:
                days = [int(day) for day in data["weekdays"]]
                data["repeat"] = weekly_rrule(days, data.get("every_weeks") or 1)
            except RecurrenceError as exc:
                self.add_error("weekdays", str(exc))
            if not data.get("repeat_until"):
                self.add_error("repeat_until", "Give the last day of the repeat.")
        data["time_zone"] = zone_name(location=data.get("location"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        calendars = Calendars(
            providers=list(data["providers"]),
            resources=list(data["resources"]),
            users=list(data["users"]),
        )
        names = ("kind", "title", "first_day", "start_time", "end_time", "time_zone", "repeat")
        values = {name: data[name] for name in names}
        return {**values, "calendars": calendars, "repeat_until": data.get("repeat_until")}


class OnCallForm(forms.Form):
    """A shift, typed in the provider's (first location's) clock."""

    provider = forms.ModelChoiceField(queryset=practice_queries.list_providers())
    start_day = forms.DateField(widget=DATE, label="From (day)")
    start_time = forms.TimeField(widget=TIME, label="From (time)", initial=dt.time(17))
    end_day = forms.DateField(widget=DATE, label="Until (day)")
    end_time = forms.TimeField(widget=TIME, label="Until (time)", initial=dt.time(8))
    phone = forms.CharField(max_length=30, required=False, help_text="Number to reach them")
    note = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {"provider", "start_day", "start_time", "end_day", "end_time"}
        if needed <= set(data):
            place = zoneinfo.ZoneInfo(zone_name(provider=data["provider"]))
            data["starts_at"] = at_wall_clock(data["start_day"], data["start_time"], place)
            data["ends_at"] = at_wall_clock(data["end_day"], data["end_time"], place)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        names = ("provider", "starts_at", "ends_at", "phone", "note")
        return {name: self.cleaned_data[name] for name in names}


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(queryset=OnCallShift.objects.none(), label="Shift")
    second = forms.ModelChoiceField(queryset=OnCallShift.objects.none(), label="Swap with")

    def __init__(self, *args: Any, shifts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            field.queryset = shifts if shifts is not None else OnCallShift.objects.none()  # type: ignore[attr-defined]
            field.label_from_instance = _shift_label  # type: ignore[attr-defined]


def _shift_label(shift: OnCallShift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{shift.provider.display_name}: {start:%a %b %d %H:%M} to {end:%a %b %d %H:%M}"


class MeetingForm(forms.Form):
    """Who, how long and when to look; then either a found time or one typed in."""

    title = forms.CharField(max_length=120)
    attendees = staff_choice()
    location = location_choice(required=False, help_text="Where, and whose clock the times use.")
    minutes = forms.TypedChoiceField(choices=MINUTE_CHOICES, coerce=int, initial=60)
    first_day = forms.DateField(widget=DATE, label="Look from")
    last_day = forms.DateField(widget=DATE, label="Look until")
    day_start = forms.TimeField(widget=TIME, initial=dt.time(8), label="Not before")
    day_end = forms.TimeField(widget=TIME, initial=dt.time(17), label="Not after")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and (last < first or (last - first).days > 31):
            self.add_error("last_day", "Look over 1 to 31 days, the last after the first.")
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and start >= end:
            self.add_error("day_end", "The day must end after it starts.")
        data["time_zone"] = zone_name(location=data.get("location"))
        return data


class RescheduleMeetingForm(forms.Form):
    day = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME)
    minutes = forms.TypedChoiceField(choices=MINUTE_CHOICES, coerce=int)

    def instants(self, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        start = at_wall_clock(data["day"], data["start_time"], zoneinfo.ZoneInfo(time_zone))
        return start, start + dt.timedelta(minutes=data["minutes"])


class FeedForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=practice_queries.list_providers())
    show_patient_names = forms.BooleanField(
        required=False,
        help_text="Off (recommended): appointments show as Busy. On: patient names appear in "
        "the subscriber's calendar app, outside this system.",
    )
