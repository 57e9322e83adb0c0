"""A patient's coverages: the ordered list with card pictures, add, edit, end, remove, reorder.

Views parse, authorize, call ``services.coverages`` and render. Every page showing member IDs
audits the read; card pictures are shown only through ``card``, which audits every look.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.accounts.access import record_view
from medoffice.core.permissions import staff_view
from medoffice.insurance import queries
from medoffice.insurance.choices import CardSide, CoverageStatus
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.forms_coverage import CardForm, CoverageForm, EndCoverageForm
from medoffice.insurance.models import Coverage, CoverageCard
from medoffice.insurance.services import coverages as services
from medoffice.patients import queries as patients

VIEW = "insurance.view_coverage"
ADD = "insurance.add_coverage"
CHANGE = "insurance.change_coverage"


def _patient_or_404(patient_id: int) -> Any:
    found = patients.get_patient(patient_id)
    if found is None:
        raise Http404("No such patient.")
    return found


def _coverage_or_404(coverage_id: int) -> Coverage:
    found = queries.get_coverage(coverage_id)
    if found is None:
        raise Http404("No such coverage.")
    return found


def _cards_prefetch() -> Prefetch:
    """The sides captured and when, never the pictures themselves."""
    rows = CoverageCard.objects.only("id", "coverage_id", "side", "captured_at")
    return Prefetch("cards", queryset=rows)


def coverages_for_page(patient_id: int) -> list[Coverage]:
    rows = (
        Coverage.objects.filter(patient_id=patient_id)
        .select_related("plan__payer", "subscriber_patient")
        .prefetch_related(_cards_prefetch())
        .order_by("status", "order", "-effective_date", "-pk")
    )
    return list(rows)


def _row(coverage: Coverage) -> dict[str, Any]:
    sides = {card.side: card for card in coverage.cards.all()}
    return {
        "coverage": coverage,
        "cards": [
            {"side": side, "label": label, "card": sides.get(side)}
            for side, label in CardSide.choices
        ],
    }


def _sequence_moving(active: list[Coverage], index: int) -> str:
    """The ids in order with the coverage at ``index`` moved one place up."""
    ids = [c.pk for c in active]
    ids[index - 1], ids[index] = ids[index], ids[index - 1]
    return ",".join(str(pk) for pk in ids)


@record_view(VIEW, "patients.patient", "patient_id")
def coverage_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient_or_404(patient_id)
    rows = coverages_for_page(patient.pk)
    active = [c for c in rows if c.status == CoverageStatus.ACTIVE]
    past = [c for c in rows if c.status != CoverageStatus.ACTIVE]
    services.audit_read(patient.pk, acting_user=request.user, what="coverages")
    context = {
        "patient": patient,
        "active": [
            {**_row(c), "move_up": _sequence_moving(active, i) if i else ""}
            for i, c in enumerate(active)
        ],
        "past": past,
        "can_add": request.user.has_perm(ADD) and patient.status != "merged",
        "can_change": request.user.has_perm(CHANGE),
        "today": timezone.localdate(),
    }
    return render(request, "insurance/coverage_list.html", context)


def _back(patient_id: int) -> HttpResponse:
    return redirect("insurance:coverages", patient_id=patient_id)


@staff_view(ADD)
def coverage_add(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient_or_404(patient_id)
    form = CoverageForm(request.POST if request.method == "POST" else None, patient=patient)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.add_coverage(
                patient,
                acting_user=request.user,
                plan=kwargs.pop("plan"),
                member_id=kwargs.pop("member_id"),
                effective_date=kwargs.pop("effective_date"),
                **kwargs,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except InsuranceRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Coverage added.")
            return _back(patient.pk)
    if request.method != "POST":
        services.audit_read(patient.pk, acting_user=request.user, what="coverage form")
        taken = {c.order for c in queries.coverages_of(patient.pk)}
        form.initial["order"] = next((n for n in (1, 2, 3) if n not in taken), 3)
    context = {"patient": patient, "form": form, "heading": "Add coverage"}
    return render(request, "insurance/coverage_form.html", context)


@staff_view(CHANGE)
def coverage_edit(request: HttpRequest, coverage_id: int) -> HttpResponse:
    coverage = _coverage_or_404(coverage_id)
    patient = _patient_or_404(coverage.patient_id)
    if coverage.status == CoverageStatus.REMOVED:
        messages.error(request, "This coverage was removed as entered in error.")
        return _back(patient.pk)
    data = request.POST if request.method == "POST" else None
    form = CoverageForm(data, patient=patient, coverage=coverage)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_coverage(coverage, acting_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.apply_errors(exc)
        except InsuranceRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Coverage saved.")
            return _back(patient.pk)
    if request.method != "POST":
        services.audit_read(
            patient.pk, acting_user=request.user, what="coverage form", target=coverage
        )
    context = {
        "patient": patient,
        "form": form,
        "coverage": coverage,
        "heading": f"Edit {coverage.get_order_display().lower()} coverage",
    }
    return render(request, "insurance/coverage_form.html", context)


@staff_view(CHANGE)
@require_POST
def coverage_end(request: HttpRequest, coverage_id: int) -> HttpResponse:
    coverage = _coverage_or_404(coverage_id)
    form = EndCoverageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the last day of coverage.")
        return _back(coverage.patient_id)
    try:
        services.end_coverage(
            coverage, acting_user=request.user, end_date=form.cleaned_data["end_date"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InsuranceRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Coverage ended.")
    return _back(coverage.patient_id)


@staff_view(CHANGE)
@require_POST
def coverage_remove(request: HttpRequest, coverage_id: int) -> HttpResponse:
    coverage = _coverage_or_404(coverage_id)
    try:
        services.remove_coverage(coverage, acting_user=request.user)
    except InsuranceRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Coverage removed as entered in error.")
    return _back(coverage.patient_id)


@staff_view(CHANGE)
@require_POST
def coverage_reorder(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient_or_404(patient_id)
    raw = request.POST.get("sequence", "")
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    try:
        services.reorder_coverages(patient, ids, acting_user=request.user)
    except InsuranceRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Order changed.")
    return _back(patient.pk)


@staff_view(VIEW)
def coverage_card(request: HttpRequest, coverage_id: int, side: str) -> HttpResponse:
    if side not in CardSide.values:
        raise Http404("No such side.")
    coverage = _coverage_or_404(coverage_id)
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        return _store_card(request, coverage, side)
    data = services.card_bytes(coverage, side, acting_user=request.user)
    if data is None:
        raise Http404("Not captured.")
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _store_card(request: HttpRequest, coverage: Coverage, side: str) -> HttpResponse:
    form = CardForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    try:
        services.attach_card(
            coverage,
            side,
            acting_user=request.user,
            upload=data.get("image"),
            data_url=data.get("data_url") or "",
            source=data.get("source") or "upload",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        status = 422
    except InsuranceRefused as exc:
        messages.error(request, exc.message)
        status = 409
    else:
        messages.success(request, f"Card {CardSide(side).label.lower()} saved.")
        status = 204
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=status)
    return _back(coverage.patient_id)


urlpatterns: list[URLPattern] = [
    path("patients/<int:patient_id>/coverages/", coverage_list, name="coverages"),
    path("patients/<int:patient_id>/coverages/add/", coverage_add, name="coverage_add"),
    path("patients/<int:patient_id>/coverages/reorder/", coverage_reorder, name="coverage_reorder"),
    path("coverages/<int:coverage_id>/edit/", coverage_edit, name="coverage_edit"),
    path("coverages/<int:coverage_id>/end/", coverage_end, name="coverage_end"),
    path("coverages/<int:coverage_id>/remove/", coverage_remove, name="coverage_remove"),
    path("coverages/<int:coverage_id>/cards/<str:side>/", coverage_card, name="coverage_card"),
]
