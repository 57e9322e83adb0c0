"""The booking path's plain-SQL reads give the same answers as the ORM readers they shortcut."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import availability_data, booking_reads, queries
from medoffice.scheduling.choices import HOLDING_TIME, AppointmentStatus, CancelReason
from medoffice.scheduling.models import (
    Appointment,
    AppointmentTypeDuration,
    AppointmentTypeResource,
    Block,
    ScheduleException,
)
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
MONDAY = f.MONDAY


@pytest.fixture
def office():
    north, south = f.location(name="North"), f.location(name="South")
    marsh = f.provider_at(north, first_name="Dana", last_name="Marsh")
    marsh.locations.add(south)
    lee = f.provider_at(north, first_name="Ari", last_name="Lee")
    return north, south, marsh, lee


def _sessions(provider, place, day):
    orm = availability_data.load_sessions(
        first=day, last=day, provider_ids=[provider.pk], location_id=place.pk
    )
    return sorted(orm, key=lambda s: s.id), sorted(
        booking_reads.sessions_on(provider.pk, place.pk, day), key=lambda s: s.id
    )


def test_sessions_of_one_day_match_the_range_loader(office) -> None:
    # given sessions that count and sessions that must not
    north, south, marsh, lee = office
    new_patients = f.appointment_type(40, name="New patient")
    physical = f.appointment_type(30, name="Physical")
    morning = f.session(marsh, north, start=dt.time(8), end=dt.time(12), label="Mornings")
    reserved = f.session(marsh, north, start=dt.time(13), end=dt.time(15))
    reserved.appointment_types.add(new_patients, physical)
    f.session(marsh, north, start=dt.time(15), end=dt.time(17), active=False)
    f.session(marsh, north, ends_on=MONDAY - dt.timedelta(days=1))
    f.session(marsh, north, starts_on=MONDAY + dt.timedelta(days=1))
    f.session(marsh, south, start=dt.time(9), end=dt.time(11))
    f.session(lee, north)
    # when / then
    for day in (MONDAY, MONDAY + dt.timedelta(days=1)):
        orm, sql = _sessions(marsh, north, day)
        assert sql == orm
    orm, sql = _sessions(marsh, north, MONDAY)
    assert [s.id for s in sql] == [morning.pk, reserved.pk]
    assert sql[1].type_ids == frozenset({new_patients.pk, physical.pk})
    assert sql[0].label == "Mornings"


def test_sessions_vanish_when_the_provider_leaves_the_location_or_either_is_inactive(
    office,
) -> None:
    _, south, marsh, _ = office
    f.session(marsh, south)
    assert booking_reads.sessions_on(marsh.pk, south.pk, MONDAY)
    marsh.locations.remove(south)
    assert _sessions(marsh, south, MONDAY) == ([], [])
    marsh.locations.add(south)
    south.active = False
    south.save()
    assert _sessions(marsh, south, MONDAY) == ([], [])


def _orm_conflicts(provider, lo, hi, exclude=None):
    found = Appointment.objects.filter(
        queries.overlapping(lo, hi), provider=provider, status__in=HOLDING_TIME, overbook=False
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return list(found.order_by("starts_at").values_list("pk", flat=True)[:5])


def test_conflicts_match_the_orm_overlap_rule(office) -> None:
    # given appointments around 9:00-9:20 on Monday
    north, _, marsh, lee = office
    kind = f.appointment_type(20)
    who = make_patient(last_name="Sample")
    at = f.local(north, MONDAY, 9)

    def put(start, minutes=20, provider=marsh, **values):
        return f.raw_appointment(who, provider, north, kind, start, minutes, **values)

    before = put(at - dt.timedelta(minutes=20))  # ends as 9:00 starts: no overlap
    first = put(at, minutes=10)
    second = put(at + dt.timedelta(minutes=10), minutes=10)
    put(at + dt.timedelta(minutes=20))  # starts as 9:20 ends: no overlap
    put(at + dt.timedelta(minutes=5), overbook=True)
    put(at, provider=lee)
    put(
        at + dt.timedelta(minutes=5),
        status=AppointmentStatus.CANCELLED,
        cancel_reason=CancelReason.PATIENT,
    )
    next_day = at + dt.timedelta(days=1)
    long_one = put(next_day - dt.timedelta(hours=3), minutes=200)  # 6:00-9:20 the next day
    lo, hi = at, at + dt.timedelta(minutes=20)
    # when / then
    assert booking_reads.conflicting_ids(marsh.pk, lo, hi, None) == _orm_conflicts(marsh, lo, hi)
    assert booking_reads.conflicting_ids(marsh.pk, lo, hi, None) == [first.pk, second.pk]
    assert booking_reads.conflicting_ids(marsh.pk, lo, hi, first.pk) == [second.pk]
    assert before.pk not in booking_reads.conflicting_ids(marsh.pk, lo, hi, None)
    lo, hi = next_day, next_day + dt.timedelta(minutes=20)
    assert booking_reads.conflicting_ids(marsh.pk, lo, hi, None) == [long_one.pk]
    assert _orm_conflicts(marsh, lo, hi) == [long_one.pk]


def test_exceptions_match_the_office_and_provider_rules(office) -> None:
    north, south, marsh, lee = office
    at = f.local(north, MONDAY, 9)
    lo, hi = at, at + dt.timedelta(minutes=20)

    def orm(provider, place):
        return (
            ScheduleException.objects.filter(starts_at__lt=hi, ends_at__gt=lo)
            .filter(Q(provider=provider) | Q(provider__isnull=True))
            .filter(Q(location=place) | Q(location__isnull=True) | Q(provider=provider))
            .order_by("starts_at", "pk")
            .values_list("provider_id", "kind", "note")
            .first()
        )

    def add(**values):
        return ScheduleException.objects.create(
            starts_at=values.pop("starts_at", at - dt.timedelta(hours=1)),
            ends_at=values.pop("ends_at", at + dt.timedelta(hours=1)),
            **values,
        )

    assert booking_reads.first_exception(marsh.pk, north.pk, lo, hi) is None
    add(provider=lee, kind="vacation")
    add(location=south, kind="closed", note="Snow at South")
    add(ends_at=at, kind="holiday")  # ends as the slot starts
    assert booking_reads.first_exception(marsh.pk, north.pk, lo, hi) == orm(marsh, north) is None
    assert booking_reads.first_exception(marsh.pk, south.pk, lo, hi) == orm(marsh, south)
    add(provider=marsh, location=south, kind="conference", starts_at=at - dt.timedelta(hours=2))
    for place in (north, south):
        assert booking_reads.first_exception(marsh.pk, place.pk, lo, hi) == orm(marsh, place)
    assert booking_reads.first_exception(marsh.pk, north.pk, lo, hi) == (
        marsh.pk,
        "conference",
        "",
    )


def test_blocks_are_the_providers_own_in_the_range(office) -> None:
    north, _, marsh, lee = office
    at = f.local(north, MONDAY, 12)
    lo, hi = at, at + dt.timedelta(minutes=30)
    Block.objects.create(provider=lee, kind="lunch", starts_at=at, ends_at=hi)
    Block.objects.create(provider=marsh, kind="lunch", starts_at=hi, ends_at=hi + dt.timedelta(1))
    assert booking_reads.first_block(marsh.pk, lo, hi) is None
    Block.objects.create(provider=marsh, kind="meeting", title="Huddle", starts_at=at, ends_at=hi)
    assert booking_reads.first_block(marsh.pk, lo, hi) == ("meeting", "Huddle")


def test_provider_fit_names_who_sees_the_type_where_and_for_how_long(office) -> None:
    north, south, marsh, lee = office
    kind = f.appointment_type(20)
    assert booking_reads.provider_fit(kind, lee, north) == booking_reads.ProviderFit(True, True, 20)
    assert not booking_reads.provider_fit(kind, lee, south).works_there
    kind.providers.add(marsh)
    AppointmentTypeDuration.objects.create(appointment_type=kind, provider=marsh, minutes=45)
    assert booking_reads.provider_fit(kind, marsh, south) == booking_reads.ProviderFit(
        True, True, 45
    )
    assert not booking_reads.provider_fit(kind, lee, north).sees_type
    assert queries.duration_minutes(kind, marsh) == 45
    assert queries.provider_sees_type(lee, kind) is False


def test_resource_kinds_match_the_query(office) -> None:
    kind = f.appointment_type(20)
    assert booking_reads.resource_kinds_needed(kind.pk) == []
    AppointmentTypeResource.objects.create(appointment_type=kind, kind="ekg")
    AppointmentTypeResource.objects.create(appointment_type=kind, kind="exam_room")
    assert booking_reads.resource_kinds_needed(kind.pk) == queries.resource_kinds_needed(kind)
