"""``{{ amount|dollars }}`` for the statements, plans and reports pages (``$1,234.50``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from medoffice.billing.rules.money import money

register = template.Library()


@register.filter
def dollars(value: Any) -> str:
    if value in (None, ""):
        return ""
    return money(Decimal(value))
