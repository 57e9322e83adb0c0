"""The patient account: the balance split (owes now / pending with insurance), per-visit
balances, the ledger with a running balance, payments with receipts; charges, adjustments and
reversals for those who may adjust accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.choices import Bucket, EntryKind
from medoffice.billing.errors import BillingError
from medoffice.billing.forms_desk import AdjustmentForm, ChargeForm, ReversalForm
from medoffice.billing.models import LedgerEntry
from medoffice.billing.rules.money import ZERO
from medoffice.billing.services.ledger import post_adjustment, post_charge, reverse_entry
from medoffice.billing.views.desk_common import (
    ADJUST,
    VIEW_LEDGER,
    appointment_of,
    patient_or_404,
    recent_visits,
    visit_label,
)
from medoffice.core.once import claim_once
from medoffice.core.permissions import staff_view

NO_REASON = "Say why the entry is reversed."
NO_ENTRY = "No such entry on this account."
REVERSIBLE = (EntryKind.CHARGE, EntryKind.ADJUSTMENT, EntryKind.TRANSFER)


@dataclass(frozen=True)
class LedgerRow:
    entry: LedgerEntry
    visit: str
    running: Decimal  # what the patient owes after this entry (patient bucket)
    reversible: bool


def ledger_rows(patient_id: int) -> tuple[list[LedgerRow], dict[int, Any]]:
    """The ledger oldest first with the running patient balance, and the visits it names."""
    entries = list(
        queries.ledger_of(patient_id).select_related(
            "appointment__location", "appointment__provider"
        )
    )
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
    running = ZERO
    rows, visits = [], {}
    for entry in entries:
        if entry.bucket == Bucket.PATIENT:
            running += entry.amount
        visit = entry.appointment
        if visit is not None:
            visits[visit.pk] = visit
        rows.append(
            LedgerRow(
                entry=entry,
                visit=visit_label(visit) if visit is not None else "On account",
                running=running,
                reversible=entry.kind in REVERSIBLE and entry.pk not in reversed_ids,
            )
        )
    return rows, visits


def account_context(request: HttpRequest, patient: Any, **forms: Any) -> dict[str, Any]:
    rows, visits = ledger_rows(patient.pk)
    by_visit = queries.visit_balances(patient.pk)
    context: dict[str, Any] = {
        "patient": patient,
        "balance": queries.balance_of(patient.pk),
        "visit_balances": [
            {"label": visit_label(visits[v]) if v in visits else "On account", "balance": b}
            for v, b in sorted(by_visit.items(), key=lambda item: (item[0] is None, item[0] or 0))
        ],
        "rows": list(reversed(rows)),
        "payments": list(queries.payments_of(patient.pk).order_by("-received_at", "-id")[:100]),
        "can_adjust": request.user.has_perm(ADJUST),
        "can_collect": request.user.has_perm("billing.add_payment"),
        "can_plan": request.user.has_perm("billing.manage_payment_plans"),
        "can_statement": request.user.has_perm("billing.manage_statements"),
        "can_refund": request.user.has_perm("billing.request_refund"),
    }
    if context["can_adjust"]:
        choices = [(v.pk, visit_label(v)) for v in recent_visits(patient.pk)]
        context["charge_form"] = forms.get("charge_form") or ChargeForm(visits=choices)
        context["adjustment_form"] = forms.get("adjustment_form") or AdjustmentForm(visits=choices)
        context["reversal_error"] = forms.get("reversal_error", "")
    return context


def _render(request: HttpRequest, patient: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    record(AuditAction.READ, target=patient, patient_id=patient.pk, detail={"what": "account"})
    context = account_context(request, patient, **forms)
    return render(request, "billing/account.html", context, status=status)


@staff_view(VIEW_LEDGER)
def account(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _render(request, patient_or_404(patient_id))


def _visit(patient: Any, visit_id: int | None) -> Any:
    return appointment_of(patient, visit_id) if visit_id else None


def _choices(patient: Any) -> list[tuple[int, str]]:
    return [(v.pk, visit_label(v)) for v in recent_visits(patient.pk)]


def _posted_once(
    request: HttpRequest, patient: Any, form: Any, what: str, post: Callable[[dict[str, Any]], Any]
) -> HttpResponse | None:
    """Post a valid form once per its key; the redirect, or None to show the form again."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            if claim_once(request.user, form.cleaned_data["key"], path=request.path):
                post(form.cleaned_data)
                messages.success(request, f"{what} posted.")
            else:
                messages.info(request, f"That {what.lower()} was already posted.")
    except BillingError as exc:
        form.add_error(None, str(exc))
        return None
    return redirect("billing:account", patient_id=patient.pk)


@staff_view(ADJUST)
@require_POST
def charge(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    form = ChargeForm(request.POST, visits=_choices(patient))
    done = _posted_once(request, patient, form, "Charge", lambda data: post_charge(
        patient, acting_user=request.user,
        patient_amount=data["patient_amount"] or ZERO,
        insurance_amount=data["insurance_amount"] or ZERO,
        appointment=_visit(patient, data["visit"]),
        code=data["code"].strip().upper(), description=data["description"].strip(),
    ))  # fmt: skip
    return done or _render(request, patient, status=422, charge_form=form)


@staff_view(ADJUST)
@require_POST
def adjustment(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    form = AdjustmentForm(request.POST, visits=_choices(patient))
    done = _posted_once(request, patient, form, "Adjustment", lambda data: post_adjustment(
        patient, acting_user=request.user, amount=data["amount"],
        lowers=data["direction"] == "lowers", reason=data["reason"],
        bucket=data["bucket"], appointment=_visit(patient, data["visit"]),
    ))  # fmt: skip
    return done or _render(request, patient, status=422, adjustment_form=form)


@staff_view(ADJUST)
@require_POST
def reversal(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        return _render(request, patient, status=422, reversal_error=NO_REASON)
    entry = LedgerEntry.objects.filter(pk=form.cleaned_data["entry"], patient_id=patient.pk).first()
    if entry is None:
        return _render(request, patient, status=422, reversal_error=NO_ENTRY)
    try:
        reverse_entry(entry, acting_user=request.user, reason=form.cleaned_data["reason"])
    except BillingError as exc:
        return _render(request, patient, status=422, reversal_error=str(exc))
    messages.success(request, "Entry reversed.")
    return redirect("billing:account", patient_id=patient.pk)


urlpatterns = [
    path("account/<int:patient_id>/", account, name="account"),
    path("account/<int:patient_id>/charges/", charge, name="post_charge"),
    path("account/<int:patient_id>/adjustments/", adjustment, name="post_adjustment"),
    path("account/<int:patient_id>/reversals/", reversal, name="reverse_entry"),
]
