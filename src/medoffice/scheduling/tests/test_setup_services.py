"""Set-up writes of the catalogue, sessions and exceptions: checked, stored and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.scheduling import setup_services as setup
from medoffice.scheduling.models import (
    AppointmentType,
    AppointmentTypeDuration,
    ScheduleException,
    ScheduleSession,
)
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return make_user("manager", roles=(Role.MANAGER,))


@pytest.fixture
def place():
    return f.location()


def _session_values(provider, place, **overrides):
    values = {
        "provider": provider, "location": place, "rrule": "FREQ=WEEKLY;BYDAY=MO,WE",
        "starts_on": dt.date(2026, 1, 5), "start_time": dt.time(8), "end_time": dt.time(12),
    }  # fmt: skip
    values.update(overrides)
    return values


def test_an_appointment_type_is_created_with_its_lengths_instructions_and_needs(manager, place):
    # given
    okafor, lee = f.provider_at(place), f.provider_at(place)
    # when
    kind = setup.create_appointment_type(
        acting_user=manager, name="New patient", code="new", default_minutes=40,
        providers=[okafor, lee], durations={okafor: 60}, resource_kinds=["exam_room", "ekg"],
        instructions={"en": "Bring your insurance card.", "es": "Traiga su tarjeta.", "vi": " "},
    )  # fmt: skip
    # then
    assert set(kind.providers.all()) == {okafor, lee}
    assert list(kind.durations.values_list("provider_id", "minutes")) == [(okafor.pk, 60)]
    assert sorted(kind.resource_needs.values_list("kind", flat=True)) == ["ekg", "exam_room"]
    assert dict(kind.instructions.values_list("language", "text")) == {
        "en": "Bring your insurance card.", "es": "Traiga su tarjeta.",
    }  # fmt: skip
    entry = AuditEntry.objects.get(action="create", target_type="scheduling.appointmenttype")
    assert entry.target_id == str(kind.pk)
    assert entry.actor_id == manager.pk
    assert {"name", "providers", "durations", "instructions", "resource_kinds"} <= set(entry.fields)


def test_updating_a_type_audits_only_what_changed(manager, place):
    kind = f.appointment_type(minutes=20)
    provider = f.provider_at(place)
    # when
    setup.update_appointment_type(
        kind, acting_user=manager, default_minutes=30, durations={provider: 45}
    )
    setup.update_appointment_type(kind, acting_user=manager, default_minutes=30)
    # then
    kind.refresh_from_db()
    assert kind.default_minutes == 30
    assert AppointmentTypeDuration.objects.get(appointment_type=kind).minutes == 45
    entries = AuditEntry.objects.filter(action="update", target_type="scheduling.appointmenttype")
    assert [sorted(e.fields) for e in entries] == [["default_minutes", "durations"]]


def test_a_type_with_a_bad_length_is_refused_and_nothing_is_stored(manager):
    with pytest.raises(ValidationError):
        setup.create_appointment_type(
            acting_user=manager, name="Too long", code="long", default_minutes=600
        )
    assert not AppointmentType.objects.filter(code="long").exists()
    assert not AuditEntry.objects.filter(target_type="scheduling.appointmenttype").exists()


def test_a_resource_is_created_and_renamed_with_audit(manager, place):
    room = setup.create_resource(
        acting_user=manager, name="Exam 1", kind="exam_room", location=place
    )
    setup.update_resource(room, acting_user=manager, name="Exam 1A")
    room.refresh_from_db()
    assert room.name == "Exam 1A"
    entries = AuditEntry.objects.filter(target_type="scheduling.resource").order_by("id")
    actions = list(entries.values_list("action", "fields"))
    assert actions == [("create", ["kind", "location", "name"]), ("update", ["name"])]


def test_a_session_rule_is_normalized_and_its_types_reserved(manager, place):
    provider = f.provider_at(place)
    new_patient = f.appointment_type()
    session = setup.create_session(
        acting_user=manager, appointment_types=[new_patient],
        **_session_values(provider, place, rrule="byday=mo,we;freq=weekly;interval=1"),
    )  # fmt: skip
    assert session.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert list(session.appointment_types.all()) == [new_patient]
    entry = AuditEntry.objects.get(action="create", target_type="scheduling.schedulesession")
    assert "appointment_types" in entry.fields


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rrule": "FREQ=HOURLY"}, "rrule", "FREQ=HOURLY is not allowed"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=4"}, "rrule", "Use the end date"),
        ({"end_time": dt.time(8)}, "end_time", "must end after it starts"),
        ({"ends_on": dt.date(2026, 1, 1)}, "ends_on", "end date comes before the start"),
        (
            {"rrule": "FREQ=WEEKLY;BYDAY=SU", "ends_on": dt.date(2026, 1, 9)},
            "rrule",
            "never falls between the start and end dates",
        ),
    ],
)
def test_a_bad_session_is_refused_with_its_reason_and_nothing_changes(
    manager, place, overrides, field, message
):
    provider = f.provider_at(place)
    with pytest.raises(ValidationError) as caught:
        setup.create_session(acting_user=manager, **_session_values(provider, place, **overrides))
    assert message in " ".join(caught.value.message_dict[field])
    assert not ScheduleSession.objects.exists()
    assert not AuditEntry.objects.filter(target_type="scheduling.schedulesession").exists()


def test_a_session_at_a_location_the_provider_does_not_work_at_is_refused(manager, place):
    provider = f.provider_at(place)
    with pytest.raises(ValidationError, match="does not work at"):
        setup.create_session(acting_user=manager, **_session_values(provider, f.location()))


def test_overlapping_sessions_of_one_provider_are_refused_on_any_location(manager, place):
    # given Monday and Wednesday mornings at one location
    provider = f.provider_at(place)
    other_place = f.location()
    provider.locations.add(other_place)
    setup.create_session(acting_user=manager, **_session_values(provider, place))
    # when a Wednesday late-morning session at the other location is added
    with pytest.raises(ValidationError) as caught:
        setup.create_session(
            acting_user=manager,
            **_session_values(provider, other_place, rrule="FREQ=WEEKLY;BYDAY=WE",
                              start_time=dt.time(11), end_time=dt.time(14)),
        )  # fmt: skip
    # then
    assert caught.value.messages == [
        f"Overlaps the provider's session 08:00-12:00 at {place} on Wed Jan 7, 2026."
    ]
    assert ScheduleSession.objects.count() == 1
    # an afternoon session, another provider's session and a retired one are fine
    setup.create_session(
        acting_user=manager,
        **_session_values(provider, other_place, start_time=dt.time(12), end_time=dt.time(17)),
    )
    setup.create_session(acting_user=manager, **_session_values(f.provider_at(place), place))
    setup.create_session(acting_user=manager, **_session_values(provider, place, active=False))
    assert ScheduleSession.objects.count() == 4


def test_moving_a_session_onto_another_is_refused_and_it_stays_put(manager, place):
    provider = f.provider_at(place)
    setup.create_session(acting_user=manager, **_session_values(provider, place))
    friday = setup.create_session(
        acting_user=manager, **_session_values(provider, place, rrule="FREQ=WEEKLY;BYDAY=FR")
    )
    with pytest.raises(ValidationError, match="Overlaps"):
        setup.update_session(friday, acting_user=manager, rrule="FREQ=WEEKLY;BYDAY=MO,FR")
    friday.refresh_from_db()
    assert friday.rrule == "FREQ=WEEKLY;BYDAY=FR"
    setup.update_session(friday, acting_user=manager, start_time=dt.time(13), end_time=dt.time(17))
    entry = AuditEntry.objects.filter(action="update").get()
    assert sorted(entry.fields) == ["end_time", "start_time"]


def test_exceptions_cover_the_practice_a_location_or_a_provider(manager, place):
    provider = f.provider_at(place)
    snow = f.local(place, dt.date(2026, 1, 26), 13)
    closing = setup.create_exception(
        acting_user=manager, kind="closed", location=place, starts_at=snow,
        ends_at=snow + dt.timedelta(hours=6), note=" Snow ",
    )  # fmt: skip
    vacation = setup.create_exception(
        acting_user=manager, kind="vacation", provider=provider, starts_at=snow,
        ends_at=snow + dt.timedelta(days=5),
    )  # fmt: skip
    assert (closing.note, closing.created_by, closing.provider) == ("Snow", manager, None)
    assert vacation.location is None
    details = list(
        AuditEntry.objects.filter(target_type="scheduling.scheduleexception")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [{"scope": "location"}, {"scope": "provider"}]
    setup.delete_exception(closing, acting_user=manager)
    assert list(ScheduleException.objects.all()) == [vacation]
    assert AuditEntry.objects.filter(action="delete").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "party"}, "Choose what kind of closure"),
        ({"ends_at": dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)}, "The end comes before"),
        ({"starts_at": dt.datetime(2026, 1, 1, 13)}, "Times need a time zone"),
    ],
)
def test_a_bad_exception_is_refused_and_nothing_is_stored(manager, values, message):
    given = {
        "kind": "holiday", "starts_at": dt.datetime(2026, 1, 1, 13, tzinfo=dt.UTC),
        "ends_at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC), **values,
    }  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        setup.create_exception(acting_user=manager, **given)
    assert not ScheduleException.objects.exists()
