"""The desk's money forms: collect a payment (split tender), post a charge, an adjustment, a
reversal. Every amount goes through ``parse_amount``: a malformed one gets its clear message next
to its field, and the form comes back with everything the desk typed."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms

from medoffice.billing.choices import Bucket, CardBrand, CardEntryMode, PaymentPurpose, TenderMethod
from medoffice.billing.errors import AmountError
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services.payments import TenderIn

DESK_PURPOSES = [
    (PaymentPurpose.COPAY, PaymentPurpose.COPAY.label),
    (PaymentPurpose.BALANCE, PaymentPurpose.BALANCE.label),
    (PaymentPurpose.PREPAYMENT, PaymentPurpose.PREPAYMENT.label),
]
CARD_MODES = [
    (CardEntryMode.TERMINAL, "Card terminal (the patient taps or inserts)"),
    (CardEntryMode.MANUAL, "Standalone terminal: key in what it printed"),
]
BRANDS = [("", "Brand…"), *CardBrand.choices]
CARD_ROWS = (("card", TenderMethod.CARD), ("hsa", TenderMethod.HSA))


class AmountField(forms.CharField):
    """Dollars and cents typed by a person: ``$1,234.50``; refusals say what is wrong."""

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.allow_zero = allow_zero
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if text in ("", None):
            return None
        try:
            return parse_amount(text, allow_zero=self.allow_zero)
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from None


def new_key() -> str:
    return uuid.uuid4().hex


class PaymentForm(forms.Form):
    """One row each of cash, check, card and HSA/FSA: any combination is a split tender."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    purpose = forms.ChoiceField(choices=DESK_PURPOSES, initial=PaymentPurpose.COPAY)
    cash_amount = AmountField(label="Cash")
    cash_received = AmountField(label="Cash received", help_text="What the patient handed over")
    check_amount = AmountField(label="Check")
    check_number = forms.CharField(label="Check number", max_length=20, required=False)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("key"):
            self.initial["key"] = new_key()
        for prefix, label in (("card", "Card"), ("hsa", "HSA/FSA card")):
            self.fields[f"{prefix}_amount"] = AmountField(label=label)
            self.fields[f"{prefix}_mode"] = forms.ChoiceField(
                label=f"{label} entry", choices=CARD_MODES, initial=CardEntryMode.TERMINAL,
                required=False, widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"{prefix}_last4"] = forms.CharField(
                label="Last four digits", max_length=4, required=False
            )
            self.fields[f"{prefix}_brand"] = forms.ChoiceField(
                label="Brand", choices=BRANDS, required=False
            )
            self.fields[f"{prefix}_approval"] = forms.CharField(
                label="Approval code", max_length=12, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amounts = [data.get(f"{row}_amount") for row in ("cash", "check", "card", "hsa")]
        if not self.errors and not any(amounts):
            raise forms.ValidationError("Enter an amount for at least one way of paying.")
        self._clean_cash(data)
        if data.get("check_amount") and not str(data.get("check_number", "")).strip():
            self.add_error("check_number", "Enter the check number.")
        for prefix, _ in CARD_ROWS:
            self._clean_card(prefix, data)
        return data

    def _clean_cash(self, data: dict[str, Any]) -> None:
        amount, received = data.get("cash_amount"), data.get("cash_received")
        if amount and received is not None and received < amount:
            self.add_error(
                "cash_received", f"Cash received (${received}) is less than the cash part."
            )
        if received and not amount and "cash_amount" not in self.errors:
            self.add_error("cash_amount", "Enter the part of the payment paid in cash.")

    def _clean_card(self, prefix: str, data: dict[str, Any]) -> None:
        if not data.get(f"{prefix}_amount"):
            return
        if (data.get(f"{prefix}_mode") or CardEntryMode.TERMINAL) != CardEntryMode.MANUAL:
            return
        last4 = str(data.get(f"{prefix}_last4", "")).strip()
        if len(last4) != 4 or not last4.isdigit():
            self.add_error(f"{prefix}_last4", "Enter the card's last four digits.")
        approval = str(data.get(f"{prefix}_approval", "")).strip()
        if not approval or not approval.isalnum():
            self.add_error(f"{prefix}_approval", "Enter the approval code the terminal printed.")
        if not data.get(f"{prefix}_brand"):
            self.add_error(f"{prefix}_brand", "Choose the card's brand.")

    def tenders(self) -> list[TenderIn]:
        data = self.cleaned_data
        found: list[TenderIn] = []
        if data.get("cash_amount"):
            received = data.get("cash_received") or data["cash_amount"]
            found.append(TenderIn(TenderMethod.CASH, data["cash_amount"], cash_received=received))
        if data.get("check_amount"):
            found.append(
                TenderIn(
                    TenderMethod.CHECK, data["check_amount"],
                    check_number=data["check_number"].strip(),
                )
            )  # fmt: skip
        for prefix, method in CARD_ROWS:
            if not data.get(f"{prefix}_amount"):
                continue
            mode = data.get(f"{prefix}_mode") or CardEntryMode.TERMINAL
            if mode == CardEntryMode.MANUAL:
                found.append(
                    TenderIn(
                        method, data[f"{prefix}_amount"], entry_mode=mode,
                        card_last4=data[f"{prefix}_last4"].strip(),
                        card_brand=data[f"{prefix}_brand"],
                        approval_code=data[f"{prefix}_approval"].strip().upper(),
                    )
                )  # fmt: skip
            else:
                found.append(TenderIn(method, data[f"{prefix}_amount"], entry_mode=mode))
        return found

    def total(self) -> Decimal:
        return sum((t.amount for t in self.tenders()), Decimal("0.00"))


class ChargeForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=new_key)
    patient_amount = AmountField(label="Patient owes now", allow_zero=True)
    insurance_amount = AmountField(label="Pending with insurance", allow_zero=True)
    code = forms.CharField(label="CPT/HCPCS code", max_length=10, required=False)
    description = forms.CharField(max_length=200, required=False)
    visit = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, visits: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [("", "Not tied to a visit"), *visits]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("patient_amount") or data.get("insurance_amount")):
            raise forms.ValidationError("Enter an amount for the patient or for insurance.")
        return data


class AdjustmentForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=new_key)
    amount = AmountField(label="Amount", required=True)
    direction = forms.ChoiceField(
        choices=[("lowers", "Write off (lowers the balance)"), ("raises", "Debit (raises it)")],
        initial="lowers",
    )
    bucket = forms.ChoiceField(choices=Bucket.choices, initial=Bucket.PATIENT)
    reason = forms.CharField(max_length=300)
    visit = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, visits: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [("", "Not tied to a visit"), *visits]  # type: ignore[attr-defined]


class ReversalForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(max_length=300)
