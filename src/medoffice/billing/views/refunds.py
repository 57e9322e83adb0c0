"""Refund pages: pending refunds for a manager to approve or decline, recent decisions, and the
request form for one patient (found by id from their account, or by MRN). Reads that show
patients are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.choices import TenderMethod
from medoffice.billing.errors import BillingError
from medoffice.billing.models import Refund
from medoffice.billing.services import refunds as service
from medoffice.core.permissions import staff_view

REQUEST, APPROVE = "billing.request_refund", "billing.approve_refund"


def _shown(request: HttpRequest, patient_ids: list[int], what: str) -> None:
    if patient_ids:
        record(AuditAction.READ, actor=request.user, target_type="patients.patient",
               detail={"what": what, "shown": sorted(set(patient_ids))})  # fmt: skip


@staff_view(REQUEST)
@require_GET
def refunds(request: HttpRequest) -> HttpResponse:
    pending = list(service.pending_refunds())
    recent = service.recent_refunds(20)
    _shown(request, [r.patient_id for r in pending + recent], "refunds")
    context = {"pending": pending, "recent": recent, "can_decide": request.user.has_perm(APPROVE)}
    return render(request, "billing/refunds.html", context)


def _patient(request: HttpRequest) -> Any:
    from medoffice.patients import queries as patients

    raw = (request.GET.get("patient") or request.POST.get("patient") or "").strip()
    mrn = (request.GET.get("mrn") or "").strip()
    if raw.isdigit():
        return patients.get_patient(int(raw))
    if mrn:
        return patients.get_by_mrn(mrn)
    return None


@staff_view(REQUEST)
@require_http_methods(["GET", "POST"])
def refund_request(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    if patient is None and (request.GET.get("patient") or request.POST.get("patient")):
        raise Http404
    context: dict[str, Any] = {"patient": patient, "error": "", "posted": request.POST,
                               "methods": TenderMethod.choices}  # fmt: skip
    status = 200
    if patient is not None:
        if request.method == "POST":
            try:
                refund = service.request_refund(
                    patient, acting_user=request.user, amount=request.POST.get("amount", ""),
                    method=request.POST.get("method", ""), reason=request.POST.get("reason", ""),
                    payment=_payment(patient, request.POST.get("payment", "")),
                )  # fmt: skip
            except BillingError as exc:
                context["error"], status = str(exc), 400
            else:
                messages.success(request, f"Refund {refund.pk} is waiting for a manager.")
                return redirect("billing:refunds")
        context["balance"] = queries.balance_of(patient.pk)
        context["payments"] = list(queries.payments_of(patient.pk)[:20])
        _shown(request, [patient.pk], "refund request")
    return render(request, "billing/refund_request.html", context, status=status)


def _payment(patient: Any, raw: str) -> Any:
    if not raw.strip():
        return None
    found = queries.get_payment(int(raw)) if raw.strip().isdigit() else None
    if found is None or found.patient_id != patient.pk:
        raise BillingError("Choose one of this patient's payments.")
    return found


def _decide(request: HttpRequest, refund_id: int, approve: bool) -> HttpResponse:
    refund = Refund.objects.filter(pk=refund_id).first()
    if refund is None:
        raise Http404
    try:
        if approve:
            service.approve_refund(
                refund, acting_user=request.user, note=request.POST.get("note", ""),
                check_number=request.POST.get("check_number", ""),
                approval_code=request.POST.get("approval_code", ""),
            )  # fmt: skip
            messages.success(request, f"Refund {refund.pk} is approved and posted.")
        else:
            service.decline_refund(refund, acting_user=request.user,
                                   note=request.POST.get("note", ""))  # fmt: skip
            messages.success(request, f"Refund {refund.pk} is declined.")
    except BillingError as exc:
        messages.error(request, str(exc))
    return redirect("billing:refunds")


@staff_view(APPROVE)
@require_POST
def approve(request: HttpRequest, refund_id: int) -> HttpResponse:
    return _decide(request, refund_id, approve=True)


@staff_view(APPROVE)
@require_POST
def decline(request: HttpRequest, refund_id: int) -> HttpResponse:
    return _decide(request, refund_id, approve=False)


urlpatterns = [
    path("refunds/", refunds, name="refunds"),
    path("refunds/new/", refund_request, name="refund_request"),
    path("refunds/<int:refund_id>/approve/", approve, name="refund_approve"),
    path("refunds/<int:refund_id>/decline/", decline, name="refund_decline"),
]
