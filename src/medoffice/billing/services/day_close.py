"""Closing the books for a day: card settlement, the reconciliation summary, close and reopen.

A manager closes a day once every drawer is counted, every over/short is explained and the
card tenders (less card refunds) match the processor's settlement batches — or the card
difference is explained. Closing takes ``FOR UPDATE`` on the day's row, so it waits for postings
in flight (they hold ``FOR SHARE``) and every posting after it sees the day closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.choices import CardEntryMode, DayEventKind, DayStatus, DrawerStatus
from medoffice.billing.errors import CardTerminalError, DayCloseError
from medoffice.billing.models import BusinessDay, CardSettlement, CashDrawer, DayEvent
from medoffice.billing.rules.day_sheet import DaySheet, DrawerRow, as_json
from medoffice.billing.rules.money import ZERO, cents, money, parse_amount
from medoffice.billing.services.day_sheet import day_sheet

CLOSE, REOPEN = "billing.close_day", "billing.reopen_day"
MAX_BATCH = Decimal("9999999.99")
CARD_METHODS = ("card", "hsa")


# ---- card settlement ---------------------------------------------------------------------------


def record_settlement(
    day: dt.date,
    *,
    acting_user: Any,
    terminal_id: str,
    batch_total: Any,
    batch_count: Any,
    batch_ref: str = "",
    source: str = CardEntryMode.MANUAL,
) -> CardSettlement:
    """The processor's batch for a terminal and day (typed from its printout, or fetched);
    recording it again replaces the figures. Refused once the day is closed."""
    total = batch_total if isinstance(batch_total, Decimal) and source == CardEntryMode.TERMINAL \
        else parse_amount(batch_total, allow_zero=True, maximum=MAX_BATCH)  # fmt: skip
    terminal_id = (terminal_id or "").strip()[:40]
    if not terminal_id:
        raise DayCloseError("Enter the card terminal's ID from its printout.")
    if source not in CardEntryMode.values:
        raise DayCloseError("A settlement is either from the terminal or typed in.")
    count = _count(batch_count)
    with transaction.atomic():
        _lock_open(day)
        settlement, created = CardSettlement.objects.update_or_create(
            business_date=day,
            terminal_id=terminal_id,
            defaults={
                "batch_total": total,
                "batch_count": count,
                "batch_ref": (batch_ref or "").strip()[:64],
                "source": source,
                "recorded_by": acting_user,
                "recorded_at": timezone.now(),
            },
        )
        record(
            AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=acting_user,
            target=settlement,
            detail={"total": str(total), "count": count, "source": source},
        )
    return settlement


def _count(raw: Any) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or int(text) > 1_000_000:
        raise DayCloseError("Enter the number of card sales in the batch as a whole number.")
    return int(text)


def fetch_settlement(day: dt.date, *, acting_user: Any) -> CardSettlement | None:
    """Ask the card terminal for the day's batch; None in manual mode (type it in instead)."""
    from medoffice.integrations.card_terminals import connect

    try:
        batch = connect().settlement(day)
    except CardTerminalError as exc:
        raise DayCloseError(str(exc)) from exc
    if batch is None:
        return None
    return record_settlement(
        day,
        acting_user=acting_user,
        terminal_id=batch.terminal_id,
        batch_total=batch.total,
        batch_count=batch.count,
        batch_ref=batch.batch_ref,
        source=CardEntryMode.TERMINAL,
    )


# ---- the summary -------------------------------------------------------------------------------


@dataclass
class DaySummary:
    day: dt.date
    status: str
    sheet: DaySheet
    settlements: list[CardSettlement]
    card_tenders: Decimal  # card and HSA/FSA tenders, less card refunds
    closed_by: str = ""
    closed_at: dt.datetime | None = None
    card_note: str = ""
    events: list[DayEvent] = field(default_factory=list)

    @property
    def drawers(self) -> list[DrawerRow]:
        return self.sheet.drawers

    @property
    def settlement_total(self) -> Decimal | None:
        if not self.settlements:
            return None
        return sum((s.batch_total for s in self.settlements), ZERO)

    @property
    def card_difference(self) -> Decimal:
        """Card tenders less the batches: positive when the processor batched less."""
        return self.card_tenders - (self.settlement_total or ZERO)

    @property
    def open_drawers(self) -> list[str]:
        return [d.user for d in self.drawers if d.status == DrawerStatus.OPEN]

    @property
    def unexplained(self) -> list[str]:
        return [
            d.user
            for d in self.drawers
            if d.status != DrawerStatus.OPEN
            and (d.cash_over_short or d.checks_over_short)
            and not d.reason
        ]

    def problems(self, card_difference_reason: str = "") -> list[str]:
        """Why the day can't close yet (empty: it can)."""
        found = []
        if self.status == DayStatus.CLOSED:
            found.append("The day is already closed.")
        if self.open_drawers:
            found.append("Drawers still to be counted: " + ", ".join(self.open_drawers) + ".")
        if self.unexplained:
            found.append("Over/short without a reason: " + ", ".join(self.unexplained) + ".")
        if self.card_difference and not card_difference_reason.strip():
            if self.settlement_total is None:
                found.append(
                    f"Card payments total {money(self.card_tenders)} but no card settlement is "
                    "recorded: record the terminal's batch total, or say why it differs."
                )
            else:
                found.append(
                    f"Card payments ({money(self.card_tenders)}) and the settlement batch "
                    f"({money(self.settlement_total)}) differ by {money(self.card_difference)}: "
                    "say why."
                )
        return found


def day_summary(day: dt.date) -> DaySummary:
    sheet = day_sheet(day)
    found = BusinessDay.objects.filter(date=day).select_related("closed_by").first()
    cards = sum((sheet.payments_by_method.get(m, ZERO) for m in CARD_METHODS), ZERO)
    refunded = sum((sheet.refunds_by_method.get(m, ZERO) for m in CARD_METHODS), ZERO)
    summary = DaySummary(
        day=day,
        status=found.status if found else DayStatus.OPEN,
        sheet=sheet,
        settlements=list(CardSettlement.objects.filter(business_date=day).order_by("terminal_id")),
        card_tenders=cards - refunded,
    )
    if found is not None:
        summary.closed_at = found.closed_at
        summary.card_note = found.card_settlement_note
        if found.closed_by is not None:
            summary.closed_by = found.closed_by.get_full_name() or found.closed_by.username
        summary.events = list(found.events.select_related("by").order_by("at", "id"))
    return summary


# ---- close and reopen --------------------------------------------------------------------------


def _lock(day: dt.date) -> BusinessDay:
    BusinessDay.objects.bulk_create([BusinessDay(date=day)], ignore_conflicts=True)
    return BusinessDay.objects.select_for_update().get(date=day)


def _lock_open(day: dt.date) -> BusinessDay:
    from medoffice.billing.services.days import lock_day_for_posting

    lock_day_for_posting(day)
    return BusinessDay.objects.get(date=day)


def close_day(day: dt.date, *, acting_user: Any, card_difference_reason: str = "") -> BusinessDay:
    """Lock the day's postings and keep its day sheet; refused (nothing changes) with every
    reason listed while drawers are uncounted or a difference is unexplained."""
    if not acting_user.has_perm(CLOSE):
        raise DayCloseError("Only a manager may close the day.")
    reason = (card_difference_reason or "").strip()[:300]
    with transaction.atomic():
        business_day = _lock(day)  # FOR UPDATE: waits for postings in flight
        summary = day_summary(day)
        problems = summary.problems(reason)
        if problems:
            raise DayCloseError(" ".join(problems))
        now = timezone.now()
        business_day.status = DayStatus.CLOSED
        business_day.closed_at = now
        business_day.closed_by = acting_user
        business_day.card_settlement_note = reason if summary.card_difference else ""
        business_day.day_sheet = {
            **as_json(summary.sheet),
            "card_tenders": str(summary.card_tenders),
            "settlement_total": None
            if summary.settlement_total is None
            else str(summary.settlement_total),
            "card_difference": str(summary.card_difference),
        }
        business_day.save()
        CashDrawer.objects.filter(business_date=day).update(status=DrawerStatus.CLOSED)
        DayEvent.objects.create(day=business_day, kind=DayEventKind.CLOSED, at=now, by=acting_user)
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=business_day,
            detail={
                "day": "closed",
                "date": day.isoformat(),
                "net": str(summary.sheet.totals.net),
                "card_difference": str(summary.card_difference),
            },
        )
    return business_day


def reopen_day(day: dt.date, *, acting_user: Any, reason: str) -> BusinessDay:
    """A manager reopens a closed day with a reason: postings are accepted again and the drawers
    go back to counted (they can be counted again before the next close)."""
    if not acting_user.has_perm(REOPEN):
        raise DayCloseError("Only a manager may reopen a day.")
    reason = (reason or "").strip()
    if not reason:
        raise DayCloseError("Say why the day is reopened.")
    with transaction.atomic():
        business_day = _lock(day)
        if business_day.status != DayStatus.CLOSED:
            raise DayCloseError("This day is not closed.")
        now = timezone.now()
        business_day.status = DayStatus.OPEN
        business_day.save(update_fields=["status"])
        CashDrawer.objects.filter(business_date=day, status=DrawerStatus.CLOSED).update(
            status=DrawerStatus.COUNTED
        )
        DayEvent.objects.create(
            day=business_day, kind=DayEventKind.REOPENED, at=now, by=acting_user,
            reason=reason[:300],
        )  # fmt: skip
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=business_day,
            detail={"day": "reopened", "date": day.isoformat(), "reason": reason[:300]},
        )
    return business_day


def recent_days(limit: int = 30) -> list[dict[str, Any]]:
    """The latest days with postings or drawers: date, status, entries' net and payments in."""
    days = list(BusinessDay.objects.order_by("-date").values("date", "status")[:limit])
    if not days:
        return []
    from medoffice.billing.models import LedgerEntry, Payment

    dates = [d["date"] for d in days]
    net = {
        day: cents(t)
        for day, t in LedgerEntry.objects.filter(posted_on__in=dates)
        .values_list("posted_on")
        .annotate(t=Sum("amount"))
        .order_by()
    }
    paid = {
        day: cents(t)
        for day, t in Payment.objects.filter(received_on__in=dates)
        .values_list("received_on")
        .annotate(t=Sum("amount"))
        .order_by()
    }
    return [
        {**d, "net": net.get(d["date"]) or ZERO, "payments": paid.get(d["date"]) or ZERO}
        for d in days
    ]
