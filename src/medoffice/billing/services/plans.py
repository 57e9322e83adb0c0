"""Payment plans: a balance split into scheduled instalments, what is due, and reminders.

What a plan has received is the sum of its payments (``Payment.plan``); it pays the instalments
in order (a waterfall), so each instalment is paid, partly paid, due or overdue without any
stored "paid" flag to drift. One active plan per patient is enforced by the database.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import queries
from medoffice.billing.choices import PlanFrequency, PlanStatus
from medoffice.billing.errors import PlanError
from medoffice.billing.models import Instalment, Payment, PaymentPlan
from medoffice.billing.rules.money import ZERO, cents, money, parse_amount, split_evenly
from medoffice.billing.services.days import business_today
from medoffice.jobs.registry import job

MIN_INSTALMENTS, MAX_INSTALMENTS = 2, 36
REMIND_DAYS_AHEAD = 3
REMINDER_SUBJECT = "A reminder from your doctor's office"


def due_dates(first_due: dt.date, count: int, frequency: str) -> list[dt.date]:
    """Weekly, every two weeks, or monthly on the same day (the month's last day if shorter)."""
    if frequency == PlanFrequency.WEEKLY:
        return [first_due + dt.timedelta(weeks=n) for n in range(count)]
    if frequency == PlanFrequency.BIWEEKLY:
        return [first_due + dt.timedelta(weeks=2 * n) for n in range(count)]
    dates = []
    for n in range(count):
        month_index = first_due.month - 1 + n
        year, month = first_due.year + month_index // 12, month_index % 12 + 1
        day = min(first_due.day, calendar.monthrange(year, month)[1])
        dates.append(dt.date(year, month, day))
    return dates


def create_plan(
    patient: Any,
    *,
    acting_user: Any,
    total: Any,
    instalments: int,
    frequency: str,
    first_due: dt.date,
    note: str = "",
) -> PaymentPlan:
    """Split ``total`` (at most what the patient owes now) into 2-36 instalments."""
    amount = parse_amount(total)
    if not isinstance(instalments, int) or not MIN_INSTALMENTS <= instalments <= MAX_INSTALMENTS:
        raise PlanError(f"A plan has {MIN_INSTALMENTS} to {MAX_INSTALMENTS} instalments.")
    if frequency not in PlanFrequency.values:
        raise PlanError("Choose weekly, every two weeks or monthly.")
    if amount / instalments < Decimal("0.01"):
        raise PlanError("Each instalment must be at least one cent.")
    with transaction.atomic():
        owed = queries.balance_of(patient.pk).due_now
        if amount > owed:
            raise PlanError(
                f"The plan total ({money(amount)}) is more than the patient owes now "
                f"({money(owed)})."
            )
        plan = PaymentPlan(
            patient=patient,
            total=amount,
            frequency=frequency,
            first_due=first_due,
            note=note.strip()[:300],
            created_by=acting_user,
            created_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise PlanError(
                "This patient already has an active payment plan; cancel it or let it finish "
                "before setting up another."
            ) from None
        dates = due_dates(first_due, instalments, frequency)
        amounts = split_evenly(amount, instalments)
        Instalment.objects.bulk_create(
            Instalment(plan=plan, number=n, due_on=day, amount=share)
            for n, (day, share) in enumerate(zip(dates, amounts, strict=True), start=1)
        )
        record(
            AuditAction.CREATE,
            actor=acting_user,
            target=plan,
            patient_id=patient.pk,
            detail={"total": str(amount), "instalments": instalments, "frequency": frequency},
        )
    return plan


# --- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstalmentView:
    instalment: Instalment
    paid: Decimal
    left: Decimal
    state: str  # "paid", "partly paid", "due", "overdue"

    @property
    def number(self) -> int:
        return self.instalment.number

    @property
    def due_on(self) -> dt.date:
        return self.instalment.due_on

    @property
    def amount(self) -> Decimal:
        return self.instalment.amount


@dataclass(frozen=True)
class PlanStatusView:
    plan: PaymentPlan
    paid: Decimal
    remaining: Decimal
    instalments: list[InstalmentView]
    next_due: InstalmentView | None
    amount_due_now: Decimal  # what is left of instalments due today or earlier

    @property
    def overdue(self) -> bool:
        return any(i.state == "overdue" for i in self.instalments)

    @property
    def is_paid(self) -> bool:
        return self.remaining <= 0


def _waterfall(
    plan: PaymentPlan, rows: Sequence[Instalment], paid: Decimal, today: dt.date
) -> PlanStatusView:
    pool = paid
    views = []
    for instalment in rows:
        applied = min(pool, instalment.amount)
        pool -= applied
        left = instalment.amount - applied
        if not left:
            state = "paid"
        elif instalment.due_on < today:
            state = "overdue"
        elif applied:
            state = "partly paid"
        else:
            state = "due"
        views.append(InstalmentView(instalment, applied, left, state))
    open_ones = [v for v in views if v.left]
    return PlanStatusView(
        plan=plan,
        paid=paid,
        remaining=max(plan.total - paid, ZERO),
        instalments=views,
        next_due=open_ones[0] if open_ones else None,
        amount_due_now=sum((v.left for v in open_ones if v.due_on <= today), ZERO),
    )


def paid_on_plans(plan_ids: Iterable[int]) -> dict[int, Decimal]:
    """What each plan has received (one query)."""
    rows = (
        Payment.objects.filter(plan_id__in=list(plan_ids))
        .values("plan_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("plan_id", "total")
    )
    return {pid: cents(total or ZERO) for pid, total in rows}


def plan_statuses(
    plans: Iterable[PaymentPlan], *, today: dt.date | None = None
) -> list[PlanStatusView]:
    """Status of many plans in two queries (instalments, payments)."""
    listed = list(plans)
    today = today or business_today()
    by_plan: dict[int, list[Instalment]] = {p.pk: [] for p in listed}
    for row in Instalment.objects.filter(plan_id__in=list(by_plan)).order_by("plan_id", "number"):
        by_plan[row.plan_id].append(row)
    paid = paid_on_plans(by_plan)
    return [_waterfall(p, by_plan[p.pk], paid.get(p.pk, ZERO), today) for p in listed]


def plan_status(plan: PaymentPlan, *, today: dt.date | None = None) -> PlanStatusView:
    return plan_statuses([plan], today=today)[0]


def cancel_plan(plan: PaymentPlan, *, acting_user: Any, reason: str) -> PaymentPlan:
    """End an active plan with a reason (its payments stay on the account)."""
    why = reason.strip()
    if not why:
        raise PlanError("Say why the payment plan is cancelled.")
    with transaction.atomic():
        locked = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.ACTIVE:
            raise PlanError(f"This plan is already {locked.get_status_display().lower()}.")
        locked.status = PlanStatus.CANCELLED
        locked.ended_at = timezone.now()
        locked.ended_by = acting_user
        locked.note = (f"{locked.note} · " if locked.note else "") + f"Cancelled: {why}"
        locked.note = locked.note[:300]
        locked.save(update_fields=["status", "ended_at", "ended_by", "note"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=locked,
            patient_id=locked.patient_id,
            fields=["status"],
            detail={"status": PlanStatus.CANCELLED, "reason": why[:300]},
        )
    return locked


def complete_plan_if_paid(plan: PaymentPlan, *, acting_user: Any = None) -> bool:
    """Mark an active plan paid in full once its payments reach its total; True if it was.
    Call it after posting a plan payment (the daily reminders job also sweeps every plan)."""
    with transaction.atomic():
        locked = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.ACTIVE:
            return False
        if paid_on_plans([locked.pk]).get(locked.pk, ZERO) < locked.total:
            return False
        locked.status = PlanStatus.COMPLETED
        locked.ended_at = timezone.now()
        locked.ended_by = acting_user
        locked.save(update_fields=["status", "ended_at", "ended_by"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=locked,
            patient_id=locked.patient_id,
            fields=["status"],
            detail={"status": PlanStatus.COMPLETED},
        )
    plan.status = locked.status
    return True


def active_plans() -> Any:
    return PaymentPlan.objects.filter(status=PlanStatus.ACTIVE).select_related("patient")


# --- what is due, and reminders --------------------------------------------------------------


@dataclass(frozen=True)
class DueInstalment:
    plan: PaymentPlan
    instalment: Instalment
    left: Decimal
    overdue: bool

    @property
    def reminded(self) -> bool:
        return self.instalment.reminded_at is not None


def due_reminders(on: dt.date) -> list[DueInstalment]:
    """Open instalments of active plans due within three days of ``on`` or overdue, oldest
    first (three queries, whatever the number of plans)."""
    plans = list(
        active_plans().prefetch_related(
            Prefetch("instalments", queryset=Instalment.objects.order_by("number"))
        )
    )
    paid = paid_on_plans(p.pk for p in plans)
    horizon = on + dt.timedelta(days=REMIND_DAYS_AHEAD)
    found = []
    for plan in plans:
        status = _waterfall(plan, list(plan.instalments.all()), paid.get(plan.pk, ZERO), on)
        for view in status.instalments:
            if view.left and view.due_on <= horizon:
                found.append(DueInstalment(plan, view.instalment, view.left, view.due_on < on))
    found.sort(key=lambda d: (d.instalment.due_on, d.plan.pk, d.instalment.number))
    return found


def _reachable(patient: Any) -> bool:
    return bool(patient.email) and bool(patient.email_consent)


def send_instalment_reminders(*, on: dt.date) -> int:
    """Remind once of each instalment due soon or overdue: e-mail the patient (after commit)
    when there is an address and consent, and mark it reminded either way (the worklist lists
    it whatever). Returns how many instalments were reminded now."""
    waiting = [d for d in due_reminders(on) if not d.reminded]
    if not waiting:
        return 0
    now = timezone.now()
    with transaction.atomic():
        ids = [d.instalment.pk for d in waiting]
        marked = Instalment.objects.filter(pk__in=ids, reminded_at__isnull=True).update(
            reminded_at=now
        )
        to_email = [d.instalment.pk for d in waiting if _reachable(d.plan.patient)]
        record(
            AuditAction.UPDATE,
            target_type="billing.instalment",
            target_id=ids[0],
            detail={"reminded": ids, "emailed": to_email},
        )
        for instalment_id in to_email:
            transaction.on_commit(
                lambda pk=instalment_id: send_instalment_reminder.enqueue(pk)  # type: ignore[misc]
            )
    return marked


@job
def send_instalment_reminder(instalment_id: int) -> int:
    """E-mail one reminder; the subject and body name no health information."""
    found = Instalment.objects.select_related("plan__patient").filter(pk=instalment_id).first()
    if found is None or found.plan.status != PlanStatus.ACTIVE:
        return 0
    patient = found.plan.patient
    if not _reachable(patient):
        return 0
    status = plan_status(found.plan)
    view = next((v for v in status.instalments if v.instalment.pk == instalment_id), None)
    if view is None or not view.left:
        return 0
    when = "was due" if view.due_on < business_today() else "is due"
    message = EmailMessage(
        subject=REMINDER_SUBJECT,
        body=(
            f"Hello {patient.first_name},\n\nA payment of {money(view.left)} on your payment plan "
            f"{when} on {view.due_on:%B} {view.due_on.day}, {view.due_on.year}.\n"
            "You can pay at the front desk or call our billing office.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patient.email],
    )
    return message.send()


def complete_paid_plans() -> int:
    """Mark every active plan whose payments reach its total as paid in full."""
    plans = list(active_plans())
    paid = paid_on_plans(p.pk for p in plans)
    done = [p for p in plans if paid.get(p.pk, ZERO) >= p.total]
    return sum(1 for p in done if complete_plan_if_paid(p))
