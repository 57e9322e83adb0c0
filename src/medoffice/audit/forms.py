from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from medoffice.audit.choices import AuditAction


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"), required=False, label="Staff member"
    )
    patient_id = forms.IntegerField(required=False, min_value=1, label="Patient number")
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditAction.choices], required=False, label="Action"
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def search_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "actor_id": data["user"].pk if data.get("user") else None,
            "patient_id": data.get("patient_id"),
            "action": data.get("action") or None,
            "start": data.get("start"),
            "end": data.get("end"),
        }
