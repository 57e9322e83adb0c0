"""Statements, payment plans and billing reports in the API.

Statements: run a cycle, list and read runs and statements, their PDFs, mark them sent, one on
demand. Plans: set up (``Idempotency-Key``), read with status, cancel, list instalments due.
Reports: the payments journal and the aging report as JSON or CSV. Refusals answer 409, bad
input 422 (problem details); reads of patients' figures are audited.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema, Status

from medoffice.api.idempotency import idempotent
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import api_schemas_office as s
from medoffice.billing.api_problems import ANSWERS as PROBLEM_ANSWERS
from medoffice.billing.api_problems import InvalidProblem, Problem
from medoffice.billing.errors import AmountError, BillingError
from medoffice.billing.models import PaymentPlan, Statement, StatementRun
from medoffice.billing.services import plans, statements
from medoffice.billing.services.aging import aging_report, aging_totals
from medoffice.billing.services.days import business_today
from medoffice.billing.services.journal import (
    MAX_DAYS,
    aging_csv,
    journal_csv,
    journal_totals,
    payments_journal,
)
from medoffice.core.pdf import pdf_response

router = Router(tags=["billing"])
VIEW_ST, MANAGE_ST = "billing.view_statement", "billing.manage_statements"
VIEW_PLAN, MANAGE_PLAN = "billing.view_paymentplan", "billing.manage_payment_plans"
REPORTS = "billing.view_billing_reports"
PROBLEMS = "https://medoffice.example/problems/"
ANSWERS = PROBLEM_ANSWERS
LIMIT = 200


def _f(value: Decimal) -> str:
    return format(value, "f")


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(422, "Invalid input", message,
                        extra={"errors": [{"field": field, "message": message}]})  # fmt: skip


def _refused(exc: BillingError, field: str = "amount") -> ProblemError:
    if isinstance(exc, AmountError):
        return _invalid(field, str(exc))
    return ProblemError(409, "Refused", str(exc), type_=PROBLEMS + "billing-refused")


def _not_found(what: str, pk: int) -> ProblemError:
    return ProblemError(404, "Not found", f"No {what} with id {pk}.")


def _shown(request: HttpRequest, ids: list[int], what: str, action: str = AuditAction.READ) -> None:
    shown = sorted(set(ids))
    if shown:
        record(action, actor=request.user, target_type="patients.patient",
               detail={"what": what, "shown": shown, "count": len(shown)})  # fmt: skip


def _patient(patient_id: int) -> Any:
    from medoffice.patients import queries as patients

    found = patients.get_patient_row(patient_id)
    if found is None:
        raise _invalid("patient_id", f"No patient with id {patient_id}.")
    return found


def _aging(row: Any) -> dict[str, str]:
    return {name: _f(getattr(row, name)) for name in
            ("current", "days_31_60", "days_61_90", "days_91_120", "days_over_120")}  # fmt: skip


# ---- statements -----------------------------------------------------------------------------


def _runs() -> Any:
    return StatementRun.objects.select_related("created_by").annotate(
        count=Count("statements"),
        sent=Count("statements", filter=Q(statements__sent_at__isnull=False)),
        flagged=Count("statements", filter=~Q(statements__collections_flag="")),
    )


def _run_out(run: Any) -> dict[str, Any]:
    return {
        "id": run.pk, "statement_date": run.statement_date, "created_at": run.created_at,
        "created_by": run.created_by.get_username(), "message": run.message,
        "minimum_balance": _f(run.minimum_balance), "count": run.count, "sent": run.sent,
        "flagged": run.flagged,
        "pdf": reverse("api:billing-statement-run-pdf", args=[run.pk]),
    }  # fmt: skip


def _statement_out(st: Statement) -> dict[str, Any]:
    return {
        "id": st.pk, "run_id": st.run_id, "patient_id": st.patient_id,
        "statement_date": st.statement_date, "due_on": st.due_on,
        "balance_due": _f(st.balance_due), "pending_insurance": _f(st.pending_insurance),
        "aging": _aging(st), "collections_flag": st.collections_flag, "message": st.message,
        "addressee": st.content.get("addressee", {}), "lines": st.content.get("lines", []),
        "sent_at": st.sent_at, "sent_via": st.sent_via,
        "pdf": reverse("api:billing-statement-pdf", args=[st.pk]),
    }  # fmt: skip


def _run_or_404(run_id: int) -> Any:
    found = _runs().filter(pk=run_id).first()
    if found is None:
        raise _not_found("statement run", run_id)
    return found


def _statement_or_404(statement_id: int) -> Statement:
    found = Statement.objects.filter(pk=statement_id).first()
    if found is None:
        raise _not_found("statement", statement_id)
    return found


@router.post("/statement-runs", response={201: s.StatementRunOut, **ANSWERS},
             url_name="billing-statement-runs-new")  # fmt: skip
@idempotent
def run_statements(request: HttpRequest, payload: s.StatementRunIn) -> Any:
    """Run the statement cycle for a date: one statement per patient owing at least the minimum.
    A second run for the same date answers 409."""
    require(request, MANAGE_ST)
    try:
        run = statements.run_statements(
            acting_user=request.user, statement_date=payload.statement_date,
            message=payload.message, minimum_balance=payload.minimum_balance,
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc, "minimum_balance") from None
    return Status(201, _run_out(_run_or_404(run.pk)))


@router.get("/statement-runs", response=list[s.StatementRunOut], url_name="billing-statement-runs")
def list_runs(request: HttpRequest) -> Any:
    """Statement runs, newest first (at most 200)."""
    require(request, VIEW_ST)
    return [_run_out(run) for run in _runs()[:LIMIT]]


@router.get("/statement-runs/{int:run_id}", response={200: s.StatementRunDetailOut, 404: Problem},
            url_name="billing-statement-run")  # fmt: skip
def get_run(request: HttpRequest, run_id: int) -> Any:
    """A run with its statements (patient, MRN, amounts, flag, sent)."""
    require(request, VIEW_ST)
    run = _run_or_404(run_id)
    rows = list(run.statements.select_related("patient").order_by("pk"))
    _shown(request, [r.patient_id for r in rows], "statement run (API)")
    items = [
        {"id": r.pk, "patient_id": r.patient_id, "mrn": r.patient.mrn,
         "balance_due": _f(r.balance_due), "pending_insurance": _f(r.pending_insurance),
         "collections_flag": r.collections_flag, "sent_via": r.sent_via, "sent_at": r.sent_at}
        for r in rows
    ]  # fmt: skip
    return {**_run_out(run), "statements": items}


@router.get("/statement-runs/{int:run_id}/pdf", url_name="billing-statement-run-pdf",
            response={200: None, 404: Problem})  # fmt: skip
def get_run_pdf(request: HttpRequest, run_id: int) -> HttpResponse:
    """Every statement of the run in one PDF, for mailing."""
    require(request, VIEW_ST)
    run = _run_or_404(run_id)
    data = statements.run_pdf(run)
    ids = list(run.statements.values_list("patient_id", flat=True))
    _shown(request, ids, f"statement run {run.pk} PDF (API)", AuditAction.EXPORT)
    return pdf_response(data, f"statements-{run.pk}.pdf")


@router.post("/statement-runs/{int:run_id}/sent", response={200: s.MarkedOut, **ANSWERS},
             url_name="billing-statement-run-sent")  # fmt: skip
@idempotent
def mark_run_sent(request: HttpRequest, run_id: int, payload: s.MarkSentIn) -> Any:
    """Mark the run's statements (or the ones listed) sent; those already sent are left as
    they are. Answers how many were marked now."""
    require(request, MANAGE_ST)
    run = _run_or_404(run_id)
    chosen = run.statements.all()
    if payload.statement_ids is not None:
        chosen = chosen.filter(pk__in=payload.statement_ids)
    marked = statements.mark_sent(list(chosen), acting_user=request.user, via=payload.via)
    return {"marked": marked}


@router.post("/statements", response={201: s.StatementOut, **ANSWERS},
             url_name="billing-statements-new")  # fmt: skip
@idempotent
def statement_on_demand(request: HttpRequest, payload: s.StatementIn) -> Any:
    """One patient's statement now (not part of a run)."""
    require(request, MANAGE_ST)
    made = statements.statement_for(
        _patient(payload.patient_id), acting_user=request.user, message=payload.message
    )
    return Status(201, _statement_out(made))


@router.get("/statements/{int:statement_id}", response={200: s.StatementOut, 404: Problem},
            url_name="billing-statement")  # fmt: skip
def get_statement(request: HttpRequest, statement_id: int) -> Any:
    require(request, VIEW_ST)
    found = _statement_or_404(statement_id)
    record(AuditAction.READ, actor=request.user, target=found, patient_id=found.patient_id,
           detail={"what": "statement (API)"})  # fmt: skip
    return _statement_out(found)


@router.get("/statements/{int:statement_id}/pdf", url_name="billing-statement-pdf",
            response={200: None, 404: Problem})  # fmt: skip
def get_statement_pdf(request: HttpRequest, statement_id: int) -> HttpResponse:
    require(request, VIEW_ST)
    found = _statement_or_404(statement_id)
    data = statements.statement_pdf(found)
    record(AuditAction.EXPORT, actor=request.user, target=found, patient_id=found.patient_id,
           detail={"what": "statement PDF (API)"})  # fmt: skip
    return pdf_response(data, f"statement-{found.pk}.pdf")


# ---- payment plans --------------------------------------------------------------------------


def _plan_out(status: plans.PlanStatusView) -> dict[str, Any]:
    plan = status.plan
    return {
        "id": plan.pk, "patient_id": plan.patient_id, "status": plan.status,
        "total": _f(plan.total), "frequency": plan.frequency, "first_due": plan.first_due,
        "note": plan.note, "paid": _f(status.paid), "remaining": _f(status.remaining),
        "amount_due_now": _f(status.amount_due_now),
        "next_due_on": status.next_due.due_on if status.next_due else None,
        "instalments": [
            {"number": v.number, "due_on": v.due_on, "amount": _f(v.amount), "paid": _f(v.paid),
             "left": _f(v.left), "state": v.state, "reminded_at": v.instalment.reminded_at}
            for v in status.instalments
        ],
    }  # fmt: skip


def _plan_or_404(plan_id: int) -> PaymentPlan:
    found = PaymentPlan.objects.filter(pk=plan_id).first()
    if found is None:
        raise _not_found("payment plan", plan_id)
    return found


@router.post("/payment-plans", response={201: s.PlanOut, **ANSWERS},
             url_name="billing-plans-new")  # fmt: skip
@idempotent
def create_plan(request: HttpRequest, payload: s.PlanIn) -> Any:
    """Split what the patient owes now (or part of it) into 2-36 instalments. 409: more than
    owed, or an active plan already; 422: a malformed total."""
    require(request, MANAGE_PLAN)
    patient = _patient(payload.patient_id)
    try:
        plan = plans.create_plan(
            patient, acting_user=request.user, total=payload.total,
            instalments=payload.instalments, frequency=payload.frequency,
            first_due=payload.first_due, note=payload.note,
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc, "total") from None
    return Status(201, _plan_out(plans.plan_status(plan)))


class DueFilter(Schema):
    on: dt.date | None = None


@router.get("/payment-plans/due", response=list[s.DueOut], url_name="billing-plans-due")
def list_due(request: HttpRequest, filters: Query[DueFilter]) -> Any:
    """Instalments of active plans due within three days of ``on`` (default today) or overdue."""
    require(request, VIEW_PLAN)
    due = plans.due_reminders(filters.on or business_today())
    _shown(request, [d.plan.patient_id for d in due], "instalments due (API)")
    return [
        {"plan_id": d.plan.pk, "patient_id": d.plan.patient_id, "number": d.instalment.number,
         "due_on": d.instalment.due_on, "left": _f(d.left), "overdue": d.overdue,
         "reminded": d.reminded}
        for d in due
    ]  # fmt: skip


@router.get("/payment-plans/{int:plan_id}", response={200: s.PlanOut, 404: Problem},
            url_name="billing-plan")  # fmt: skip
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    """A plan with what it has received and each instalment paid, partly paid, due or overdue."""
    require(request, VIEW_PLAN)
    plan = _plan_or_404(plan_id)
    record(AuditAction.READ, actor=request.user, target=plan, patient_id=plan.patient_id,
           detail={"what": "payment plan (API)"})  # fmt: skip
    return _plan_out(plans.plan_status(plan))


@router.post("/payment-plans/{int:plan_id}/cancel", response={200: s.PlanOut, **ANSWERS},
             url_name="billing-plan-cancel")  # fmt: skip
@idempotent
def cancel_plan(request: HttpRequest, plan_id: int, payload: s.CancelIn) -> Any:
    require(request, MANAGE_PLAN)
    plan = _plan_or_404(plan_id)
    try:
        plan = plans.cancel_plan(plan, acting_user=request.user, reason=payload.reason)
    except BillingError as exc:
        raise _refused(exc, "reason") from None
    return _plan_out(plans.plan_status(plan))


# ---- reports --------------------------------------------------------------------------------


class JournalFilter(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    user_id: int | None = None
    method: str | None = None


def _period(filters: JournalFilter) -> tuple[dt.date, dt.date]:
    today = business_today()
    start, end = filters.start or today, filters.end or filters.start or today
    if end < start:
        raise _invalid("end", "The end date is before the start date.")
    if (end - start).days > MAX_DAYS:
        raise _invalid("end", "Choose at most a year at a time.")
    if filters.method and filters.method not in ("cash", "check", "card", "hsa"):
        raise _invalid("method", "Method is cash, check, card or hsa.")
    return start, end


@router.get("/reports/journal", response={200: s.JournalOut, 422: InvalidProblem},
            url_name="billing-journal")  # fmt: skip
def journal(request: HttpRequest, filters: Query[JournalFilter]) -> Any:
    """Payments of a period (default today) with tenders, who took them and what they paid."""
    require(request, REPORTS)
    start, end = _period(filters)
    rows = payments_journal(start, end, user=filters.user_id, method=filters.method)
    _shown(request, [r.patient_id for r in rows], "payments journal (API)")
    totals = journal_totals(rows)
    items = [
        {**{k: getattr(r, k) for k in ("payment_id", "receipt_number", "received_at",
            "received_on", "patient_id", "patient_name", "mrn", "purpose", "received_by",
            "applied_to")},
         "amount": _f(r.amount),
         "tenders": [{"method": m, "amount": _f(a)} for m, (_, a) in
                     zip(r.methods, r.tenders, strict=True)]}
        for r in rows
    ]  # fmt: skip
    return {"start": start, "end": end, "count": totals.count, "total": _f(totals.total),
            "by_method": {k: _f(v) for k, v in totals.by_method.items()},
            "items": items}  # fmt: skip


@router.get("/reports/journal.csv", url_name="billing-journal-csv",
            response={200: None, 422: InvalidProblem})  # fmt: skip
def journal_as_csv(request: HttpRequest, filters: Query[JournalFilter]) -> HttpResponse:
    require(request, REPORTS)
    start, end = _period(filters)
    rows = payments_journal(start, end, user=filters.user_id, method=filters.method)
    _shown(request, [r.patient_id for r in rows], "payments journal CSV (API)", AuditAction.EXPORT)
    return _csv(journal_csv(rows), f"payments-journal-{start}-{end}.csv")


class AgingFilter(Schema):
    as_of: dt.date | None = None


@router.get("/reports/aging", response=s.AgingReportOut, url_name="billing-aging")
def aging(request: HttpRequest, filters: Query[AgingFilter]) -> Any:
    """What each patient owes by age (FIFO), pending insurance, flags and last payment."""
    require(request, REPORTS)
    as_of = filters.as_of or business_today()
    rows = aging_report(as_of)
    _shown(request, [r.patient_id for r in rows], "aging report (API)")
    totals = aging_totals(rows)
    return {
        "as_of": as_of, "totals": _aging(totals.aging), "total": _f(totals.total),
        "pending_insurance": _f(totals.pending_insurance), "flagged": totals.flagged,
        "items": [
            {"patient_id": r.patient_id, "name": r.name, "mrn": r.mrn, "aging": _aging(r.aging),
             "credit": _f(r.aging.credit), "total": _f(r.total),
             "pending_insurance": _f(r.pending_insurance), "collections_flag": r.flag.value,
             "last_payment_on": r.last_payment_on}
            for r in rows
        ],
    }  # fmt: skip


@router.get("/reports/aging.csv", url_name="billing-aging-csv", response={200: None})
def aging_as_csv(request: HttpRequest, filters: Query[AgingFilter]) -> HttpResponse:
    require(request, REPORTS)
    as_of = filters.as_of or business_today()
    rows = aging_report(as_of)
    _shown(request, [r.patient_id for r in rows], "aging CSV (API)", AuditAction.EXPORT)
    return _csv(aging_csv(rows), f"aging-{as_of}.csv")


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
