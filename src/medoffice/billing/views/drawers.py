"""The cash drawer page: open my drawer with a float, see what it should hold, count it by
denomination (the total and any over/short are shown before saving; no JavaScript needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from medoffice.billing.choices import DENOMINATIONS
from medoffice.billing.errors import BillingError
from medoffice.billing.rules import drawer_count
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services import drawers
from medoffice.billing.services.days import business_today
from medoffice.core.permissions import staff_view

USE_DRAWER = "billing.use_drawer"


def _rows(counts: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "value": counts.get(key, ""), "name": f"d_{key}"}
        for key, _value, label in DENOMINATIONS
    ]


def _posted_counts(request: HttpRequest) -> dict[str, str]:
    return {key: request.POST.get(f"d_{key}", "") for key in drawer_count.VALUES}


def _preview(request: HttpRequest, drawer: Any) -> dict[str, Any]:
    """The total of what was typed and how it compares, before anything is saved."""
    counts = drawer_count.clean_counts(_posted_counts(request))
    expected = drawers.drawer_expectation(drawer)
    checks = parse_amount(request.POST.get("checks_total", "") or "0", allow_zero=True)
    n = request.POST.get("check_count", "").strip() or "0"
    if not n.isdigit():
        raise BillingError("Enter how many checks there are as a whole number.")
    result = drawer_count.reconcile(
        counts, checks_total=checks, check_count=int(n), expected_cash=expected.expected_cash,
        expected_checks=expected.checks_total, expected_check_count=expected.check_count,
    )  # fmt: skip
    return {"result": result, "difference": drawer_count.describe(result)}


@staff_view(USE_DRAWER)
@require_http_methods(["GET", "POST"])
def drawer(request: HttpRequest) -> HttpResponse:
    day = business_today()
    mine = drawers.drawer_of(request.user.pk or 0, day)
    context: dict[str, Any] = {"day": day, "drawer": mine, "error": "", "preview": None}
    counts: dict[str, Any] = dict(mine.denominations) if mine is not None else {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open" and mine is None:
                raw_float = request.POST.get("opening_float", "")
                drawers.open_drawer(acting_user=request.user, opening_float=raw_float)
                messages.success(request, "Your cash drawer is open.")
                return redirect("billing:drawer")
            if mine is not None and action in ("preview", "count"):
                counts = _posted_counts(request)
                context["preview"] = _preview(request, mine)
                if action == "count":
                    drawers.count_drawer(
                        mine, acting_user=request.user, denominations=counts,
                        checks_total=request.POST.get("checks_total", "") or "0",
                        check_count=request.POST.get("check_count", "") or "0",
                        reason=request.POST.get("reason", ""),
                    )  # fmt: skip
                    messages.success(request, "Your drawer count is saved.")
                    return redirect("billing:drawer")
            elif action not in ("open", "preview", "count"):
                raise BillingError("Choose open, check the total, or save the count.")
        except BillingError as exc:
            context["error"] = str(exc)
            status = 400
    if mine is not None:
        context["expected"] = drawers.drawer_expectation(mine)
    context["rows"] = _rows(counts)
    context["posted"] = request.POST if request.method == "POST" else {}
    context["needs_reason"] = bool(
        (context["preview"] and not context["preview"]["result"].balanced)
        or (mine is not None and mine.discrepancy_reason)
    )
    context["zero"] = Decimal("0.00")
    return render(request, "billing/drawer.html", context, status=status)


urlpatterns = [path("drawer/", drawer, name="drawer")]
