"""Fitting the no-show model on the practice's history, scoring upcoming visits, explaining one,
the ``noshow`` command and the nightly job."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from medoffice.jobs.schedule import SCHEDULES
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import noshow
from medoffice.scheduling.choices import AppointmentStatus, CancelReason
from medoffice.scheduling.models import Appointment, NoShowModel
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
S = AppointmentStatus
NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)  # well before any test runs


@pytest.fixture
def practice():
    place = f.location()
    doctor = f.provider_at(place)
    kinds = {
        "sick": f.appointment_type(20, code="sick", name="Sick visit"),
        "follow-up": f.appointment_type(20, code="follow-up", name="Follow-up"),
    }
    patients = [make_patient(first_name=f"P{n}", last_name="Testperson") for n in range(30)]
    return place, doctor, kinds, patients


def _history(practice, rows: int = 600, seed: int = 3, turn_at: int | None = None) -> None:
    """Past visits where long lead times and a few habitual patients miss more often; from visit
    ``turn_at`` on, the pattern turns around (the habitual patients come, the others miss)."""
    place, doctor, kinds, patients = practice
    rng = random.Random(seed)
    habitual = set(patients[:5])
    made = []
    start, step = NOW - dt.timedelta(days=200), dt.timedelta(days=200) / rows
    for n in range(rows):
        at = start + step * n
        lead = rng.choice([0.2, 3, 30, 60])
        patient = rng.choice(patients)
        chance = 0.02 + (0.3 if lead >= 30 else 0) + (0.5 if patient in habitual else 0)
        if turn_at is not None and n >= turn_at:
            chance = 0.9 - chance
        made.append(
            Appointment(
                patient=patient,
                provider=doctor,
                location=place,
                appointment_type=kinds["follow-up" if lead >= 3 else "sick"],
                starts_at=at,
                ends_at=at + dt.timedelta(minutes=20),
                booked_at=at - dt.timedelta(days=lead),
                status=S.NO_SHOW if rng.random() < chance else S.CHECKED_OUT,
            )
        )
    Appointment.objects.bulk_create(made)


def test_fit_learns_from_history_and_measures_itself_on_the_latest_visits(practice) -> None:
    # given
    _history(practice)
    old = NoShowModel.objects.create(
        fitted_at=NOW, samples=1, base_rate=0.1, intercept=0, coefficients={}
    )
    # when
    fitted = noshow.fit_no_show_model(until=NOW)
    # then
    assert fitted is not None
    model = fitted.model
    assert (fitted.trained_on, fitted.held_out) == (480, 120)
    assert model.samples == 480
    assert model.active
    old.refresh_from_db()
    assert not old.active
    assert noshow.active_model() == model
    assert model.coefficients["lead_time"] > 0.2
    assert model.coefficients["prior_no_show_rate"] > 0.5
    assert sum(band["count"] for band in model.calibration) == 120
    assert set(model.calibration[0]) == {"band", "predicted", "observed", "count"}
    assert fitted.brier < fitted.brier_base_rate
    assert fitted.auc > 0.7


def test_a_model_no_better_than_the_base_rate_is_kept_but_not_used(practice) -> None:
    # given an active model, and a history whose latest visits no longer follow the old pattern
    _history(practice, turn_at=480)
    old = NoShowModel.objects.create(
        fitted_at=NOW, samples=1, base_rate=0.1, intercept=0, coefficients={}
    )
    # when
    fitted = noshow.fit_no_show_model(until=NOW)
    # then
    assert fitted is not None
    assert fitted.brier >= fitted.brier_base_rate
    assert not fitted.activated
    assert not fitted.model.active
    assert noshow.active_model() == old


def test_the_command_says_when_a_model_is_not_activated(practice) -> None:
    _history(practice, turn_at=480)
    out = StringIO()
    call_command("noshow", "fit", "--until", "2025-06-01", stdout=out)
    assert "Not activated" in out.getvalue()
    assert not NoShowModel.objects.filter(active=True).exists()


def test_visits_after_until_are_not_learned_from(practice) -> None:
    _history(practice)
    fitted = noshow.fit_no_show_model(until=NOW - dt.timedelta(days=100))
    assert fitted is not None
    assert fitted.trained_on + fitted.held_out == 300  # the first 100 of 200 days


def test_too_little_history_fits_nothing(practice) -> None:
    _history(practice, rows=150)
    assert noshow.fit_no_show_model(until=NOW) is None
    assert not NoShowModel.objects.exists()


def _upcoming(practice, *, booked_at: dt.datetime, **values) -> Appointment:
    place, doctor, kinds, patients = practice
    at = values.pop("starts_at", timezone.now() + dt.timedelta(days=3))
    appointment = f.raw_appointment(patients[0], doctor, place, kinds["follow-up"], at, **values)
    Appointment.objects.filter(pk=appointment.pk).update(booked_at=booked_at)
    return appointment


def test_scoring_writes_the_risk_of_upcoming_holding_visits_only(practice) -> None:
    # given a model, and visits inside and outside the scored range
    _history(practice)
    noshow.fit_no_show_model(until=NOW)
    now = timezone.now()
    soon = _upcoming(practice, booked_at=now - dt.timedelta(days=40))
    confirmed = _upcoming(
        practice, starts_at=now + dt.timedelta(days=10), booked_at=now, status=S.CONFIRMED
    )
    cancelled = _upcoming(
        practice,
        starts_at=now + dt.timedelta(days=5),
        booked_at=now,
        status=S.CANCELLED,
        cancel_reason=CancelReason.PATIENT,
    )
    later = _upcoming(practice, starts_at=now + dt.timedelta(days=90), booked_at=now)
    # when
    scored = noshow.score_appointments(now, now + dt.timedelta(days=30))
    # then
    assert scored == 2
    for appointment in (soon, confirmed, cancelled, later):
        appointment.refresh_from_db()
    assert Decimal("0") < confirmed.no_show_risk < soon.no_show_risk < Decimal("1")
    assert cancelled.no_show_risk is None
    assert later.no_show_risk is None


def test_scoring_without_a_model_changes_nothing(practice) -> None:
    appointment = _upcoming(practice, booked_at=timezone.now())
    assert (
        noshow.score_appointments(
            timezone.now().date(), timezone.now().date() + dt.timedelta(days=30)
        )
        == 0
    )
    appointment.refresh_from_db()
    assert appointment.no_show_risk is None


def test_explain_in_words(practice) -> None:
    _history(practice)
    noshow.fit_no_show_model(until=NOW)
    appointment = _upcoming(practice, booked_at=timezone.now() - dt.timedelta(days=34))
    words = noshow.explain(appointment)
    assert words
    assert "lead time 37 days (+)" in words  # booked 34 days ago for 3 days from now
    assert all(w.endswith(("(+)", "(-)")) for w in words)


def test_the_command_prints_the_calibration_table(practice) -> None:
    _history(practice)
    out = StringIO()
    call_command("noshow", "fit", "--until", "2025-06-01", stdout=out)
    text = out.getvalue()
    assert "predicted" in text
    assert "observed" in text
    assert "Brier" in text
    assert "AUC" in text
    assert NoShowModel.objects.filter(active=True).count() == 1


def test_the_command_says_when_there_is_too_little_history(practice) -> None:
    out = StringIO()
    call_command("noshow", "fit", stdout=out)
    assert "Not enough history" in out.getvalue()
    assert not NoShowModel.objects.exists()


def test_a_nightly_job_refits_and_rescores(practice, monkeypatch) -> None:
    # given
    schedule = SCHEDULES["medoffice.scheduling.noshow.refit_no_show_model"]
    assert schedule.daily_at == dt.time(2, 30)
    _history(practice)
    appointment = _upcoming(practice, booked_at=timezone.now())
    monkeypatch.setattr(noshow.timezone, "now", lambda: NOW)
    appointment.starts_at = NOW + dt.timedelta(days=2)
    appointment.ends_at = appointment.starts_at + dt.timedelta(minutes=20)
    appointment.save()
    # when
    noshow.refit_no_show_model.call()
    # then
    appointment.refresh_from_db()
    assert appointment.no_show_risk is not None
    assert NoShowModel.objects.filter(active=True).count() == 1
