"""Forms of the payer, plan and clearinghouse pages. They only parse (``save`` is never called):
``services.payers`` validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from medoffice.core import phones
from medoffice.insurance.models import Clearinghouse, InsurancePlan, Payer
from medoffice.insurance.services.payers import CLEARINGHOUSE_FIELDS, PAYER_FIELDS, PLAN_FIELDS


class ServiceForm(forms.ModelForm):
    """A model form used for parsing and rendering; the service does the saving."""

    service_fields: tuple[str, ...] = ()

    def _post_clean(self) -> None:
        # The model's checks run in the service, on a fresh copy; skip them here so the
        # instance this form was given is left as it was.
        return

    def service_kwargs(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in self.service_fields
            if name in self.cleaned_data
        }

    def apply_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, messages in exc.message_dict.items():
            field = key if key in self.fields else None
            for message in messages:
                self.add_error(field, message)


class PayerForm(ServiceForm):
    service_fields = PAYER_FIELDS
    portal_url = forms.URLField(
        label="Portal URL", max_length=200, required=False, assume_scheme="https"
    )

    class Meta:
        model = Payer
        fields = list(PAYER_FIELDS)
        help_texts = {
            "payer_id": "The electronic payer ID your clearinghouse lists (e.g. 60054).",
            "state": "Two letters.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            for name in ("phone", "fax", "authorization_phone", "authorization_fax"):
                self.initial[name] = phones.display(getattr(self.instance, name))
        self.fields["clearinghouse"].empty_label = "The practice's only clearinghouse"  # type: ignore[attr-defined]


class PlanForm(ServiceForm):
    service_fields = PLAN_FIELDS

    class Meta:
        model = InsurancePlan
        fields = list(PLAN_FIELDS)


class ClearinghouseForm(ServiceForm):
    service_fields = CLEARINGHOUSE_FIELDS
    endpoint_url = forms.URLField(
        label="Endpoint URL",
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text="CAQH CORE real-time endpoint (HTTPS).",
    )
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave blank to keep the password on file.",
    )
    sftp_password = forms.CharField(
        label="SFTP password",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave blank to keep the password on file.",
    )

    class Meta:
        model = Clearinghouse
        fields = list(CLEARINGHOUSE_FIELDS)


class PayerSearchForm(forms.Form):
    q = forms.CharField(label="Find a payer", max_length=100, required=False)
    inactive = forms.BooleanField(label="Include inactive payers", required=False)
