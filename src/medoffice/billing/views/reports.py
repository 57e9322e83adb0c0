"""Billing reports: the index, the payments journal and the aging report, each as a page or
as CSV (``?format=csv``); every read or export of patients' figures is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse

from medoffice.audit.choices import AuditAction
from medoffice.billing.forms_office import AgingForm, JournalForm
from medoffice.billing.services.aging import aging_report, aging_totals
from medoffice.billing.services.days import business_today
from medoffice.billing.services.journal import (
    aging_csv,
    journal_csv,
    journal_totals,
    payments_journal,
)
from medoffice.billing.views.statements import audit_shown
from medoffice.core.permissions import staff_view

REPORTS = "billing.view_billing_reports"


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(REPORTS)
def reports(request: HttpRequest) -> HttpResponse:
    try:
        day_sheets = reverse("billing:days")
    except NoReverseMatch:  # the day-close pages are not installed
        day_sheets = ""
    return render(request, "billing/reports.html", {"day_sheets": day_sheets})


def _users() -> list[tuple[str, str]]:
    """Everyone who can take payments (active users), by name."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return [(str(u.pk), u.get_username()) for u in users]


@staff_view(REPORTS)
def journal(request: HttpRequest) -> HttpResponse:
    form = JournalForm(request.GET or None, users=_users())
    today = business_today()
    start = end = today
    user: Any = None
    method = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        user = int(form.cleaned_data["user"]) if form.cleaned_data["user"] else None
        method = form.cleaned_data["method"] or None
    elif form.is_bound:
        rows: list[Any] = []
        return render(request, "billing/journal.html", {"form": form, "rows": rows}, status=400)
    rows = payments_journal(start, end, user=user, method=method)
    ids = [row.patient_id for row in rows]
    if request.GET.get("format") == "csv":
        audit_shown(request, ids, f"payments journal CSV {start}..{end}", AuditAction.EXPORT)
        return csv_response(journal_csv(rows), f"payments-journal-{start}-{end}.csv")
    audit_shown(request, ids, "payments journal", AuditAction.READ)
    context = {
        "form": form,
        "rows": rows,
        "totals": journal_totals(rows),
        "start": start,
        "end": end,
        "csv_query": _csv_query(request),
    }
    return render(request, "billing/journal.html", context)


def _csv_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query["format"] = "csv"
    return query.urlencode()


@staff_view(REPORTS)
def aging(request: HttpRequest) -> HttpResponse:
    form = AgingForm(request.GET or None)
    as_of = business_today()
    if form.is_bound:
        if not form.is_valid():
            return render(request, "billing/aging.html", {"form": form, "rows": []}, status=400)
        as_of = form.cleaned_data["as_of"] or as_of
    rows = aging_report(as_of)
    ids = [row.patient_id for row in rows]
    if request.GET.get("format") == "csv":
        audit_shown(request, ids, f"aging CSV as of {as_of}", AuditAction.EXPORT)
        return csv_response(aging_csv(rows), f"aging-{as_of}.csv")
    audit_shown(request, ids, "aging report", AuditAction.READ)
    context = {
        "form": form,
        "rows": rows,
        "totals": aging_totals(rows),
        "as_of": as_of,
        "csv_query": _csv_query(request),
    }
    return render(request, "billing/aging.html", context)


urlpatterns = [
    path("reports/", reports, name="reports"),
    path("reports/journal/", journal, name="journal"),
    path("reports/aging/", aging, name="aging"),
]
