"""The audit report (ONC 170.315(d)(3)) and its CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from medoffice.audit import queries, services
from medoffice.audit.choices import AuditAction
from medoffice.audit.forms import AuditFilterForm
from medoffice.core.permissions import staff_view

PAGE_SIZE = 50
CSV_COLUMNS = [
    "id", "occurred_at", "actor_username", "action", "outcome", "target_type", "target_id",
    "patient_id", "fields", "ip_address", "request_id", "emergency",
]  # fmt: skip


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any]]:
    form = AuditFilterForm(request.GET or None)
    kwargs = form.search_kwargs() if form.is_valid() else {}
    return form, kwargs


@staff_view("accounts.view_audit_report")
def report(request: HttpRequest) -> HttpResponse:
    form, kwargs = _filters(request)
    entries = queries.search_entries(**kwargs)
    if request.GET and not form.is_valid():
        entries = entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    verification = services.verify_chain() if request.GET.get("verify") == "1" else None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("verify", None)
    return render(
        request,
        "audit/report.html",
        {"form": form, "page": page, "verification": verification, "query": query.urlencode()},
    )


def _safe_cell(value: Any) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_view("accounts.view_audit_report")
def export_csv(request: HttpRequest) -> HttpResponse:
    form, kwargs = _filters(request)
    if request.GET and not form.is_valid():
        return HttpResponse("Invalid filters.", status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    with transaction.atomic():
        rows = 0
        for entry in queries.search_entries(**kwargs).iterator(chunk_size=2000):
            writer.writerow(
                [_safe_cell(entry.occurred_at.isoformat()) if name == "occurred_at"
                 else _safe_cell(";".join(entry.fields)) if name == "fields"
                 else _safe_cell(getattr(entry, name)) for name in CSV_COLUMNS]
            )  # fmt: skip
            rows += 1
        filters = {k: str(v) for k, v in kwargs.items() if v not in (None, "")}
        services.record(
            AuditAction.EXPORT,
            target_type="audit.auditentry",
            patient_id=kwargs.get("patient_id"),
            detail={"format": "csv", "rows": rows, "filters": filters},
            request=request,
        )
    return response
