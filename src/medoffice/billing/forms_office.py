"""Forms of the statements, payment plans and reports pages; amounts go through
``parse_amount`` so the desk gets the same refusals as everywhere else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from medoffice.billing.choices import PlanFrequency, StatementDelivery, TenderMethod
from medoffice.billing.errors import AmountError
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services.days import business_today
from medoffice.billing.services.plans import MAX_INSTALMENTS, MIN_INSTALMENTS

DATE = forms.DateInput(attrs={"type": "date"})
MAX_REPORT_DAYS = 366


class AmountField(forms.CharField):
    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            return parse_amount(text, allow_zero=self.allow_zero)
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from None


class RunStatementsForm(forms.Form):
    statement_date = forms.DateField(widget=DATE)
    minimum_balance = AmountField(allow_zero=True, initial="5.00",
                                  help_text="Patients owing less get no statement.")  # fmt: skip
    message = forms.CharField(max_length=500, required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text="Printed on every statement of the run.")  # fmt: skip


class MarkSentForm(forms.Form):
    via = forms.ChoiceField(choices=StatementDelivery.choices, initial=StatementDelivery.MAIL)


class PlanForm(forms.Form):
    total = AmountField(help_text="At most what the patient owes now.")
    instalments = forms.IntegerField(min_value=MIN_INSTALMENTS, max_value=MAX_INSTALMENTS,
                                     initial=3)  # fmt: skip
    frequency = forms.ChoiceField(choices=PlanFrequency.choices, initial=PlanFrequency.MONTHLY)
    first_due = forms.DateField(widget=DATE)
    note = forms.CharField(max_length=300, required=False)

    def clean_first_due(self) -> dt.date:
        day: dt.date = self.cleaned_data["first_due"]
        if day < business_today():
            raise forms.ValidationError("The first instalment can't be due in the past.")
        return day


class CancelPlanForm(forms.Form):
    reason = forms.CharField(max_length=300)


class JournalForm(forms.Form):
    start = forms.DateField(widget=DATE, required=False)
    end = forms.DateField(widget=DATE, required=False)
    user = forms.ChoiceField(required=False)
    method = forms.ChoiceField(choices=[("", "Any method"), *TenderMethod.choices], required=False)

    def __init__(self, *args: Any, users: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Anyone"), *(users or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = business_today()
        start, end = data.get("start") or today, data.get("end") or today
        if end < start:
            raise forms.ValidationError("The end date is before the start date.")
        if (end - start).days > MAX_REPORT_DAYS:
            raise forms.ValidationError("Choose at most a year at a time.")
        data["start"], data["end"] = start, end
        return data


class AgingForm(forms.Form):
    as_of = forms.DateField(widget=DATE, required=False)
