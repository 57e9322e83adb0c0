"""One payment: the receipt summary with the change given in big type, the receipt PDF and
emailing it to the patient."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.errors import BillingError
from medoffice.billing.services import receipts
from medoffice.billing.views.desk_common import ADD_PAYMENT, VIEW_PAYMENT, payment_or_404
from medoffice.core.pdf import pdf_response
from medoffice.core.permissions import staff_view


@staff_view(VIEW_PAYMENT)
def payment(request: HttpRequest, payment_id: int) -> HttpResponse:
    found = payment_or_404(payment_id)
    record(AuditAction.READ, target=found, patient_id=found.patient_id, detail={"what": "payment"})
    context = receipts.receipt_context(found)
    context["email_refusal"] = receipts.email_refusal(found)
    return render(request, "billing/payment.html", context)


@staff_view(VIEW_PAYMENT)
def receipt_pdf(request: HttpRequest, payment_id: int) -> HttpResponse:
    found = payment_or_404(payment_id)
    record(AuditAction.READ, target=found, patient_id=found.patient_id, detail={"what": "receipt"})
    return pdf_response(receipts.receipt_pdf(found), receipts.receipt_filename(found))


@staff_view(ADD_PAYMENT)
@require_POST
def email_receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    found = payment_or_404(payment_id)
    try:
        receipts.email_receipt(found, acting_user=request.user)
    except BillingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The receipt is on its way to the patient's email address.")
    return redirect("billing:payment", payment_id=found.pk)


urlpatterns = [
    path("payments/<int:payment_id>/", payment, name="payment"),
    path("payments/<int:payment_id>/receipt.pdf", receipt_pdf, name="receipt_pdf"),
    path("payments/<int:payment_id>/email/", email_receipt, name="email_receipt"),
]
