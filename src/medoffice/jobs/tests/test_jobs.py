from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from medoffice.accounts.models import User
from medoffice.jobs import schedule
from medoffice.jobs.models import JobFailure, ScheduledRun
from medoffice.jobs.registry import WITHHELD
from medoffice.jobs.tests import sample_jobs
from medoffice.jobs.worker import make_worker, run_ready_tasks

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    """Run every ready task through the worker's claim-and-run path (database backend)."""
    run_ready_tasks(make_worker("test-worker"))


def make_failure() -> JobFailure:
    now = timezone.now()
    return JobFailure.objects.create(
        job_name="sample",
        arguments={"args": [7], "kwargs": {}},
        error_type="ValueError",
        message=WITHHELD,
        attempts=2,
        first_failed_at=now,
        last_failed_at=now,
    )


def login(client: Client, username: str, *codenames: str) -> User:
    user = User.objects.create_user(username=username, password="x-Synthetic-pass-1")
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return user


def test_failing_job_is_retried_then_recorded_through_the_database_backend() -> None:
    sample_jobs.CALLS.clear()
    sample_jobs.always_fails.enqueue(7)

    run_worker()

    assert sample_jobs.CALLS == [7, 7]
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
    failure = JobFailure.objects.get()
    assert failure.job_name == "always_fails"
    assert failure.arguments == {"args": [7], "kwargs": {}}
    assert (failure.error_type, failure.attempts) == ("ValueError", 2)
    assert failure.message == WITHHELD
    assert failure.first_failed_at <= failure.last_failed_at


def test_succeeding_job_leaves_no_failure() -> None:
    sample_jobs.CALLS.clear()
    sample_jobs.succeeds.enqueue(3)

    run_worker()

    assert sample_jobs.CALLS == [3]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not JobFailure.objects.exists()


def test_scheduled_slot_is_enqueued_once_when_ticking_twice() -> None:
    at = datetime(2026, 3, 4, 3, 30, tzinfo=ZoneInfo("America/New_York"))
    name = "medoffice.jobs.tasks.clear_expired_sessions"

    first = schedule.tick(at)
    second = schedule.tick(at + timedelta(minutes=5))

    assert name in first
    assert name not in second
    run = ScheduledRun.objects.get(job_name=name)
    assert timezone.localtime(run.slot_start).hour == 3
    assert DBTaskResult.objects.filter(task_path=name).count() == 1


def test_daily_slot_before_its_time_is_yesterdays() -> None:
    sched = schedule.SCHEDULES["medoffice.jobs.tasks.clear_expired_sessions"]
    at = datetime(2026, 3, 4, 2, 0, tzinfo=ZoneInfo("America/New_York"))
    slot = timezone.localtime(sched.slot_start(at))
    assert (slot.day, slot.hour, slot.minute) == (3, 3, 0)


def test_page_without_permission_is_403(client: Client) -> None:
    login(client, "no-jobs")
    assert client.get(reverse("jobs:list")).status_code == 403


def test_page_lists_failures_first(client: Client) -> None:
    make_failure()
    login(client, "ops", "view_jobs")
    response = client.get(reverse("jobs:list"))
    assert response.status_code == 200
    assert b"Failures needing attention" in response.content
    assert b"ValueError" in response.content
    assert b"Mark resolved" in response.content


def test_resolve_marks_failure_resolved(client: Client) -> None:
    failure = make_failure()
    user = login(client, "ops", "view_jobs")
    response = client.post(reverse("jobs:resolve", args=[failure.pk]))
    assert response.status_code == 302
    failure.refresh_from_db()
    assert failure.resolved_by == user
    assert failure.resolved_at is not None


def test_resolve_without_permission_changes_nothing(client: Client) -> None:
    failure = make_failure()
    login(client, "no-jobs")
    response = client.post(reverse("jobs:resolve", args=[failure.pk]))
    assert response.status_code == 403
    failure.refresh_from_db()
    assert failure.resolved_at is None
