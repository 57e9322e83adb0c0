"""The demo's intake forms: tomorrow's patients partly owe forms, today's wait for review."""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from django.utils import timezone

from medoffice.demo import intake as demo_intake
from medoffice.demo.steps import STEPS, DemoContext
from medoffice.intake import queries
from medoffice.intake.models import FormTemplate, Submission

pytestmark = pytest.mark.django_db


def test_demo_has_signed_forms_pending_reviews_and_forms_due_tomorrow():
    # given the demo built for today
    ctx = DemoContext(
        seed=7,
        password="pw-test-2026",
        rng=random.Random(7),
        patients=300,
        appointment_days=14,
        today=timezone.localdate(),
    )
    with transaction.atomic():
        for step in STEPS:
            step(ctx)
    made = ctx.intake
    # then forms are signed, some applied, some waiting for the desk
    assert made.signed == Submission.objects.count() > 0
    assert made.pending_review == Submission.objects.filter(review_status="pending").count() > 0
    assert Submission.objects.exclude(review_status="pending").count() == made.reviewed
    assert Submission.objects.filter(review_status="applied").exists()
    # and of tomorrow's patients with forms set up, some owe forms and some owe none
    _, tomorrow = demo_intake._next_open_day(ctx.today)
    considered = [p.pk for p in tomorrow[: demo_intake.TOMORROW_PATIENTS]]
    due = queries.forms_due_for(considered, on=ctx.today)
    reasons = {d.reason for forms in due.values() for d in forms}
    assert any(not forms for forms in due.values())
    assert {"new patient", "yearly acknowledgment due"} <= reasons
    assert made.new_patients_tomorrow == sum(len(forms) == 5 for forms in due.values())
    assert FormTemplate.objects.count() == 5
