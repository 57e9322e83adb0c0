"""The demo's past money, written in bulk: the volume the services would take too long for.

For every past checked-out visit: the charge at the practice's fee (the copay or, for self-pay,
the whole fee for the patient; the rest pending with insurance), the copay taken at check-in or
check-out (cash with change, check, card keyed in from the standalone terminal, HSA/FSA, some
split cash and card) into the desk login's drawer of that location and day. Some visits a month
old have been decided by insurance (deductible or Medicare's 20 % moved to the patient), some of
those paid later (check at the desk, card by phone); a few prepayments for upcoming visits,
a few duplicate copays (credits the demo refunds today), a few write-offs, and old balances from
before the appointment history (so the aging shows 91-120 and 120+ accounts).

Every row keeps the ledger's rules: a payment's entries add up to minus its amount, cash
received is amount plus change, card tenders carry last four, brand and approval code, cash and
checks go into the receiving user's open drawer for that day. One audit entry per business day
records what was imported.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.choices import Bucket, EntryKind, PaymentPurpose, TenderMethod
from medoffice.billing.models import BusinessDay, CashDrawer, LedgerEntry, Payment, Tender
from medoffice.billing.services.payments import payment_entries

FLOAT = Decimal("150.00")
BRANDS = ["visa"] * 5 + ["mastercard"] * 3 + ["amex", "discover"]
TERMINALS = {"main": "RB-MAIN-01", "north": "RB-NORTH-01"}
NO_COPAY = {"Well-child visit", "Annual physical"}  # preventive: no copay
SPECIALIST = {"Cardiology consult", "Stress test", "EKG", "PT evaluation", "PT session"}
COPAYS = {"ppo": (25, 50), "hmo": (20, 40), "other": (30, 45)}
CENT = Decimal("0.01")


@dataclass
class Visit:
    id: int
    patient_id: int
    provider_id: int
    site: str  # location code
    kind: str  # appointment type name
    starts_at: dt.datetime
    ends_at: dt.datetime
    plan: str  # plan type, "" for self-pay
    lines: list[tuple[str, str, Decimal]]  # code, description, fee


@dataclass
class History:
    """What was written, for the services that run afterwards (plans, refunds, counts)."""

    days: list[dt.date] = field(default_factory=list)
    drawers: dict[tuple[int, dt.date], CashDrawer] = field(default_factory=dict)
    charges: list[LedgerEntry] = field(default_factory=list)
    duplicates: list[Payment] = field(default_factory=list)  # a credit to refund today
    entries: int = 0
    payments: int = 0


class Writer:
    """Collects rows in memory, then writes them in a few bulk inserts."""

    def __init__(self, rng: random.Random, users: dict[str, Any], zone: zoneinfo.ZoneInfo) -> None:
        self.rng, self.users, self.zone = rng, users, zone
        self.entries: list[LedgerEntry] = []
        self.payments: list[tuple[Payment, list[Tender], list[tuple[int | None, Decimal]]]] = []
        self.drawers: dict[tuple[int, dt.date], CashDrawer] = {}
        self.days: set[dt.date] = set()
        self.charge_rows: list[LedgerEntry] = []
        self.duplicates_made: list[Payment] = []

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), self.zone)

    def entry(self, patient_id: int, day: dt.date, at: dt.datetime, user: Any, **f: Any) -> None:
        self.days.add(day)
        row = LedgerEntry(patient_id=patient_id, posted_on=day, posted_at=at, posted_by=user, **f)
        self.entries.append(row)
        if row.kind == EntryKind.CHARGE:
            self.charge_rows.append(row)

    def drawer(self, user: Any, day: dt.date, location_id: int | None) -> CashDrawer:
        key = (user.pk, day)
        if key not in self.drawers:
            self.drawers[key] = CashDrawer(
                user=user,
                location_id=location_id,
                business_date=day,
                opening_float=FLOAT,
                opened_at=self.at(day, 7, 45),
            )
        return self.drawers[key]

    def pay(
        self,
        patient_id: int,
        day: dt.date,
        at: dt.datetime,
        user: Any,
        tenders: list[Tender],
        *,
        purpose: str,
        applied: list[tuple[int | None, Decimal]],
        appointment: int | None,
        location_id: int | None = None,
        plan: Any = None,
        note: str = "",
    ) -> Payment:
        self.days.add(day)
        total = sum((t.amount for t in tenders), Decimal(0))
        assert sum((a for _, a in applied), Decimal(0)) == total
        in_drawer = any(t.method in (TenderMethod.CASH, TenderMethod.CHECK) for t in tenders)
        payment = Payment(
            patient_id=patient_id,
            received_on=day,
            received_at=at,
            received_by=user,
            drawer=self.drawer(user, day, location_id) if in_drawer else None,
            purpose=purpose,
            amount=total,
            appointment_id=appointment,
            plan=plan,
            note=note,
        )
        self.payments.append((payment, tenders, applied))
        return payment

    # ---- tenders ---------------------------------------------------------------------------

    def card(self, amount: Decimal, site: str, *, hsa: bool = False) -> Tender:
        rng = self.rng
        return Tender(
            method=TenderMethod.HSA if hsa else TenderMethod.CARD,
            amount=amount,
            card_brand="visa" if hsa else rng.choice(BRANDS),
            card_last4=f"{rng.randrange(10**4):04d}",
            approval_code=f"{rng.randrange(16**6):06X}",
            entry_mode="manual",
            terminal_id=TERMINALS.get(site, TERMINALS["main"]),
        )

    def cash(self, amount: Decimal) -> Tender:
        roll = self.rng.random()
        if roll < 0.3:
            received = amount
        else:
            bill = 5 if roll < 0.55 else 20 if roll < 0.9 else 50
            received = Decimal((int(amount) // bill + 1) * bill)
        return Tender(
            method=TenderMethod.CASH,
            amount=amount,
            cash_received=received,
            change_given=received - amount,
        )

    def check(self, amount: Decimal) -> Tender:
        return Tender(
            method=TenderMethod.CHECK,
            amount=amount,
            check_number=str(self.rng.randrange(1001, 9999)),
        )

    def desk_tenders(self, amount: Decimal, site: str) -> list[Tender]:
        roll = self.rng.random()
        if roll < 0.30:
            return [self.cash(amount)]
        if roll < 0.40:
            return [self.check(amount)]
        if roll < 0.48:
            return [self.card(amount, site, hsa=True)]
        if roll < 0.55 and amount > 20:
            part = Decimal(10 if amount <= 30 else 20)
            return [self.cash(part), self.card(amount - part, site)]
        return [self.card(amount, site)]

    # ---- writing ---------------------------------------------------------------------------

    def write(self) -> History:
        BusinessDay.objects.bulk_create(
            [BusinessDay(date=d) for d in sorted(self.days)], ignore_conflicts=True
        )
        CashDrawer.objects.bulk_create(self.drawers.values())
        payments = [p for p, _, _ in self.payments]
        Payment.objects.bulk_create(payments, batch_size=1000)
        tenders, entries = [], list(self.entries)
        for payment, given, applied in self.payments:
            for tender in given:
                tender.payment = payment
                tenders.append(tender)
            entries.extend(payment_entries(payment, applied))
        Tender.objects.bulk_create(tenders, batch_size=1000)
        LedgerEntry.objects.bulk_create(entries, batch_size=1000)
        self._audit(entries)
        return History(
            days=sorted(self.days),
            drawers=self.drawers,
            charges=self.charge_rows,
            duplicates=self.duplicates_made,
            entries=len(entries),
            payments=len(payments),
        )

    def _audit(self, entries: list[LedgerEntry]) -> None:
        per_day: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
        for row in entries:
            per_day[row.posted_on][0] += 1
        for payment, _, _ in self.payments:
            per_day[payment.received_on][1] += 1
        ids = dict(BusinessDay.objects.filter(date__in=per_day).values_list("date", "id"))
        for day, (n_entries, n_payments) in sorted(per_day.items()):
            record(
                AuditAction.CREATE,
                target_type="billing.businessday",
                target_id=ids[day],
                detail={
                    "demo_history": day.isoformat(),
                    "entries": n_entries,
                    "payments": n_payments,
                },
            )


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def copay_of(visit: Visit, fee: Decimal) -> Decimal:
    if not visit.plan:
        return fee
    if visit.kind in NO_COPAY or visit.plan in ("medicare", "medicaid_mco"):
        return Decimal(0)
    primary, specialist = COPAYS.get(visit.plan, COPAYS["other"])
    return min(fee, Decimal(specialist if visit.kind in SPECIALIST else primary))


def next_day(days: list[dt.date], after: dt.date, today: dt.date) -> dt.date | None:
    """The first business day on or after ``after`` that is before today."""
    i = bisect.bisect_left(days, after)
    return days[i] if i < len(days) and days[i] < today else None


def write_history(
    visits: list[Visit],
    upcoming: list[tuple[int, int, dt.datetime]],
    ctx: Any,
    users: dict[str, Any],
    locations: dict[str, Any],
    today: dt.date,
) -> History:
    """All of the past, in memory first, then in bulk (see the module docstring)."""
    rng = random.Random(f"medoffice-demo-billing:{ctx.seed}")  # noqa: S311 - synthetic data
    zone = zoneinfo.ZoneInfo(locations["main"].time_zone)
    w = Writer(rng, users, zone)
    desk = {"main": users["frontdesk"], "north": users["frontdesk2"]}
    visit_days = sorted({v.starts_at.astimezone(zone).date() for v in visits})
    decided: list[tuple[Visit, Decimal, dt.date]] = []
    for visit in visits:
        day = visit.starts_at.astimezone(zone).date()
        user, site = desk[visit.site], visit.site
        fee = sum((line[2] for line in visit.lines), Decimal(0))
        copay = copay_of(visit, fee)
        left = copay
        for code, description, price in visit.lines:
            mine = min(left, price)
            left -= mine
            common = {
                "kind": EntryKind.CHARGE,
                "appointment_id": visit.id,
                "provider_id": visit.provider_id,
                "code": code,
                "description": description,
            }
            for bucket, amount in ((Bucket.PATIENT, mine), (Bucket.INSURANCE, price - mine)):
                if amount:
                    w.entry(
                        visit.patient_id,
                        day,
                        visit.ends_at,
                        user,
                        bucket=bucket,
                        amount=amount,
                        **common,
                    )
        if copay and rng.random() < (0.88 if visit.plan else 0.65):
            early = rng.random() < 0.6  # at check-in, else at check-out
            at = visit.starts_at - dt.timedelta(minutes=5) if early else visit.ends_at
            purpose = PaymentPurpose.COPAY if visit.plan else PaymentPurpose.BALANCE
            w.pay(
                visit.patient_id,
                day,
                at,
                user,
                w.desk_tenders(copay, site),
                purpose=purpose,
                applied=[(visit.id, copay)],
                appointment=visit.id,
                location_id=locations[site].pk,
            )
            if (
                len(w.duplicates_made) < 3
                and visit.plan
                and (today - day).days < 15
                and rng.random() < 0.05
            ):
                w.duplicates_made.append(
                    w.pay(
                        visit.patient_id,
                        day,
                        at + dt.timedelta(minutes=1),
                        user,
                        [w.card(copay, site)],
                        purpose=PaymentPurpose.COPAY,
                        applied=[(visit.id, copay)],
                        appointment=visit.id,
                        note="Copay charged twice at the terminal",
                    )
                )
        insurance = fee - copay
        if (today - day).days > 30 and insurance > 0:
            if visit.plan == "medicare":
                decided.append((visit, money(insurance * Decimal("0.55") * Decimal("0.20")), day))
            elif visit.plan in ("ppo", "hmo") and rng.random() < 0.22:
                owed = min(insurance, Decimal(rng.choice((35, 60, 85, 120, 150, 180))))
                decided.append((visit, owed, day))
    for visit, owed, seen_on in decided:
        _decide(w, visit, owed, seen_on, visit_days, today, rng, desk, locations)
    _prepayments(w, upcoming, visit_days, today, rng, locations)
    _old_balances(w, visits, today, rng, users)
    return w.write()


def _decide(
    w: Writer,
    visit: Visit,
    owed: Decimal,
    seen_on: dt.date,
    days: list[dt.date],
    today: dt.date,
    rng: random.Random,
    desk: dict[str, Any],
    locations: dict[str, Any],
) -> None:
    """Insurance decided: ``owed`` moves to the patient; some pay it later."""
    on = next_day(days, seen_on + dt.timedelta(days=rng.randrange(18, 32)), today)
    if on is None:
        return
    biller = w.users["billing"]
    reason = "Medicare: 20% coinsurance" if visit.plan == "medicare" else "Applied to deductible"
    common = {
        "kind": EntryKind.TRANSFER,
        "appointment_id": visit.id,
        "provider_id": visit.provider_id,
        "reason": reason,
        "description": "Insurance decided: patient responsibility",
    }
    at = w.at(on, 10, rng.randrange(60))
    w.entry(visit.patient_id, on, at, biller, bucket=Bucket.INSURANCE, amount=-owed, **common)
    w.entry(visit.patient_id, on, at, biller, bucket=Bucket.PATIENT, amount=owed, **common)
    if rng.random() < 0.45:
        paid_on = next_day(days, on + dt.timedelta(days=rng.randrange(5, 25)), today)
        if paid_on is None:
            return
        if rng.random() < 0.5 and paid_on.weekday() < 5:  # mailed check, opened at Main Street
            user = desk["main"]
            tenders = [w.check(owed)]
        else:  # by phone, keyed in by the biller
            user, tenders = biller, [w.card(owed, "main")]
        w.pay(
            visit.patient_id,
            paid_on,
            w.at(paid_on, 11, rng.randrange(60)),
            user,
            tenders,
            purpose=PaymentPurpose.BALANCE,
            applied=[(visit.id, owed)],
            appointment=None,
            location_id=locations["main"].pk,
        )
    elif visit.plan == "medicare" and owed < Decimal(5) and rng.random() < 0.5:
        w.entry(
            visit.patient_id,
            on,
            at,
            biller,
            kind=EntryKind.ADJUSTMENT,
            bucket=Bucket.PATIENT,
            amount=-owed,
            appointment_id=visit.id,
            provider_id=visit.provider_id,
            reason="Small balance write-off (under $5.00)",
            description="Adjustment",
        )


def _prepayments(
    w: Writer,
    upcoming: list[tuple[int, int, dt.datetime]],
    days: list[dt.date],
    today: dt.date,
    rng: random.Random,
    locations: dict[str, Any],
) -> None:
    """A few patients paid ahead for an upcoming visit (by phone, card)."""
    for visit_id, patient_id, _starts in upcoming[:4]:
        on = next_day(days, today - dt.timedelta(days=rng.randrange(3, 10)), today)
        if on is None:
            continue
        amount = Decimal(rng.choice((100, 150, 200)))
        w.pay(
            patient_id,
            on,
            w.at(on, 14, rng.randrange(60)),
            w.users["billing"],
            [w.card(amount, "main")],
            purpose=PaymentPurpose.PREPAYMENT,
            applied=[(visit_id, amount)],
            appointment=visit_id,
            note="Paid ahead for the visit (self-pay estimate)",
        )


def _old_balances(
    w: Writer, visits: list[Visit], today: dt.date, rng: random.Random, users: dict[str, Any]
) -> None:
    """Visits from before the appointment history, still owed: 91-120 and over 120 days."""
    self_pay = sorted({v.patient_id for v in visits if not v.plan})
    insured = sorted({v.patient_id for v in visits if v.plan})
    chosen = self_pay[:8] + insured[:6]
    provider = visits[0].provider_id if visits else None
    for n, patient_id in enumerate(chosen):
        day = today - dt.timedelta(
            days=rng.randrange(96, 118) if n % 2 else rng.randrange(125, 200)
        )
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        amount = Decimal(rng.choice(("135.00", "190.00", "245.00", "85.00", "60.00")))
        w.entry(
            patient_id,
            day,
            w.at(day, 16),
            users["billing"],
            kind=EntryKind.CHARGE,
            bucket=Bucket.PATIENT,
            amount=amount,
            provider_id=provider,
            code="99213",
            description="Office visit (balance from before the appointment history)",
        )
