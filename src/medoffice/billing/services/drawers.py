"""Cash drawers: each user opens one per day with a float and counts it at day's end.

What a drawer should hold comes from its payments' tenders (cash tender amounts are net of the
change given back) and the cash refunds paid out of it. A counted drawer can be counted again
until the day closes; counting never touches the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.choices import DrawerStatus, RefundStatus, TenderMethod
from medoffice.billing.errors import DrawerError
from medoffice.billing.models import CashDrawer, Refund, Tender
from medoffice.billing.rules import drawer_count
from medoffice.billing.rules.money import ZERO, cents, parse_amount
from medoffice.billing.services.days import business_today, lock_day_for_posting

CARD_METHODS = (TenderMethod.CARD, TenderMethod.HSA)
MANAGER_PERMISSION = "billing.close_day"
MAX_CHECKS_TOTAL = Decimal("999999.99")


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


@dataclass(frozen=True)
class DrawerExpectation:
    """What the drawer should hold, from the ledger's side."""

    opening_float: Decimal = ZERO
    cash_taken: Decimal = ZERO  # cash tenders, net of change
    cash_refunded: Decimal = ZERO  # cash refunds paid out of this drawer
    checks_total: Decimal = ZERO
    check_count: int = 0
    card_total: Decimal = ZERO  # the user's card and HSA/FSA tenders that day (not in the drawer)
    by_method: dict[str, Decimal] = field(default_factory=dict)

    @property
    def expected_cash(self) -> Decimal:
        return self.opening_float + self.cash_taken - self.cash_refunded


def drawer_expectation(drawer: CashDrawer) -> DrawerExpectation:
    return expectations_of([drawer])[drawer.pk]


def expectations_of(drawers: Iterable[CashDrawer]) -> dict[int, DrawerExpectation]:
    """Every listed drawer's expectation in three queries, however many payments there were."""
    drawers = list(drawers)
    if not drawers:
        return {}
    ids = [d.pk for d in drawers]
    in_drawer: dict[int, dict[str, tuple[Decimal, int]]] = {pk: {} for pk in ids}
    rows = (
        Tender.objects.filter(
            payment__drawer_id__in=ids, method__in=(TenderMethod.CASH, TenderMethod.CHECK)
        )
        .values("payment__drawer_id", "method")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    )
    for row in rows:
        in_drawer[row["payment__drawer_id"]][row["method"]] = (cents(row["total"]), row["n"])
    refunded = {
        pk: cents(total)
        for pk, total in Refund.objects.filter(
            drawer_id__in=ids, status=RefundStatus.POSTED, method=TenderMethod.CASH
        )
        .values_list("drawer_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    cards = _card_totals({(d.user_id, d.business_date) for d in drawers})
    found = {}
    for drawer in drawers:
        mine = in_drawer[drawer.pk]
        card_by = cards.get((drawer.user_id, drawer.business_date), {})
        by_method = {
            TenderMethod.CASH.value: mine.get(TenderMethod.CASH, (ZERO, 0))[0],
            TenderMethod.CHECK.value: mine.get(TenderMethod.CHECK, (ZERO, 0))[0],
            **{m.value: card_by.get(m, ZERO) for m in CARD_METHODS},
        }
        found[drawer.pk] = DrawerExpectation(
            opening_float=drawer.opening_float,
            cash_taken=by_method[TenderMethod.CASH],
            cash_refunded=refunded.get(drawer.pk) or ZERO,
            checks_total=by_method[TenderMethod.CHECK],
            check_count=mine.get(TenderMethod.CHECK, (ZERO, 0))[1],
            card_total=sum((card_by.get(m, ZERO) for m in CARD_METHODS), ZERO),
            by_method=by_method,
        )
    return found


def _card_totals(
    user_days: set[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], dict[str, Decimal]]:
    days = {day for _user, day in user_days}
    users = {user for user, _day in user_days}
    rows = (
        Tender.objects.filter(
            method__in=CARD_METHODS,
            payment__received_on__in=days,
            payment__received_by_id__in=users,
        )
        .values("payment__received_by_id", "payment__received_on", "method")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found: dict[tuple[int, dt.date], dict[str, Decimal]] = {}
    for row in rows:
        key = (row["payment__received_by_id"], row["payment__received_on"])
        found.setdefault(key, {})[row["method"]] = cents(row["total"])
    return found


def drawer_of(user_id: int, day: dt.date) -> CashDrawer | None:
    """The user's drawer for the day, whatever its status."""
    return CashDrawer.objects.filter(user_id=user_id, business_date=day).first()


def count_drawer(
    drawer: CashDrawer,
    *,
    acting_user: Any,
    denominations: Mapping[str, Any],
    checks_total: Any,
    check_count: Any,
    reason: str = "",
) -> CashDrawer:
    """Store the count by denomination and what is over or short; a counted drawer may be
    counted again until its day closes. A difference needs a reason; refused: nothing saved."""
    counts = drawer_count.clean_counts(denominations)
    checks = parse_amount(checks_total, allow_zero=True, maximum=MAX_CHECKS_TOTAL)
    n_checks = _check_count(check_count)
    reason = (reason or "").strip()
    with transaction.atomic():
        lock_day_for_posting(drawer.business_date)
        locked = CashDrawer.objects.select_for_update().get(pk=drawer.pk)
        if locked.user_id != acting_user.pk and not acting_user.has_perm(MANAGER_PERMISSION):
            raise DrawerError("Only the drawer's own user or a manager may count it.")
        if locked.status == DrawerStatus.CLOSED:
            raise DrawerError("This drawer was closed with its day; a manager must reopen the day.")
        expected = drawer_expectation(locked)
        result = drawer_count.reconcile(
            counts,
            checks_total=checks,
            check_count=n_checks,
            expected_cash=expected.expected_cash,
            expected_checks=expected.checks_total,
            expected_check_count=expected.check_count,
        )
        if not result.balanced and not reason:
            raise DrawerError(
                f"The count does not match ({drawer_count.describe(result)}): "
                "say why before saving it."
            )
        recount = locked.status == DrawerStatus.COUNTED
        _store(locked, counts, result, expected, reason if not result.balanced else "")
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=locked,
            detail={
                "counted": "recount" if recount else "count",
                "cash": str(result.counted_cash),
                "checks": str(result.counted_checks),
                "cash_over_short": str(result.cash_over_short),
                "checks_over_short": str(result.checks_over_short),
            },
        )
    return locked


def _check_count(raw: Any) -> int:
    if isinstance(raw, bool):
        raise DrawerError("Enter how many checks there are as a whole number.")
    if isinstance(raw, int):
        value = raw
    elif raw is None or (isinstance(raw, str) and not raw.strip()):
        value = 0
    elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        value = int(raw.strip())
    else:
        raise DrawerError("Enter how many checks there are as a whole number.")
    if value < 0:
        raise DrawerError("The number of checks can't be negative.")
    if value > 10_000:
        raise DrawerError("That is more checks than a drawer holds.")
    return value


def _store(
    drawer: CashDrawer,
    counts: dict[str, int],
    result: drawer_count.CountResult,
    expected: DrawerExpectation,
    reason: str,
) -> None:
    drawer.status = DrawerStatus.COUNTED
    drawer.counted_at = timezone.now()
    drawer.denominations = counts
    drawer.counted_cash = result.counted_cash
    drawer.counted_checks = result.counted_checks
    drawer.counted_check_count = result.check_count
    drawer.expected_cash = expected.expected_cash
    drawer.expected_checks = expected.checks_total
    drawer.cash_over_short = result.cash_over_short
    drawer.checks_over_short = result.checks_over_short
    drawer.discrepancy_reason = reason[:300]
    drawer.save()


def drawers_of_day(day: dt.date) -> list[CashDrawer]:
    return list(CashDrawer.objects.filter(business_date=day).select_related("user").order_by("id"))


def needs_reason(drawer: CashDrawer) -> bool:
    """A counted drawer whose difference (amount or number of checks) has no reason."""
    if drawer.status == DrawerStatus.OPEN or drawer.discrepancy_reason:
        return False
    return bool(drawer.cash_over_short or drawer.checks_over_short)


__all__ = [
    "DrawerExpectation",
    "count_drawer",
    "drawer_expectation",
    "drawer_of",
    "drawers_of_day",
    "expectations_of",
    "needs_reason",
    "open_drawer",
]
