"""Template helpers for money at the desk: ``{{ amount|money }}`` and the desk's money panel
(``{% desk_money appointment %}``), which the front desk's visit and check-out show."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.db.models import Sum
from django.urls import reverse

from medoffice.billing import queries
from medoffice.billing.choices import PaymentPurpose
from medoffice.billing.models import Payment
from medoffice.billing.rules.money import ZERO
from medoffice.billing.rules.money import money as format_money

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """``Decimal("1234.5")`` -> ``$1,234.50`` (blank stays blank)."""
    if value in (None, ""):
        return ""
    return format_money(Decimal(value))


def _copay_hint(context: template.Context) -> Decimal | None:
    """The copay the eligibility check (or the estimate) names for this visit, if any."""
    check = context.get("visit_check")
    copay = getattr(check, "copay", None) if check is not None else None
    if copay:
        return Decimal(copay)
    found = context.get("visit_estimate")
    estimate = getattr(found, "estimate", None)
    figure = getattr(estimate, "copay", None)
    return Decimal(figure) if figure else None


@register.inclusion_tag("billing/_desk_money.html", takes_context=True)
def desk_money(context: template.Context, appointment: Any, where: str = "visit") -> dict[str, Any]:
    """Patient owes now / pending with insurance / copay collected at this visit, and the
    "Collect payment" button (two queries)."""
    user = context.get("user")
    balance = queries.balance_of(appointment.patient_id)
    collected = (
        Payment.objects.filter(
            appointment_id=appointment.pk, purpose=PaymentPurpose.COPAY
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    copay = _copay_hint(context)
    query = {"appointment": appointment.pk, "purpose": PaymentPurpose.COPAY}
    if copay and copay > collected:
        query["amount"] = str(copay - collected)
    collect_url = reverse("billing:collect", args=[appointment.patient_id])
    return {
        "appointment": appointment,
        "where": where,
        "balance": balance,
        "copay_collected": collected,
        "copay_hint": copay,
        "collect_url": f"{collect_url}?{urlencode(query)}",
        "account_url": reverse("billing:account", args=[appointment.patient_id]),
        "can_collect": user is not None and user.has_perm("billing.add_payment"),
        "can_view": user is not None and user.has_perm("billing.view_ledgerentry"),
    }
