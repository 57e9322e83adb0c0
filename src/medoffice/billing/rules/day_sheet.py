"""The day sheet's figures, folded from aggregate rows (no Django): they always add up.

- ``totals``: the day's ledger entries by kind, signed as posted (payments negative). Their sum
  is the sum of every entry posted on the day (transfers net to zero across the two buckets).
- ``payments_by_method``: what came in by cash, check, card and HSA/FSA (positive amounts); it
  equals minus the payment entries, because a payment's entries add up to minus its amount.
- ``by_provider`` (the entry's provider, else its visit's) and ``by_user`` (who posted it).
- ``deposit``: cash and checks to take to the bank. The floats stay in the drawers, so the cash
  deposited is the cash counted in the counted drawers less their opening floats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from medoffice.billing.rules.drawer_count import LABELS, VALUES, cash_of, keep_floats

LABELS_OF_DENOMINATIONS = LABELS

ZERO = Decimal("0.00")
KINDS = ("charge", "payment", "adjustment", "refund", "reversal", "transfer")
METHODS = ("cash", "check", "card", "hsa")
METHOD_LABELS = {"cash": "Cash", "check": "Check", "card": "Card", "hsa": "HSA/FSA"}
KIND_LABELS = {
    "charge": "Charges",
    "payment": "Payments",
    "adjustment": "Adjustments",
    "refund": "Refunds",
    "reversal": "Reversals",
    "transfer": "Transfers",
}


@dataclass(frozen=True)
class EntryRow:
    """One aggregate of the day's entries: kind, provider, who posted, sum and count."""

    kind: str
    provider_id: int | None
    user_id: int
    total: Decimal
    count: int


@dataclass(frozen=True)
class TenderRow:
    method: str
    user_id: int
    total: Decimal
    count: int


@dataclass
class KindTotals:
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))
    count: int = 0

    def add(self, kind: str, amount: Decimal, count: int) -> None:
        self.amounts[kind] = self.amounts.get(kind, ZERO) + amount
        self.count += count

    @property
    def net(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    def __getattr__(self, name: str) -> Decimal:  # charges, payments, ... for templates
        singular = {f"{k}s": k for k in KINDS}.get(name)
        if singular is None:
            raise AttributeError(name)
        return self.amounts.get(singular, ZERO)


@dataclass
class Line:
    key: int | None
    label: str
    totals: KindTotals = field(default_factory=KindTotals)
    collected: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(METHODS, ZERO))

    @property
    def collected_total(self) -> Decimal:
        return sum(self.collected.values(), ZERO)


@dataclass(frozen=True)
class DrawerRow:
    user_id: int
    user: str
    status: str
    opening_float: Decimal
    expected_cash: Decimal
    counted_cash: Decimal | None
    cash_over_short: Decimal | None
    expected_checks: Decimal
    counted_checks: Decimal | None
    checks_over_short: Decimal | None
    check_count: int
    counted_check_count: int | None
    card_total: Decimal
    reason: str
    denominations: Mapping[str, int]


@dataclass(frozen=True)
class Deposit:
    counted_cash: Decimal  # in the counted drawers
    floats_kept: Decimal
    checks: list[tuple[str, Decimal]]  # (check number, amount)
    by_denomination: dict[str, int]  # the cash deposited, when the floats could be kept exactly
    exact: bool  # False: by_denomination is the count, less floats_kept as one line

    @property
    def cash(self) -> Decimal:
        return self.counted_cash - self.floats_kept

    @property
    def checks_total(self) -> Decimal:
        return sum((amount for _n, amount in self.checks), ZERO)

    @property
    def total(self) -> Decimal:
        return self.cash + self.checks_total

    def denomination_lines(self) -> list[tuple[str, int, Decimal]]:
        """(key, pieces, value of one piece), largest first."""
        return [(k, n, VALUES[k]) for k, n in self.by_denomination.items()]


@dataclass
class DaySheet:
    day: dt.date
    totals: KindTotals
    payments_by_method: dict[str, Decimal]
    refunds_by_method: dict[str, Decimal]
    by_provider: list[Line]
    by_user: list[Line]
    drawers: list[DrawerRow]
    deposit: Deposit
    status: str = "open"

    @property
    def payments_collected(self) -> Decimal:
        return sum(self.payments_by_method.values(), ZERO)

    @property
    def adds_up(self) -> bool:
        return (
            self.payments_collected == -self.totals.amounts["payment"]
            and sum((line.totals.net for line in self.by_provider), ZERO) == self.totals.net
            and sum((line.totals.net for line in self.by_user), ZERO) == self.totals.net
        )


def build(
    day: dt.date,
    entries: Iterable[EntryRow],
    tenders: Iterable[TenderRow],
    refunds: Mapping[str, Decimal],
    *,
    providers: Mapping[int, str],
    users: Mapping[int, str],
    drawers: list[DrawerRow],
    checks: list[tuple[str, Decimal]],
) -> DaySheet:
    totals = KindTotals()
    by_provider: dict[int | None, Line] = {}
    by_user: dict[int, Line] = {}
    for row in entries:
        totals.add(row.kind, row.total, row.count)
        label = providers.get(row.provider_id, "") if row.provider_id else "No provider"
        by_provider.setdefault(row.provider_id, Line(row.provider_id, label)).totals.add(
            row.kind, row.total, row.count
        )
        _user_line(by_user, row.user_id, users).totals.add(row.kind, row.total, row.count)
    by_method = dict.fromkeys(METHODS, ZERO)
    for tender in tenders:
        by_method[tender.method] = by_method.get(tender.method, ZERO) + tender.total
        line = _user_line(by_user, tender.user_id, users)
        line.collected[tender.method] = line.collected.get(tender.method, ZERO) + tender.total
    return DaySheet(
        day=day,
        totals=totals,
        payments_by_method=by_method,
        refunds_by_method={m: refunds.get(m, ZERO) for m in METHODS},
        by_provider=sorted(by_provider.values(), key=lambda ln: (ln.key is None, ln.label)),
        by_user=sorted(by_user.values(), key=lambda ln: ln.label),
        drawers=drawers,
        deposit=deposit_of(drawers, checks),
    )


def _user_line(lines: dict[int, Line], user_id: int, users: Mapping[int, str]) -> Line:
    return lines.setdefault(user_id, Line(user_id, users.get(user_id, f"user {user_id}")))


def deposit_of(drawers: Iterable[DrawerRow], checks: list[tuple[str, Decimal]]) -> Deposit:
    """Counted drawers only: an uncounted drawer's cash is not known yet."""
    counts: dict[str, int] = {}
    floats = ZERO
    for drawer in drawers:
        if drawer.counted_cash is None:
            continue
        floats += drawer.opening_float
        for key, n in drawer.denominations.items():
            counts[key] = counts.get(key, 0) + int(n)
    kept, exact = keep_floats(counts, floats)
    ordered = {key: kept[key] for key in VALUES if key in kept}
    return Deposit(
        counted_cash=cash_of(counts),
        floats_kept=floats,
        checks=checks,
        by_denomination=ordered if exact else {k: counts[k] for k in VALUES if k in counts},
        exact=exact,
    )


def as_json(sheet: DaySheet) -> dict[str, Any]:
    """The figures as stored with the closed day (money as exact strings)."""

    def kinds(t: KindTotals) -> dict[str, str]:
        return {**{k: str(v) for k, v in t.amounts.items()}, "net": str(t.net)}

    def line(ln: Line) -> dict[str, Any]:
        return {"id": ln.key, "name": ln.label, "entries": kinds(ln.totals),
                "collected": {m: str(v) for m, v in ln.collected.items()}}  # fmt: skip

    dep = sheet.deposit
    return {
        "date": sheet.day.isoformat(),
        "totals": kinds(sheet.totals),
        "entry_count": sheet.totals.count,
        "payments_by_method": {m: str(v) for m, v in sheet.payments_by_method.items()},
        "payments_collected": str(sheet.payments_collected),
        "refunds_by_method": {m: str(v) for m, v in sheet.refunds_by_method.items()},
        "by_provider": [line(ln) for ln in sheet.by_provider],
        "by_user": [line(ln) for ln in sheet.by_user],
        "drawers": [_drawer_json(d) for d in sheet.drawers],
        "deposit": {
            "cash": str(dep.cash),
            "counted_cash": str(dep.counted_cash),
            "floats_kept": str(dep.floats_kept),
            "checks_total": str(dep.checks_total),
            "check_count": len(dep.checks),
            "total": str(dep.total),
        },
    }


def _drawer_json(d: DrawerRow) -> dict[str, Any]:
    def s(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {
        "user_id": d.user_id, "user": d.user, "status": d.status,
        "opening_float": str(d.opening_float), "expected_cash": str(d.expected_cash),
        "counted_cash": s(d.counted_cash), "cash_over_short": s(d.cash_over_short),
        "expected_checks": str(d.expected_checks), "counted_checks": s(d.counted_checks),
        "checks_over_short": s(d.checks_over_short), "card_total": str(d.card_total),
        "reason": d.reason,
    }  # fmt: skip


def csv_rows(sheet: DaySheet) -> list[list[str]]:
    """section, name, figure, amount: one row per figure, money as plain decimals."""
    rows = [["section", "name", "figure", "amount"]]
    for kind in KINDS:
        rows.append(["totals", "", KIND_LABELS[kind], str(sheet.totals.amounts[kind])])
    rows.append(["totals", "", "Net change in balances", str(sheet.totals.net)])
    for method in METHODS:
        rows.append(["payments by method", "", METHOD_LABELS[method],
                     str(sheet.payments_by_method[method])])  # fmt: skip
    for method in METHODS:
        rows.append(["refunds by method", "", METHOD_LABELS[method],
                     str(sheet.refunds_by_method[method])])  # fmt: skip
    for section, lines in (("by provider", sheet.by_provider), ("by user", sheet.by_user)):
        for ln in lines:
            for kind in KINDS:
                amount = ln.totals.amounts[kind]
                if amount:
                    rows.append([section, ln.label, KIND_LABELS[kind], str(amount)])
            if section == "by user":
                for method in METHODS:
                    if ln.collected[method]:
                        rows.append([section, ln.label, f"Collected {METHOD_LABELS[method]}",
                                     str(ln.collected[method])])  # fmt: skip
    for d in sheet.drawers:
        rows.append(["drawers", d.user, "Expected cash", str(d.expected_cash)])
        rows.append(["drawers", d.user, "Counted cash", _blank(d.counted_cash)])
        rows.append(["drawers", d.user, "Cash over/short", _blank(d.cash_over_short)])
        rows.append(["drawers", d.user, "Expected checks", str(d.expected_checks)])
        rows.append(["drawers", d.user, "Counted checks", _blank(d.counted_checks)])
    dep = sheet.deposit
    rows.append(["deposit", "", "Cash", str(dep.cash)])
    rows.append(["deposit", "", "Checks", str(dep.checks_total)])
    rows.append(["deposit", "", "Total", str(dep.total)])
    return rows


def _blank(value: Decimal | None) -> str:
    return "" if value is None else str(value)
