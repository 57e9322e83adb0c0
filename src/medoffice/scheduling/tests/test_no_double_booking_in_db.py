"""The database itself refuses overlapping appointments of one provider (and one room)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import Appointment, AppointmentResource
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    place = f.location()
    return place, f.provider_at(place), f.appointment_type(), make_patient()


def test_an_overlapping_appointment_is_refused_by_the_database(setting):
    place, provider, kind, patient = setting
    nine = f.local(place, f.MONDAY, 9)
    f.raw_appointment(patient, provider, place, kind, nine)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.raw_appointment(patient, provider, place, kind, nine + dt.timedelta(minutes=10))
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("offset", "extra"),
    [
        (20, {}),
        (-20, {}),
        (10, {"overbook": True}),
        (10, {"status": "cancelled", "cancel_reason": "patient"}),
    ],
)
def test_adjacent_overbooked_and_cancelled_appointments_are_allowed(setting, offset, extra):
    place, provider, kind, patient = setting
    nine = f.local(place, f.MONDAY, 9)
    f.raw_appointment(patient, provider, place, kind, nine)
    f.raw_appointment(patient, provider, place, kind, nine + dt.timedelta(minutes=offset), **extra)
    assert Appointment.objects.count() == 2


def test_moving_onto_a_taken_time_is_refused(setting):
    place, provider, kind, patient = setting
    nine = f.local(place, f.MONDAY, 9)
    f.raw_appointment(patient, provider, place, kind, nine)
    later = f.raw_appointment(patient, provider, place, kind, nine + dt.timedelta(hours=1))
    later.starts_at, later.ends_at = nine + dt.timedelta(minutes=5), nine + dt.timedelta(minutes=25)
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save()
    # and a cancelled one may not come back to life on top of another
    cancelled = f.raw_appointment(
        patient, provider, place, kind, nine, status="cancelled", cancel_reason="patient"
    )
    cancelled.status = "booked"
    with pytest.raises(IntegrityError), transaction.atomic():
        cancelled.save()


def test_one_room_cannot_hold_two_appointments_at_once(setting):
    place, provider, kind, patient = setting
    other = f.provider_at(place)
    exam = f.room(place)
    nine = f.local(place, f.MONDAY, 9)
    first = f.raw_appointment(patient, provider, place, kind, nine)
    second = f.raw_appointment(patient, other, place, kind, nine)
    AppointmentResource.objects.create(
        appointment=first, resource=exam, starts_at=first.starts_at, ends_at=first.ends_at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentResource.objects.create(
            appointment=second, resource=exam, starts_at=second.starts_at, ends_at=second.ends_at
        )
    AppointmentResource.objects.create(
        appointment=second, resource=exam, starts_at=second.starts_at, ends_at=second.ends_at,
        holds_time=False,
    )  # fmt: skip
    assert AppointmentResource.objects.filter(resource=exam).count() == 2
    assert timezone.is_aware(first.starts_at)
