"""Drawers, day close, card settlements and refunds in the API. Money-moving calls take an
``Idempotency-Key`` (opening and counting a drawer, recording a settlement, asking for,
approving and declining a refund, closing and reopening a day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from medoffice.api.idempotency import idempotent
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import api_schemas_days as s
from medoffice.billing import queries
from medoffice.billing.api_problems import ANSWERS as PROBLEM_ANSWERS
from medoffice.billing.api_problems import Problem
from medoffice.billing.choices import RefundStatus
from medoffice.billing.errors import BillingError
from medoffice.billing.models import CardSettlement, CashDrawer, Refund
from medoffice.billing.rules.day_sheet import as_json
from medoffice.billing.services import day_close, drawers, refunds
from medoffice.billing.services.day_sheet import day_sheet, day_sheet_csv
from medoffice.billing.services.days import business_today

router = Router(tags=["billing: drawers, day close, refunds"])
PROBLEMS = "https://medoffice.example/problems/"
DRAWER, REPORTS, CLOSE, REOPEN = (
    "billing.use_drawer", "billing.view_billing_reports", "billing.close_day", "billing.reopen_day",
)  # fmt: skip
REQUEST, APPROVE = "billing.request_refund", "billing.approve_refund"
ANSWERS: dict[int, Any] = {400: Problem, **PROBLEM_ANSWERS}


def _refused(exc: BillingError) -> ProblemError:
    return ProblemError(409, "Refused", str(exc), type_=PROBLEMS + "billing-refused")


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ProblemError(400, "Bad request", "Give the day as YYYY-MM-DD.") from None


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def drawer_out(drawer: CashDrawer) -> dict[str, Any]:
    e = drawers.drawer_expectation(drawer)
    return {
        "id": drawer.pk, "user_id": drawer.user_id, "business_date": drawer.business_date,
        "status": drawer.status, "opening_float": str(drawer.opening_float),
        "expected_cash": str(e.expected_cash), "cash_taken": str(e.cash_taken),
        "cash_refunded": str(e.cash_refunded), "checks_total": str(e.checks_total),
        "check_count": e.check_count, "card_total": str(e.card_total),
        "counted_cash": _s(drawer.counted_cash), "counted_checks": _s(drawer.counted_checks),
        "cash_over_short": _s(drawer.cash_over_short),
        "checks_over_short": _s(drawer.checks_over_short),
        "discrepancy_reason": drawer.discrepancy_reason,
    }  # fmt: skip


def _mine(request: HttpRequest, day: dt.date) -> CashDrawer:
    found = drawers.drawer_of(request.user.pk or 0, day)
    if found is None:
        raise ProblemError(404, "Not found", "You have no cash drawer for that day.")
    return found


@router.post("/drawers", response={201: s.DrawerOut, **ANSWERS}, url_name="billing-drawer-open")
@idempotent
def open_drawer(request: HttpRequest, payload: s.DrawerOpenIn) -> Any:
    """Open my drawer for today with its float."""
    require(request, DRAWER)
    try:
        drawer = drawers.open_drawer(acting_user=request.user, opening_float=payload.opening_float)
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, drawer_out(drawer))


@router.get("/drawers/mine", response={200: s.DrawerOut, **ANSWERS}, url_name="billing-drawer")
def my_drawer(request: HttpRequest, day: str = "") -> Any:
    """My drawer for a day (default today) with what it should hold."""
    require(request, DRAWER)
    return drawer_out(_mine(request, _day(day) if day else business_today()))


@router.post("/drawers/mine/count", response={200: s.DrawerOut, **ANSWERS},
             url_name="billing-drawer-count")  # fmt: skip
@idempotent
def count_my_drawer(request: HttpRequest, payload: s.DrawerCountIn, day: str = "") -> Any:
    """Count (or recount) my drawer; 409 when over/short without a reason."""
    require(request, DRAWER)
    drawer = _mine(request, _day(day) if day else business_today())
    try:
        counted = drawers.count_drawer(
            drawer, acting_user=request.user, denominations=payload.denominations,
            checks_total=payload.checks_total, check_count=payload.check_count,
            reason=payload.reason,
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return drawer_out(counted)


def _summary_out(summary: day_close.DaySummary) -> dict[str, Any]:
    return {
        "date": summary.day.isoformat(),
        "status": summary.status,
        "problems": summary.problems(),
        "open_drawers": summary.open_drawers,
        "unexplained": summary.unexplained,
        "card_tenders": str(summary.card_tenders),
        "settlement_total": _s(summary.settlement_total),
        "card_difference": str(summary.card_difference),
        "card_note": summary.card_note,
        "sheet": as_json(summary.sheet),
    }


@router.get("/days/{day}", response={200: dict, **ANSWERS}, url_name="billing-day")
def get_day(request: HttpRequest, day: str) -> Any:
    """The reconciliation summary: drawers per user, card tenders vs batches, what blocks close."""
    require(request, REPORTS)
    return _summary_out(day_close.day_summary(_day(day)))


@router.get("/days/{day}/sheet", response={200: dict, **ANSWERS}, url_name="billing-day-sheet")
def get_day_sheet(request: HttpRequest, day: str) -> Any:
    require(request, REPORTS)
    return as_json(day_sheet(_day(day)))


@router.get("/days/{day}/sheet.csv", url_name="billing-day-sheet-csv")
def get_day_sheet_csv(request: HttpRequest, day: str) -> HttpResponse:
    require(request, REPORTS)
    found = _day(day)
    response = HttpResponse(day_sheet_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="day-sheet-{found.isoformat()}.csv"'
    return response


@router.post("/days/{day}/close", response={200: dict, **ANSWERS}, url_name="billing-day-close")
@idempotent
def close(request: HttpRequest, day: str, payload: s.CloseIn) -> Any:
    """Close the day; 409 listing every reason while it can't close."""
    require(request, CLOSE)
    found = _day(day)
    try:
        day_close.close_day(found, acting_user=request.user,
                            card_difference_reason=payload.card_difference_reason)  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return _summary_out(day_close.day_summary(found))


@router.post("/days/{day}/reopen", response={200: dict, **ANSWERS}, url_name="billing-day-reopen")
@idempotent
def reopen(request: HttpRequest, day: str, payload: s.ReopenIn) -> Any:
    require(request, REOPEN)
    found = _day(day)
    try:
        day_close.reopen_day(found, acting_user=request.user, reason=payload.reason)
    except BillingError as exc:
        raise _refused(exc) from None
    return _summary_out(day_close.day_summary(found))


def _settlement_out(found: CardSettlement) -> dict[str, Any]:
    return {"id": found.pk, "business_date": found.business_date, "terminal_id": found.terminal_id,
            "batch_total": str(found.batch_total), "batch_count": found.batch_count,
            "batch_ref": found.batch_ref, "source": found.source}  # fmt: skip


@router.post("/days/{day}/settlements", response={201: s.SettlementOut, **ANSWERS},
             url_name="billing-settlement")  # fmt: skip
@idempotent
def record_settlement(request: HttpRequest, day: str, payload: s.SettlementIn) -> Any:
    """Record a terminal's batch typed from its printout (again: replaces the figures)."""
    require(request, REPORTS)
    try:
        found = day_close.record_settlement(
            _day(day), acting_user=request.user, terminal_id=payload.terminal_id,
            batch_total=payload.batch_total, batch_count=payload.batch_count,
            batch_ref=payload.batch_ref,
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, _settlement_out(found))


@router.post("/days/{day}/settlements/fetch", response={200: s.SettlementOut, **ANSWERS},
             url_name="billing-settlement-fetch")  # fmt: skip
@idempotent
def fetch_settlement(request: HttpRequest, day: str) -> Any:
    """Ask the card terminal for the day's batch; 409 in manual mode."""
    require(request, REPORTS)
    try:
        found = day_close.fetch_settlement(_day(day), acting_user=request.user)
    except BillingError as exc:
        raise _refused(exc) from None
    if found is None:
        raise ProblemError(409, "Manual terminal", "Type the batch total from the printout.")
    return _settlement_out(found)


def refund_out(refund: Refund) -> dict[str, Any]:
    out = {name: getattr(refund, name) for name in s.RefundOut.model_fields}
    out["amount"] = str(refund.amount)
    return out


@router.get("/refunds", response=list[s.RefundOut], url_name="billing-refunds")
def list_refunds(request: HttpRequest, status: str = RefundStatus.PENDING) -> Any:
    """Refunds by status (default: waiting for a manager), at most 200."""
    require(request, REQUEST)
    found = list(Refund.objects.filter(status=status).order_by("requested_at", "id")[:200])
    if found:
        shown = sorted({r.patient_id for r in found})
        record(AuditAction.READ, actor=request.user, target_type="patients.patient",
               detail={"what": "refunds (API)", "shown": shown})  # fmt: skip
    return [refund_out(r) for r in found]


@router.post("/refunds", response={201: s.RefundOut, **ANSWERS}, url_name="billing-refund-new")
@idempotent
def request_refund(request: HttpRequest, payload: s.RefundIn) -> Any:
    from medoffice.patients import queries as patients

    require(request, REQUEST)
    patient = patients.get_patient(payload.patient_id)
    if patient is None:
        raise ProblemError(422, "Invalid input", f"No patient with id {payload.patient_id}.")
    payment = None
    if payload.payment_id is not None:
        payment = queries.get_payment(payload.payment_id)
        if payment is None:
            raise ProblemError(422, "Invalid input", f"No payment with id {payload.payment_id}.")
    try:
        refund = refunds.request_refund(
            patient, acting_user=request.user, amount=payload.amount, method=payload.method,
            reason=payload.reason, payment=payment,
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, refund_out(refund))


def _refund(refund_id: int) -> Refund:
    found = Refund.objects.filter(pk=refund_id).first()
    if found is None:
        raise ProblemError(404, "Not found", f"No refund with id {refund_id}.")
    return found


@router.post("/refunds/{int:refund_id}/approve", response={200: s.RefundOut, **ANSWERS},
             url_name="billing-refund-approve")  # fmt: skip
@idempotent
def approve_refund(request: HttpRequest, refund_id: int, payload: s.ApproveIn) -> Any:
    require(request, APPROVE)
    try:
        refund = refunds.approve_refund(
            _refund(refund_id), acting_user=request.user, note=payload.note,
            check_number=payload.check_number, approval_code=payload.approval_code,
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return refund_out(refund)


@router.post("/refunds/{int:refund_id}/decline", response={200: s.RefundOut, **ANSWERS},
             url_name="billing-refund-decline")  # fmt: skip
@idempotent
def decline_refund(request: HttpRequest, refund_id: int, payload: s.DeclineIn) -> Any:
    require(request, APPROVE)
    try:
        refund = refunds.decline_refund(_refund(refund_id), acting_user=request.user,
                                        note=payload.note)  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return refund_out(refund)
