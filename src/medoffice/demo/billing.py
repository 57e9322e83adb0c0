"""The demo's money at the desk: about three months of charges, copays and balance payments
(``billing_history``, in bulk), then through the billing services: payment plans (one
overdue), last month's statement run with most statements marked sent, every past drawer counted
(two with a small over/short explained), the card batches recorded and every past day closed by
the manager; today the front-desk drawers are open, a few copays are taken at check-in, two
refunds approved by the manager, a few write-offs and one reversal posted.

Services stamp "now"; the rows they wrote for past days (drawer counts, settlements, closes, the
plans and the statement run) get their day's own time afterwards. Ledger entries and tenders
are never changed (the database refuses it): the past ones are written with their times.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from medoffice.billing import queries
from medoffice.billing.choices import PaymentPurpose, StatementDelivery
from medoffice.billing.models import (
    BusinessDay,
    CardSettlement,
    CashDrawer,
    DayEvent,
    PaymentPlan,
    StatementRun,
    Tender,
)
from medoffice.billing.rules import drawer_count
from medoffice.billing.services import day_close, drawers, ledger, payments, plans, refunds
from medoffice.billing.services import statements as statement_services
from medoffice.demo import billing_history as history
from medoffice.demo.insurance import PLANNED, PRICES
from medoffice.insurance import queries as insurance
from medoffice.practice import queries as practice
from medoffice.scheduling.choices import AppointmentStatus as S
from medoffice.scheduling.models import Appointment

SHORT_DAYS = {
    3: ("-5.00", "Gave $5 too much change on a $20 bill"),
    9: ("2.00", "Two dollar coins left from the morning float count"),
}
VISITING = (S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, "ready_for_checkout")


@dataclass
class BillingDemo:
    entries: int = 0
    payments: int = 0
    closed_days: int = 0
    drawers_counted: int = 0
    plans: int = 0
    statements: int = 0
    refunds: int = 0
    today_payments: int = 0


def _visits(today_start: dt.datetime) -> tuple[list[history.Visit], list[tuple[int, int, Any]]]:
    rows = list(
        Appointment.objects.filter(status=S.CHECKED_OUT, starts_at__lt=today_start)
        .select_related("location", "appointment_type")
        .order_by("starts_at", "pk")
    )
    coverages = insurance.primary_coverages({a.patient_id for a in rows}, on=today_start.date())
    visits = []
    for a in rows:
        coverage = coverages.get(a.patient_id)
        plan = "" if coverage is None else str(coverage.plan.plan_type)
        if plan not in ("", "ppo", "hmo", "medicare", "medicaid_mco"):
            plan = "other"
        lines = [
            (code, PRICES[code][0], Decimal(PRICES[code][1]) * units)
            for code, units in PLANNED.get(a.appointment_type.name, [("99213", 1)])
        ]
        visits.append(
            history.Visit(
                a.pk,
                a.patient_id,
                a.provider_id,
                a.location.code,
                a.appointment_type.name,
                a.starts_at,
                a.ends_at,
                plan,
                lines,
            )
        )
    upcoming = list(
        Appointment.objects.filter(
            status__in=(S.BOOKED, S.CONFIRMED), starts_at__gte=today_start + dt.timedelta(days=2)
        )
        .order_by("starts_at", "pk")
        .values_list("pk", "patient_id", "starts_at")[:4]
    )
    return visits, upcoming


def _users() -> dict[str, Any]:
    names = ("frontdesk", "frontdesk2", "billing", "manager")
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _plans(users: dict[str, Any], today: dt.date, made: history.History, w: Any) -> int:
    """Three plans for patients owing the most: one paid up to date, one overdue, one new."""
    owed = queries.balances_of({e.patient_id for e in made.charges})
    biggest = sorted((b.due_now, pid) for pid, b in owed.items() if b.due_now >= 150)[-3:]
    shapes = [(50, 2), (40, 1), (5, 0)]  # (days ago created, instalments paid)
    count = 0
    from medoffice.patients import queries as patients

    for (due, patient_id), (ago, paid) in zip(reversed(biggest), shapes, strict=False):
        patient = patients.get_patient_row(patient_id)
        first_due = today - dt.timedelta(days=ago - 10)
        plan = plans.create_plan(
            patient,
            acting_user=users["billing"],
            total=due,
            instalments=4,
            frequency="monthly",
            first_due=first_due,
            note="Agreed by phone",
        )
        PaymentPlan.objects.filter(pk=plan.pk).update(
            created_at=w.at(today - dt.timedelta(days=ago), 15)
        )
        for instalment in list(plan.instalments.order_by("number"))[:paid]:
            day = history.next_day(made.days, instalment.due_on, today)
            if day is not None:
                w.pay(
                    patient_id,
                    day,
                    w.at(day, 12),
                    users["billing"],
                    [w.card(instalment.amount, "main")],
                    purpose=PaymentPurpose.PLAN,
                    applied=[(None, instalment.amount)],
                    appointment=None,
                    plan=plan,
                    note=f"Instalment {instalment.number}",
                )
        count += 1
    return count


def _count_and_close(made: history.History, users: dict[str, Any], today: dt.date, w: Any) -> int:
    """Every past drawer counted, card batches recorded, each past day closed by the manager."""
    manager = users["manager"]
    closed = 0
    with_drawers = 0
    for day in (d for d in made.days if d < today):
        found = drawers.drawers_of_day(day)
        with_drawers += bool(found)
        n = with_drawers if found else -1
        for drawer in found:
            expected = drawers.drawer_expectation(drawer)
            delta, reason = SHORT_DAYS.get(n, ("0", ""))
            drawers.count_drawer(
                drawer,
                acting_user=drawer.user,
                denominations=drawer_count.count_for(expected.expected_cash + Decimal(delta)),
                checks_total=expected.checks_total,
                check_count=expected.check_count,
                reason=reason,
            )
        cards = Tender.objects.filter(
            payment__received_on=day, method__in=("card", "hsa")
        ).values_list("terminal_id", "amount")
        batches: dict[str, list[Decimal]] = {}
        for terminal, amount in cards:
            batches.setdefault(terminal or history.TERMINALS["main"], []).append(amount)
        for terminal, amounts in sorted(batches.items()):
            day_close.record_settlement(
                day,
                acting_user=manager,
                terminal_id=terminal,
                batch_total=f"{sum(amounts):.2f}",
                batch_count=len(amounts),
                batch_ref=f"{terminal[-7:]}-{day:%m%d}",
            )
        day_close.close_day(day, acting_user=manager)
        closed += 1
        evening = w.at(day, 17, 20)
        CashDrawer.objects.filter(business_date=day).update(counted_at=evening)
        CardSettlement.objects.filter(business_date=day).update(recorded_at=evening)
        BusinessDay.objects.filter(date=day).update(closed_at=w.at(day, 17, 40))
        DayEvent.objects.filter(day__date=day).update(at=w.at(day, 17, 40))
    return closed


def _statements(users: dict[str, Any], today: dt.date, w: Any) -> int:
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    run = statement_services.run_statements(
        acting_user=users["billing"],
        statement_date=last_month,
        message="Questions about your bill? Call us at (555) 010-2000.",
    )
    StatementRun.objects.filter(pk=run.pk).update(created_at=w.at(last_month, 18))
    made = list(run.statements.order_by("pk"))
    sent = made[: len(made) * 4 // 5]
    by_mail, by_email = sent[::3], [s for i, s in enumerate(sent) if i % 3]
    statement_services.mark_sent(by_mail, acting_user=users["billing"], via=StatementDelivery.MAIL)
    statement_services.mark_sent(
        by_email, acting_user=users["billing"], via=StatementDelivery.PRINTED
    )
    run.statements.filter(sent_at__isnull=False).update(
        sent_at=w.at(last_month + dt.timedelta(days=1), 9)
    )
    return len(made)


def _today(
    users: dict[str, Any],
    made: history.History,
    today: dt.date,
    rng: random.Random,
) -> tuple[int, int]:
    """Drawers open, copays at check-in, two refunds, write-offs and a reversal."""
    sites = {loc.code: loc for loc in practice.list_locations()}
    for name, site in (("frontdesk", "main"), ("frontdesk2", "north")):
        drawers.open_drawer(acting_user=users[name], opening_float="150.00", location=sites[site])
    taken = 0
    now = timezone.now()
    visiting = Appointment.objects.filter(
        status__in=VISITING, starts_at__date__gte=today - dt.timedelta(days=1), starts_at__lte=now
    ).select_related("patient", "location")
    for n, visit in enumerate(visiting[:6]):
        user = users["frontdesk" if visit.location.code == "main" else "frontdesk2"]
        amount = Decimal(rng.choice((20, 25, 40)))
        card = payments.TenderIn(
            method="card",
            amount=amount - 10 if n % 3 == 2 else amount,
            card_brand="visa",
            card_last4=f"{rng.randrange(10**4):04d}",
            approval_code=f"{rng.randrange(16**6):06X}",
            entry_mode="manual",
        )
        given = {
            0: [payments.TenderIn(method="cash", amount=amount, cash_received="50.00")],
            1: [card],
            2: [payments.TenderIn(method="cash", amount="10.00"), card],
        }[n % 3]
        payments.post_payment(
            visit.patient,
            acting_user=user,
            tenders=given,
            purpose=PaymentPurpose.COPAY,
            appointment=visit,
            key=f"demo-copay-{visit.pk}",
        )
        taken += 1
    done = 0
    credits = queries.balances_of({p.patient_id for p in made.duplicates})
    refundable = [p for p in made.duplicates if credits[p.patient_id].credit >= p.amount]
    for payment, method in zip(refundable[:2], ("check", "cash"), strict=False):
        refund = refunds.request_refund(
            payment.patient,
            acting_user=users["frontdesk"],
            amount=payment.amount,
            method=method,
            reason="Copay charged twice at the terminal",
            payment=payment,
        )
        refunds.approve_refund(
            refund,
            acting_user=users["manager"],
            check_number="5012",
            note="Checked against the terminal journal",
        )
        done += 1
    owing = queries.balances_of({e.patient_id for e in made.charges[:400]})
    small = [pid for pid, b in sorted(owing.items()) if Decimal("0") < b.due_now < Decimal("10")]
    from medoffice.patients import queries as patients

    for pid in small[:3]:
        ledger.post_adjustment(
            patients.get_patient_row(pid),
            acting_user=users["billing"],
            amount=owing[pid].due_now,
            lowers=True,
            reason="Small balance write-off (under $10.00)",
        )
    wrong = next((e for e in made.charges if e.bucket == "patient"), None)
    if wrong is not None:
        ledger.reverse_entry(
            wrong,
            acting_user=users["billing"],
            reason="Charged in error: the visit was a no-charge follow-up",
        )
    return taken, done


def populate(ctx: Any) -> BillingDemo:
    """Run after the insurance demo (needs visits, coverages and prices)."""
    result = BillingDemo()
    if ctx.booked is None:
        return result
    today = ctx.today or timezone.localdate()
    locations = {loc.code: loc for loc in practice.list_locations()}
    zone = zoneinfo.ZoneInfo(locations["main"].time_zone)
    users = _users()
    visits, upcoming = _visits(dt.datetime.combine(today, dt.time(0), zone))
    rng = random.Random(f"medoffice-demo-billing-today:{ctx.seed}")  # noqa: S311 - synthetic
    made = history.write_history(visits, upcoming, ctx, users, locations, today)
    w = history.Writer(rng, users, zone)
    result.plans = _plans(users, today, made, w)
    extra = w.write()  # the plan instalments paid
    made.days = sorted(set(made.days) | set(extra.days))
    result.entries, result.payments = made.entries + extra.entries, made.payments + extra.payments
    result.statements = _statements(users, today, w)
    result.closed_days = _count_and_close(made, users, today, w)
    result.drawers_counted = CashDrawer.objects.filter(business_date__lt=today).count()
    result.today_payments, result.refunds = _today(users, made, today, rng)
    return result
