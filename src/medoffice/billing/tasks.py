"""Scheduled billing jobs: instalment reminders every morning, the statement run each month."""

from __future__ import annotations

from medoffice.jobs.registry import job
from medoffice.jobs.schedule import daily

STATEMENT_DAY = 1  # statements are run on the first of each month


@daily(at="07:00")
@job
def remind_instalments_daily() -> int:
    """Mark paid-up plans complete, then remind of instalments due soon or overdue
    (idempotent: an instalment is reminded once)."""
    from medoffice.billing.services import plans
    from medoffice.billing.services.days import business_today

    plans.complete_paid_plans()
    return plans.send_instalment_reminders(on=business_today())


@daily(at="05:30")
@job
def run_monthly_statements() -> int:
    """On the first of the month, run that day's statements once (a second run of the day finds
    the run already made and does nothing)."""
    from medoffice.billing.models import StatementRun
    from medoffice.billing.services import statements
    from medoffice.billing.services.days import business_today

    today = business_today()
    if today.day != STATEMENT_DAY or StatementRun.objects.filter(statement_date=today).exists():
        return 0
    user = _statement_user()
    if user is None:
        return 0
    run = statements.run_statements(acting_user=user, statement_date=today)
    return run.statements.count()


def _statement_user() -> object | None:
    """Runs are signed by a person: the first active user allowed to run statements."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    allowed = Q(is_superuser=True) | Q(
        groups__permissions__codename="manage_statements",
        groups__permissions__content_type__app_label="billing",
    )
    return (
        get_user_model().objects.filter(allowed, is_active=True).order_by("pk").distinct().first()
    )
