"""Payment plans: active plans with what is due, the worklist of instalments due or overdue,
sending reminders, one plan's instalments, setting up and cancelling a plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.errors import BillingError
from medoffice.billing.forms_office import CancelPlanForm, PlanForm
from medoffice.billing.models import PaymentPlan
from medoffice.billing.services import plans as service
from medoffice.billing.services.days import business_today
from medoffice.billing.views.statements import audit_shown
from medoffice.core.permissions import staff_view

VIEW, MANAGE = "billing.view_paymentplan", "billing.manage_payment_plans"
MAX_ROWS = 300


def _plan_or_404(plan_id: int) -> PaymentPlan:
    found = PaymentPlan.objects.select_related("patient", "created_by", "ended_by").filter(
        pk=plan_id
    )
    plan = found.first()
    if plan is None:
        raise Http404("No such payment plan.")
    return plan


@staff_view(VIEW)
def plans(request: HttpRequest) -> HttpResponse:
    today = business_today()
    active = list(service.active_plans().order_by("patient__last_name", "pk")[:MAX_ROWS])
    statuses = service.plan_statuses(active, today=today)
    due = service.due_reminders(today)
    audit_shown(request, [p.patient_id for p in active] + [d.plan.patient_id for d in due],
                "payment plans", AuditAction.READ)  # fmt: skip
    context = {
        "statuses": statuses,
        "due": due,
        "today": today,
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "billing/plans.html", context)


@require_POST
@staff_view(MANAGE)
def send_reminders(request: HttpRequest) -> HttpResponse:
    count = service.send_instalment_reminders(on=business_today())
    messages.success(request, f"{count} instalment reminders recorded.")
    return redirect("billing:plans")


@staff_view(VIEW)
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = _plan_or_404(plan_id)
    status = service.plan_status(found)
    record(AuditAction.READ, actor=request.user, target=found, patient_id=found.patient_id,
           detail={"what": "payment plan"})  # fmt: skip
    context = {
        "status": status,
        "plan": found,
        "cancel_form": CancelPlanForm(),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "billing/plan.html", context)


@require_POST
@staff_view(MANAGE)
def cancel(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = _plan_or_404(plan_id)
    form = CancelPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the payment plan is cancelled.")
    else:
        try:
            service.cancel_plan(found, acting_user=request.user, reason=form.cleaned_data["reason"])
        except BillingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The payment plan is cancelled.")
    return redirect("billing:plan", plan_id=found.pk)


@staff_view(MANAGE)
def plan_new(request: HttpRequest) -> HttpResponse:
    from medoffice.patients import queries as patients

    raw = request.GET.get("patient") or request.POST.get("patient") or ""
    patient = patients.get_patient(int(raw)) if raw.isdigit() else None
    if patient is None:
        raise Http404("Open the payment plan from the patient's account.")
    balance = queries.balance_of(patient.pk)
    form = PlanForm(initial={"total": f"{balance.due_now}", "first_due": business_today()})
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                made = service.create_plan(patient, acting_user=request.user, **form.cleaned_data)
            except BillingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Payment plan set up.")
                return redirect("billing:plan", plan_id=made.pk)
    record(AuditAction.READ, actor=request.user, target=patient, patient_id=patient.pk,
           detail={"what": "payment plan form"})  # fmt: skip
    context = {"form": form, "patient": patient, "balance": balance}
    return render(request, "billing/plan_form.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("plans/", plans, name="plans"),
    path("plans/new/", plan_new, name="plan_new"),
    path("plans/reminders/", send_reminders, name="plan_reminders"),
    path("plans/<int:plan_id>/", plan, name="plan"),
    path("plans/<int:plan_id>/cancel/", cancel, name="plan_cancel"),
]
