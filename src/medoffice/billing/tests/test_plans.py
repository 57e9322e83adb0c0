"""Payment plans: set up with refusals, status by waterfall, cancel, complete, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from medoffice.billing.errors import AmountError, PlanError
from medoffice.billing.models import Instalment, PaymentPlan
from medoffice.billing.services import plans
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card, make_office
from medoffice.jobs.worker import make_worker, run_ready_tasks

pytestmark = pytest.mark.django_db
D = Decimal


def owing(office: Office, amount: str = "300.00") -> None:
    post_charge(office.patient, acting_user=office.desk, patient_amount=amount)


def new_plan(office: Office, **changes) -> PaymentPlan:
    values = {"total": "100.00", "instalments": 3, "frequency": "monthly",
              "first_due": office.today}  # fmt: skip
    values.update(changes)
    return plans.create_plan(office.patient, acting_user=office.desk, **values)


def pay_plan(office: Office, plan: PaymentPlan, amount: str) -> None:
    post_payment(office.patient, acting_user=office.desk, tenders=[card(amount)], purpose="plan",
                 plan=plan)  # fmt: skip


def test_monthly_due_dates_keep_the_day_or_the_months_last_day():
    assert plans.due_dates(dt.date(2026, 1, 31), 3, "monthly") == [
        dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31),
    ]  # fmt: skip
    assert plans.due_dates(dt.date(2026, 12, 15), 2, "biweekly") == [
        dt.date(2026, 12, 15), dt.date(2026, 12, 29),
    ]  # fmt: skip


def test_a_plan_splits_the_total_evenly_into_instalments(office):
    owing(office)
    plan = new_plan(office, note="agreed at the desk")
    rows = list(plan.instalments.values_list("number", "amount"))
    assert rows == [(1, D("33.33")), (2, D("33.33")), (3, D("33.34"))]
    assert (plan.status, plan.total, plan.created_by) == ("active", D("100.00"), office.desk)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"total": "300.01"}, PlanError, "more than the patient owes now"),
        ({"instalments": 1}, PlanError, "2 to 36 instalments"),
        ({"instalments": 37}, PlanError, "2 to 36 instalments"),
        ({"frequency": "daily"}, PlanError, "weekly, every two weeks or monthly"),
        ({"total": "12.345"}, AmountError, "two decimal places"),
    ],
)
def test_refused_plans_make_nothing(office, changes, error, message):
    owing(office)
    with pytest.raises(error, match=message):
        new_plan(office, **changes)
    assert (PaymentPlan.objects.count(), Instalment.objects.count()) == (0, 0)


def test_a_second_active_plan_is_refused(office):
    owing(office)
    new_plan(office)
    with pytest.raises(PlanError, match="already has an active payment plan"):
        new_plan(office, total="50.00")
    assert PaymentPlan.objects.count() == 1


def test_payments_pay_instalments_in_order(office):
    owing(office)
    plan = new_plan(office, first_due=office.today)
    pay_plan(office, plan, "40.00")
    status = plans.plan_status(plan)
    states = [(v.number, v.state, v.paid, v.left) for v in status.instalments]
    assert states == [
        (1, "paid", D("33.33"), D("0.00")),
        (2, "partly paid", D("6.67"), D("26.66")),
        (3, "due", D("0.00"), D("33.34")),
    ]
    assert (status.paid, status.remaining) == (D("40.00"), D("60.00"))
    assert status.next_due.number == 2
    assert status.amount_due_now == D("0.00")


def test_an_unpaid_past_instalment_is_overdue_and_due_now(office):
    owing(office)
    plan = new_plan(office, first_due=office.today - dt.timedelta(days=10), frequency="weekly")
    status = plans.plan_status(plan)
    assert [v.state for v in status.instalments] == ["overdue", "overdue", "due"]
    assert status.amount_due_now == D("66.66")
    assert status.overdue


def test_cancel_needs_a_reason_and_only_once(office):
    owing(office)
    plan = new_plan(office)
    with pytest.raises(PlanError, match="Say why"):
        plans.cancel_plan(plan, acting_user=office.desk, reason=" ")
    assert PaymentPlan.objects.get().status == "active"
    cancelled = plans.cancel_plan(plan, acting_user=office.desk, reason="moved away")
    assert (cancelled.status, cancelled.ended_by) == ("cancelled", office.desk)
    assert cancelled.note == "Cancelled: moved away"
    with pytest.raises(PlanError, match="already cancelled"):
        plans.cancel_plan(plan, acting_user=office.desk, reason="again")
    new_plan(office)  # a new plan is allowed once the old one ended


def test_a_plan_paid_in_full_completes(office):
    owing(office)
    plan = new_plan(office)
    pay_plan(office, plan, "60.00")
    assert PaymentPlan.objects.get().status == "active"
    assert plans.complete_plan_if_paid(plan) is False
    # the last instalment's payment completes the plan as it posts
    pay_plan(office, plan, "40.00")
    assert PaymentPlan.objects.get().status == "completed"
    assert plans.complete_plan_if_paid(plan) is False


def test_reminders_list_due_soon_and_overdue_and_email_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    office = make_office(email="avery@example.org", email_consent=True)
    owing(office)
    plan = new_plan(office, first_due=office.today - dt.timedelta(days=12), frequency="weekly",
                    instalments=4)  # fmt: skip
    # due: -12 (overdue), -5 (overdue), +2 (soon), +9 (not yet)
    due = plans.due_reminders(office.today)
    assert [(d.instalment.number, d.overdue, d.reminded) for d in due] == [
        (1, True, False),
        (2, True, False),
        (3, False, False),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert plans.send_instalment_reminders(on=office.today) == 3
    run_ready_tasks(make_worker("test-worker"))
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
    assert {m.subject for m in mailoutbox} == {"A reminder from your doctor's office"}
    assert "$25.00" in mailoutbox[0].body
    # a second run reminds of nothing, and the worklist still lists them
    assert plans.send_instalment_reminders(on=office.today) == 0
    assert [d.reminded for d in plans.due_reminders(office.today)] == [True, True, True]
    assert plan.instalments.filter(reminded_at__isnull=True).count() == 1


def test_without_email_consent_reminders_are_marked_but_not_sent(office, mailoutbox):
    owing(office)
    new_plan(office, first_due=office.today)
    assert plans.send_instalment_reminders(on=office.today) == 1
    assert mailoutbox == []


def test_the_daily_job_completes_paid_plans_and_reminds(office):
    from medoffice.billing.tasks import remind_instalments_daily

    owing(office)
    plan = new_plan(office, first_due=office.today)
    pay_plan(office, plan, "100.00")
    remind_instalments_daily.call()
    assert PaymentPlan.objects.get().status == "completed"
