"""Forms of the form builder (the patient-facing pages read answers in ``answers``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from medoffice.intake import choices as c
from medoffice.intake.models import FormTemplate, Question


class TemplateForm(forms.ModelForm):
    class Meta:
        model = FormTemplate
        fields = [
            "code",
            "name",
            "description",
            "is_active",
            "for_new_patients",
            "renewal",
            "renew_after_months",
            "position",
        ]
        labels = {"code": "Short name (letters, digits, dashes)", "is_active": "In use"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label="Choices (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    show_if_key = forms.ChoiceField(label="Show only when question", required=False)

    class Meta:
        model = Question
        fields = [
            "label",
            "key",
            "kind",
            "required",
            "help_text",
            "show_if_key",
            "show_if_value",
            "maps_to",
        ]
        labels = {
            "key": "Name (kept across versions)",
            "show_if_value": "equals",
            "maps_to": "Apply the answer to",
        }

    def __init__(self, *args: Any, earlier: Sequence[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_if = cast(forms.ChoiceField, self.fields["show_if_key"])
        show_if.choices = [("", "Always show"), *((q.key, q.label[:60]) for q in earlier)]
        maps_to = cast(forms.ChoiceField, self.fields["maps_to"])
        maps_to.choices = [("", "Nothing (kept on the form only)"), *c.RecordField.choices]
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(self.instance.options or [])

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        lines = str(data.pop("options_text", "") or "").splitlines()
        data["options"] = [line.strip() for line in lines if line.strip()]
        return data
