"""The day sheet: one business day's figures from aggregate queries over its ledger entries,
tenders, refunds and drawers (a fixed number of queries however busy the day was)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from medoffice.billing.choices import DayStatus, RefundStatus, TenderMethod
from medoffice.billing.models import BusinessDay, CashDrawer, LedgerEntry, Refund, Tender
from medoffice.billing.rules import day_sheet as rules
from medoffice.billing.rules.day_sheet import DaySheet, DrawerRow, EntryRow, TenderRow
from medoffice.billing.rules.money import cents
from medoffice.billing.services.drawers import expectations_of

__all__ = ["DaySheet", "day_sheet", "day_sheet_csv", "drawer_rows", "user_names"]


def day_sheet(day: dt.date) -> DaySheet:
    entries = [
        EntryRow(r["kind"], r["who"], r["posted_by_id"], cents(r["total"]), r["n"])
        for r in LedgerEntry.objects.filter(posted_on=day)
        .annotate(who=Coalesce("provider_id", "appointment__provider_id"))
        .values("kind", "who", "posted_by_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    ]
    tenders = [
        TenderRow(r["method"], r["payment__received_by_id"], cents(r["total"]), r["n"])
        for r in Tender.objects.filter(payment__received_on=day)
        .values("method", "payment__received_by_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    ]
    refunds = {
        method: cents(total)
        for method, total in Refund.objects.filter(refunded_on=day, status=RefundStatus.POSTED)
        .values_list("method")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    checks = list(
        Tender.objects.filter(
            payment__received_on=day, method=TenderMethod.CHECK, payment__drawer__isnull=False
        )
        .order_by("id")
        .values_list("check_number", "amount")
    )
    drawers = list(CashDrawer.objects.filter(business_date=day).order_by("id"))
    user_ids = {e.user_id for e in entries} | {t.user_id for t in tenders}
    names = user_names(user_ids | {d.user_id for d in drawers})
    sheet = rules.build(
        day,
        entries,
        tenders,
        refunds,
        providers=_provider_names({e.provider_id for e in entries if e.provider_id}),
        users=names,
        drawers=drawer_rows(drawers, names),
        checks=checks,
    )
    status = BusinessDay.objects.filter(date=day).values_list("status", flat=True).first()
    sheet.status = status or DayStatus.OPEN
    return sheet


def drawer_rows(drawers: list[CashDrawer], names: dict[int, str]) -> list[DrawerRow]:
    expected = expectations_of(drawers)
    rows = []
    for d in drawers:
        e = expected[d.pk]
        rows.append(
            DrawerRow(
                user_id=d.user_id,
                user=names.get(d.user_id, f"user {d.user_id}"),
                status=d.status,
                opening_float=d.opening_float,
                expected_cash=e.expected_cash if d.expected_cash is None else d.expected_cash,
                counted_cash=d.counted_cash,
                cash_over_short=d.cash_over_short,
                expected_checks=e.checks_total if d.expected_checks is None else d.expected_checks,
                counted_checks=d.counted_checks,
                checks_over_short=d.checks_over_short,
                check_count=e.check_count,
                counted_check_count=d.counted_check_count,
                card_total=e.card_total,
                reason=d.discrepancy_reason,
                denominations=dict(d.denominations or {}),
            )
        )
    return rows


def user_names(ids: set[int]) -> dict[int, str]:
    """Staff names (no PHI): full name, else the username."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .values_list("pk", "first_name", "last_name", "username")
    )
    return {pk: f"{first} {last}".strip() or username for pk, first, last, username in rows}


def _provider_names(ids: set[Any]) -> dict[int, str]:
    if not ids:
        return {}
    from medoffice.practice import queries as practice

    found = practice.list_providers(active_only=False).filter(pk__in=ids).prefetch_related(None)
    return {p.pk: p.display_name for p in found}


def day_sheet_csv(day: dt.date) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rules.csv_rows(day_sheet(day)):
        writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()


def _safe(cell: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: quote names that do."""
    if (cell and cell[0] in "=+@") or (cell.startswith("-") and not _is_number(cell)):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
