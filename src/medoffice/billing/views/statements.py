"""Statements: the runs, running statements now, a run's statements with their flags, marking
them sent, the PDFs (one statement, or a whole run for mailing) and one on demand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.errors import BillingError
from medoffice.billing.forms_office import MarkSentForm, RunStatementsForm
from medoffice.billing.models import Statement, StatementRun
from medoffice.billing.services import statements as service
from medoffice.billing.services.days import business_today
from medoffice.core.pdf import pdf_response
from medoffice.core.permissions import staff_view

VIEW, MANAGE = "billing.view_statement", "billing.manage_statements"
RUNS_SHOWN = 24
MAX_ROWS = 500


def audit_shown(request: HttpRequest, patient_ids: list[int], what: str, action: str) -> None:
    shown = sorted(set(patient_ids))
    if shown:
        record(action, actor=request.user, target_type="patients.patient",
               detail={"what": what, "shown": shown, "count": len(shown)})  # fmt: skip


def _runs() -> Any:
    return StatementRun.objects.select_related("created_by").annotate(
        count=Count("statements"),
        sent=Count("statements", filter=Q(statements__sent_at__isnull=False)),
        flagged=Count("statements", filter=~Q(statements__collections_flag="")),
    )


def _run_or_404(run_id: int) -> StatementRun:
    found = StatementRun.objects.filter(pk=run_id).first()
    if found is None:
        raise Http404("No such statement run.")
    return found


def _statement_or_404(statement_id: int) -> Statement:
    found = Statement.objects.select_related("patient").filter(pk=statement_id).first()
    if found is None:
        raise Http404("No such statement.")
    return found


@staff_view(VIEW)
def statements(request: HttpRequest) -> HttpResponse:
    form = RunStatementsForm(
        initial={"statement_date": business_today(), "minimum_balance": "5.00"}
    )
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        form = RunStatementsForm(request.POST)
        if form.is_valid():
            try:
                run = service.run_statements(
                    acting_user=request.user,
                    statement_date=form.cleaned_data["statement_date"],
                    message=form.cleaned_data["message"],
                    minimum_balance=form.cleaned_data["minimum_balance"],
                )
            except BillingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{run.statements.count()} statements made.")
                return redirect(f"{reverse('billing:statements')}?{urlencode({'run': run.pk})}")
    runs = list(_runs()[:RUNS_SHOWN])
    chosen = _chosen_run(request, runs)
    rows = []
    if chosen is not None:
        rows = list(chosen.statements.select_related("patient", "sent_by").order_by(
            "patient__last_name", "patient__first_name", "pk")[:MAX_ROWS])  # fmt: skip
        audit_shown(request, [s.patient_id for s in rows], "statement run", AuditAction.READ)
    context = {
        "form": form,
        "runs": runs,
        "run": chosen,
        "rows": rows,
        "sent_form": MarkSentForm(),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "billing/statements.html", context, status=400 if form.errors else 200)


def _chosen_run(request: HttpRequest, runs: list[StatementRun]) -> StatementRun | None:
    wanted = request.GET.get("run", "")
    if wanted.isdigit():
        found = next((r for r in runs if r.pk == int(wanted)), None)
        return found or _runs().filter(pk=int(wanted)).first()
    return runs[0] if runs else None


@require_POST
@staff_view(MANAGE)
def mark_sent(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    form = MarkSentForm(request.POST)
    back = f"{reverse('billing:statements')}?{urlencode({'run': run.pk})}"
    if not form.is_valid():
        messages.error(request, "Choose how the statements went out.")
        return redirect(back)
    picked = [int(v) for v in request.POST.getlist("statement") if v.isdigit()]
    chosen = run.statements.filter(pk__in=picked) if picked else run.statements.all()
    count = service.mark_sent(list(chosen), acting_user=request.user, via=form.cleaned_data["via"])
    messages.success(request, f"{count} statements marked {form.cleaned_data['via']}.")
    return redirect(back)


@staff_view(VIEW)
def statement_pdf(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _statement_or_404(statement_id)
    data = service.statement_pdf(statement)
    record(AuditAction.EXPORT, actor=request.user, target=statement,
           patient_id=statement.patient_id, detail={"what": "statement PDF"})  # fmt: skip
    return pdf_response(data, f"statement-{statement.pk}.pdf")


@staff_view(VIEW)
def run_pdf(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    data = service.run_pdf(run)
    ids = list(run.statements.values_list("patient_id", flat=True))
    audit_shown(request, ids, f"statement run {run.pk} PDF", AuditAction.EXPORT)
    return pdf_response(data, f"statements-{run.pk}.pdf")


@require_POST
@staff_view(MANAGE)
def statement_new(request: HttpRequest) -> HttpResponse:
    """One statement now for the patient named in the form (the account page posts here)."""
    from medoffice.patients import queries as patients

    raw = request.POST.get("patient", "")
    patient = patients.get_patient(int(raw)) if raw.isdigit() else None
    if patient is None:
        raise Http404("No such patient.")
    statement = service.statement_for(patient, acting_user=request.user,
                                      message=request.POST.get("message", "")[:500])  # fmt: skip
    return redirect("billing:statement_pdf", statement_id=statement.pk)


@require_POST
@staff_view(MANAGE)
def statement_email(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _statement_or_404(statement_id)
    try:
        service.email_statement(statement, acting_user=request.user)
    except BillingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The statement will be e-mailed in a moment.")
    back = reverse("billing:statements")
    return redirect(f"{back}?{urlencode({'run': statement.run_id})}" if statement.run_id else back)


urlpatterns = [
    path("statements/", statements, name="statements"),
    path("statements/new/", statement_new, name="statement_new"),
    path("statements/<int:statement_id>.pdf", statement_pdf, name="statement_pdf"),
    path("statements/<int:statement_id>/email/", statement_email, name="statement_email"),
    path("statements/runs/<int:run_id>.pdf", run_pdf, name="run_pdf"),
    path("statements/runs/<int:run_id>/sent/", mark_sent, name="statements_sent"),
]
