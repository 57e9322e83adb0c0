"""Cash drawers: each user opens one per day with a float and counts it at day's end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.errors import DrawerError
from medoffice.billing.models import CashDrawer
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services.days import business_today, lock_day_for_posting


@transaction.atomic
def open_drawer(
    *, acting_user: Any, opening_float: Any, location: Any = None, day: dt.date | None = None
) -> CashDrawer:
    """Open the user's drawer for the day with the float counted into it."""
    day = day or business_today()
    amount = parse_amount(opening_float, allow_zero=True)
    lock_day_for_posting(day)
    try:
        with transaction.atomic():
            drawer = CashDrawer.objects.create(
                user=acting_user,
                location=location,
                business_date=day,
                opening_float=amount,
                opened_at=timezone.now(),
            )
    except IntegrityError:
        raise DrawerError("You already opened a cash drawer today.") from None
    record(AuditAction.CREATE, target=drawer, detail={"float": str(amount)})
    return drawer
