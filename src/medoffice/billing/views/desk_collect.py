"""Collecting a payment at the desk (GET the form, POST it): split tender, the card terminal or
keyed-in approvals, posted once per form (the hidden key), then the receipt page.

Works with HTMX (the form swaps itself with its errors; success answers ``HX-Redirect``) and
without JavaScript (errors re-render the page; success redirects)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from medoffice.billing import queries
from medoffice.billing.choices import PaymentPurpose
from medoffice.billing.errors import AmountError, BillingError
from medoffice.billing.forms_desk import DESK_PURPOSES, PaymentForm, new_key
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services.collect import collect_payment
from medoffice.billing.services.days import business_today
from medoffice.billing.views.desk_common import ADD_PAYMENT, appointment_of, patient_or_404
from medoffice.core.permissions import staff_view


def _suggested(raw: str | None) -> Decimal | None:
    try:
        return parse_amount(raw) if raw else None
    except AmountError:
        return None


def _initial(request: HttpRequest) -> dict[str, Any]:
    purpose = request.GET.get("purpose", "")
    if purpose not in dict(DESK_PURPOSES):
        purpose = PaymentPurpose.COPAY if request.GET.get("appointment") else PaymentPurpose.BALANCE
    initial: dict[str, Any] = {"purpose": purpose, "key": new_key()}
    amount = _suggested(request.GET.get("amount"))
    if amount is not None:
        initial["cash_amount"] = amount
    return initial


def _context(request: HttpRequest, patient: Any, form: PaymentForm, appointment: Any) -> dict:
    drawer = queries.open_drawer_of(int(request.user.pk or 0), business_today())
    return {
        "patient": patient,
        "form": form,
        "appointment": appointment,
        "balance": queries.balance_of(patient.pk),
        "drawer_open": drawer is not None,
        "action": request.get_full_path(),
        "card_rows": [
            {"prefix": prefix, "label": label}
            for prefix, label in (("card", "Card"), ("hsa", "HSA/FSA card"))
        ],
    }


def _answer(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    template = (
        "billing/_collect_form.html"
        if request.headers.get("HX-Request")
        else ("billing/collect.html")
    )
    return render(request, template, context, status=status)


@staff_view(ADD_PAYMENT)
def collect(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    appointment = appointment_of(patient, request.GET.get("appointment"))
    if request.method != "POST":
        form = PaymentForm(initial=_initial(request))
        return _answer(request, _context(request, patient, form, appointment))
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            posted = collect_payment(
                patient, acting_user=request.user, tenders=form.tenders(),
                purpose=data["purpose"], appointment=appointment, key=data["key"],
                note=data.get("note", ""),
            )  # fmt: skip
        except BillingError as exc:
            # nothing was posted: a new key, so a corrected retry is a new sale at the terminal
            values = request.POST.copy()
            values["key"] = new_key()
            refused = PaymentForm(values)
            refused.is_valid()
            refused.add_error(None, str(exc))
            form = refused
        else:
            target = reverse("billing:payment", args=[posted.payment.pk])
            if request.headers.get("HX-Request"):
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
    status = 200 if request.headers.get("HX-Request") else 422
    return _answer(request, _context(request, patient, form, appointment), status=status)


urlpatterns = [path("account/<int:patient_id>/collect/", collect, name="collect")]
