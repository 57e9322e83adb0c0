"""The demo's front desk: today's board is alive (every stage, amber and red), past visits have
check-ins whose timelines feed the wait report, and excuse notes exist."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from medoffice.demo import frontdesk as demo_desk
from medoffice.demo import scheduling as demo_scheduling
from medoffice.demo import steps
from medoffice.frontdesk import queries, wait_report
from medoffice.frontdesk.models import CheckIn, ExcuseNote
from medoffice.practice.models import Location

pytestmark = pytest.mark.django_db


def _build() -> steps.DemoContext:
    ctx = steps.DemoContext(
        seed=2026, password="pw-test-2026", rng=random.Random(2026), patients=300,
        appointment_days=21, today=timezone.localdate(),
    )  # fmt: skip
    wanted = [
        steps.create_practice, steps.create_locations, steps.create_providers,
        steps.create_staff_logins, steps.create_referring_providers,
        demo_scheduling.create_schedule, steps.create_patients,
        demo_scheduling.book_appointments,
    ]  # fmt: skip
    with transaction.atomic():
        for step in wanted:
            step(ctx)
        demo_desk.populate(ctx)
    return ctx


def test_the_demo_desk_has_a_live_board_past_timelines_and_notes():
    ctx = _build()
    made = ctx.frontdesk
    assert made.past_check_ins > 50
    assert made.notes == 3
    assert ExcuseNote.objects.count() == 3
    today = timezone.localdate()
    if today.weekday() < 5 and made.checked_in_today:
        rows = [r for place in Location.objects.all() for r in queries.board(place)]
        assert {r.status for r in rows} >= {"arrived", "roomed", "with_provider"}
        assert {r.level for r in rows} >= {"ok", "warning", "alert"}
    place = Location.objects.get(code="main")
    first = today - dt.timedelta(days=14)
    lines = wait_report.wait_lines(place, first, today)
    assert lines
    assert all(line.to_seen_avg is not None for line in lines)
    assert CheckIn.objects.filter(checked_out_at__isnull=False).count() == made.past_check_ins
    # and each location's screen opens without a login
    for path in made.screens.values():
        assert Client().get(path).status_code == 200
