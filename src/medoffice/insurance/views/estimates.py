"""Estimates at the desk: what the patient will owe for a visit, Good Faith Estimates for
uninsured and self-pay patients, and the manager's price table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core.pdf import pdf_response
from medoffice.core.permissions import staff_view
from medoffice.insurance import queries
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import AllowedAmount, GoodFaithEstimate, PlannedService
from medoffice.insurance.services import estimates
from medoffice.patients import queries as patients
from medoffice.scheduling import queries as scheduling

VIEW = "insurance.view_coverage"
ISSUE = "insurance.add_goodfaithestimate"
VIEW_GFE = "insurance.view_goodfaithestimate"
PRICES = "insurance.change_allowedamount"
MAX_LINES = 12


def estimate_context(appointment: Any) -> dict[str, Any]:
    """What ``insurance/_estimate.html`` needs for one appointment."""
    day = timezone.localdate(appointment.starts_at)
    found = estimates.estimate_visit(appointment.patient_id, appointment.appointment_type_id, day)
    return {"appointment": appointment, "visit_estimate": found}


@staff_view(VIEW)
def visit_estimate(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = scheduling.get_appointment(appointment_id)
    if appointment is None:
        raise Http404("No such appointment.")
    record(
        AuditAction.READ, actor=request.user, target=appointment,
        patient_id=appointment.patient_id, detail={"what": "patient estimate"},
    )  # fmt: skip
    return render(request, "insurance/_estimate.html", estimate_context(appointment))


def _posted_lines(request: HttpRequest) -> list[dict[str, Any]]:
    lines = []
    for i in range(MAX_LINES):
        code = request.POST.get(f"code_{i}", "").strip().upper()
        if not code:
            continue
        try:
            amount = Decimal(request.POST.get(f"amount_{i}", "").strip().lstrip("$"))
            units = int(request.POST.get(f"units_{i}", "1") or 1)
        except (InvalidOperation, ValueError):
            message = f"Line {i + 1}: enter units as a number and a price like 125.00."
            raise ValidationError(message) from None
        description = request.POST.get(f"description_{i}", "").strip()[:120]
        lines.append({"code": code, "description": description, "units": units, "amount": amount})
    return lines


@staff_view(ISSUE)
def good_faith_estimate(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patients.get_patient(patient_id)
    if patient is None:
        raise Http404("No such patient.")
    raw = request.GET.get("appointment") or request.POST.get("appointment") or ""
    appointment = scheduling.get_appointment(int(raw)) if raw.isdigit() else None
    if appointment is not None and appointment.patient_id != patient.pk:
        appointment = None
    day = timezone.localdate(appointment.starts_at) if appointment else timezone.localdate()
    error = ""
    if request.method == "POST":
        try:
            service_date = dt.date.fromisoformat(request.POST.get("service_date", ""))
            gfe = estimates.issue_good_faith_estimate(
                acting_user=request.user, patient=patient, service_date=service_date,
                lines=_posted_lines(request), appointment=appointment,
                provider=appointment.provider if appointment else None,
            )  # fmt: skip
        except ValueError:
            error = "Enter the scheduled date of service."
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except InsuranceRefused as exc:
            error = exc.message
        else:
            messages.success(request, f"Good Faith Estimate {gfe.number} issued.")
            return redirect("insurance:gfe_pdf", gfe.pk)
    lines = estimates.lines_for_gfe(appointment.appointment_type_id) if appointment else []
    record(
        AuditAction.READ, actor=request.user, target=patient, patient_id=patient.pk,
        detail={"what": "Good Faith Estimate form"},
    )  # fmt: skip
    rows = lines + [{"code": "", "description": "", "units": 1, "amount": ""}] * (
        max(3, len(lines) + 1) - len(lines)
    )
    issued = GoodFaithEstimate.objects.filter(patient=patient).order_by("-issued_at")[:20]
    context = {
        "patient": patient, "appointment": appointment, "service_date": day, "rows": rows,
        "error": error, "issued": issued,
        "coverage": queries.primary_coverage(patient.pk, on=day),
    }  # fmt: skip
    return render(request, "insurance/estimate_gfe.html", context, status=422 if error else 200)


@staff_view(VIEW_GFE)
def gfe_pdf(request: HttpRequest, gfe_id: int) -> HttpResponse:
    gfe = GoodFaithEstimate.objects.filter(pk=gfe_id).first()
    if gfe is None:
        raise Http404("No such estimate.")
    data = estimates.good_faith_estimate_pdf(gfe, acting_user=request.user)
    return pdf_response(data, f"good-faith-estimate-{gfe.pk}.pdf")


@staff_view(PRICES)
def prices(request: HttpRequest) -> HttpResponse:
    rows = AllowedAmount.objects.select_related("plan__payer").order_by("code", "plan_id")
    planned = PlannedService.objects.select_related("appointment_type").order_by(
        "appointment_type__name", "code"
    )
    context = {
        "rows": rows, "planned": planned, "plans": queries.plans(),
        "types": scheduling.list_appointment_types(),
    }  # fmt: skip
    return render(request, "insurance/estimate_prices.html", context)


@require_POST
@staff_view(PRICES)
def price_set(request: HttpRequest) -> HttpResponse:
    plan_raw = request.POST.get("plan", "")
    plan = queries.plans().filter(pk=int(plan_raw)).first() if plan_raw.isdigit() else None
    try:
        amount = Decimal(request.POST.get("amount", "").strip().lstrip("$"))
        estimates.set_allowed_amount(
            acting_user=request.user, code=request.POST.get("code", ""), amount=amount,
            plan=plan, description=request.POST.get("description", "").strip()[:120],
        )  # fmt: skip
    except InvalidOperation:
        messages.error(request, "Enter the amount like 125.00.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Price saved.")
    return redirect("insurance:prices")


@require_POST
@staff_view(PRICES)
def planned_set(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("appointment_type", "")
    kind = scheduling.get_appointment_type(int(raw)) if raw.isdigit() else None
    if kind is None:
        messages.error(request, "Choose a visit type.")
        return redirect("insurance:prices")
    pairs = []
    for item in request.POST.get("services", "").replace(";", ",").split(","):
        code, _, units = item.strip().partition("x")
        if code.strip():
            pairs.append((code.strip(), int(units) if units.strip().isdigit() else 1))
    try:
        estimates.set_planned_services(
            acting_user=request.user, appointment_type=kind, services=pairs
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Planned services for {kind.name} saved.")
    return redirect(reverse("insurance:prices"))


urlpatterns = [
    path("appointments/<int:appointment_id>/estimate/", visit_estimate, name="visit_estimate"),
    path(
        "patients/<int:patient_id>/good-faith-estimate/",
        good_faith_estimate,
        name="good_faith_estimate",
    ),
    path("good-faith-estimates/<int:gfe_id>/pdf/", gfe_pdf, name="gfe_pdf"),
    path("prices/", prices, name="prices"),
    path("prices/set/", price_set, name="price_set"),
    path("prices/planned/", planned_set, name="planned_set"),
]
