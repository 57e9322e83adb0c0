"""Day close pages: recent days, one day's reconciliation (drawers per user and method, card
settlement, close and reopen), the day sheet (PDF, CSV) and the bank deposit slip (PDF).
Only staff names and totals are shown: no patient appears on these pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from medoffice.billing.errors import BillingError
from medoffice.billing.rules.day_sheet import LABELS_OF_DENOMINATIONS, METHOD_LABELS
from medoffice.billing.services import day_close
from medoffice.billing.services.day_sheet import day_sheet, day_sheet_csv
from medoffice.core.pdf import pdf_response, render_pdf
from medoffice.core.permissions import staff_view

REPORTS, CLOSE, REOPEN = (
    "billing.view_billing_reports",
    "billing.close_day",
    "billing.reopen_day",
)


def _day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _bad_date() -> HttpResponse:
    return HttpResponseBadRequest("That is not a date (use YYYY-MM-DD).")


@staff_view(REPORTS)
@require_GET
def days(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/days.html", {"days": day_close.recent_days()})


def _day_page(request: HttpRequest, day: dt.date, *, error: str = "", status: int = 200) -> Any:
    summary = day_close.day_summary(day)
    context = {
        "day": day,
        "summary": summary,
        "sheet": summary.sheet,
        "problems": summary.problems(request.POST.get("card_difference_reason", "")),
        "methods": METHOD_LABELS,
        "error": error,
        "can_close": request.user.has_perm(CLOSE),
        "can_reopen": request.user.has_perm(REOPEN),
    }
    return render(request, "billing/day.html", context, status=status)


@staff_view(REPORTS)
@require_GET
def day_detail(request: HttpRequest, day: str) -> HttpResponse:
    found = _day(day)
    if found is None:
        return _bad_date()
    return _day_page(request, found)


def _act(request: HttpRequest, day: str, action: Any, done: str) -> HttpResponse:
    found = _day(day)
    if found is None:
        return _bad_date()
    try:
        action(found)
    except BillingError as exc:
        return _day_page(request, found, error=str(exc), status=400)
    messages.success(request, done)
    return redirect("billing:day", day=found.isoformat())


@staff_view(REPORTS)
@require_POST
def record_settlement(request: HttpRequest, day: str) -> HttpResponse:
    def run(found: dt.date) -> None:
        day_close.record_settlement(
            found, acting_user=request.user, terminal_id=request.POST.get("terminal_id", ""),
            batch_total=request.POST.get("batch_total", ""),
            batch_count=request.POST.get("batch_count", ""),
            batch_ref=request.POST.get("batch_ref", ""),
        )  # fmt: skip

    return _act(request, day, run, "The card settlement is recorded.")


@staff_view(REPORTS)
@require_POST
def fetch_settlement(request: HttpRequest, day: str) -> HttpResponse:
    def run(found: dt.date) -> None:
        if day_close.fetch_settlement(found, acting_user=request.user) is None:
            raise BillingError(
                "The card terminal is in manual mode: type the batch total from its printout."
            )

    return _act(request, day, run, "The card settlement is fetched from the terminal.")


@staff_view(CLOSE)
@require_POST
def close(request: HttpRequest, day: str) -> HttpResponse:
    reason = request.POST.get("card_difference_reason", "")
    return _act(
        request, day,
        lambda found: day_close.close_day(found, acting_user=request.user,
                                          card_difference_reason=reason),
        "The day is closed.",
    )  # fmt: skip


@staff_view(REOPEN)
@require_POST
def reopen(request: HttpRequest, day: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request, day,
        lambda found: day_close.reopen_day(found, acting_user=request.user, reason=reason),
        "The day is reopened.",
    )  # fmt: skip


@staff_view(REPORTS)
@require_GET
def day_sheet_pdf(request: HttpRequest, day: str) -> HttpResponse:
    found = _day(day)
    if found is None:
        return _bad_date()
    sheet = day_sheet(found)
    data = render_pdf(
        "billing/pdf/day_sheet.html",
        {"sheet": sheet, "day": found, "methods": METHOD_LABELS},
        title=f"Day sheet {found.isoformat()}",
    )
    return pdf_response(data, f"day-sheet-{found.isoformat()}.pdf")


@staff_view(REPORTS)
@require_GET
def day_sheet_csv_view(request: HttpRequest, day: str) -> HttpResponse:
    found = _day(day)
    if found is None:
        return _bad_date()
    response = HttpResponse(day_sheet_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="day-sheet-{found.isoformat()}.csv"'
    return response


@staff_view(REPORTS)
@require_GET
def deposit_slip_pdf(request: HttpRequest, day: str) -> HttpResponse:
    found = _day(day)
    if found is None:
        return _bad_date()
    sheet = day_sheet(found)
    deposit = sheet.deposit
    lines = [
        {"label": LABELS_OF_DENOMINATIONS[key], "count": n, "value": value * n}
        for key, n, value in deposit.denomination_lines()
    ]
    data = render_pdf(
        "billing/pdf/deposit_slip.html",
        {"deposit": deposit, "day": found, "lines": lines},
        title=f"Deposit slip {found.isoformat()}",
    )
    return pdf_response(data, f"deposit-slip-{found.isoformat()}.pdf")


urlpatterns = [
    path("days/", days, name="days"),
    path("days/<str:day>/", day_detail, name="day"),
    path("days/<str:day>/settlement/", record_settlement, name="day_settlement"),
    path("days/<str:day>/settlement/fetch/", fetch_settlement, name="day_fetch_settlement"),
    path("days/<str:day>/close/", close, name="day_close"),
    path("days/<str:day>/reopen/", reopen, name="day_reopen"),
    path("days/<str:day>/day-sheet.pdf", day_sheet_pdf, name="day_sheet_pdf"),
    path("days/<str:day>/day-sheet.csv", day_sheet_csv_view, name="day_sheet_csv"),
    path("days/<str:day>/deposit-slip.pdf", deposit_slip_pdf, name="deposit_slip_pdf"),
]
