"""Blocks on many calendars (once or repeated) and the on-call schedule."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import StaffUserFactory, make_user
from medoffice.audit.models import AuditEntry
from medoffice.scheduling import setup_services as setup
from medoffice.scheduling.models import Block, OnCallShift
from medoffice.scheduling.setup_blocks import Calendars
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def manager():
    return make_user("manager", roles=(Role.MANAGER,))


@pytest.fixture
def place():
    return f.location()


def _lunch(manager, calendars, **overrides):
    values = {
        "acting_user": manager, "kind": "lunch", "title": "Lunch", "calendars": calendars,
        "first_day": dt.date(2026, 3, 2), "start_time": dt.time(12), "end_time": dt.time(13),
        "time_zone": "America/New_York", "repeat": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "repeat_until": dt.date(2026, 3, 13),
    }  # fmt: skip
    values.update(overrides)
    return setup.place_blocks(**values)


def test_a_weekday_lunch_goes_on_every_calendar_at_noon_across_the_dst_change(manager, place):
    # given two providers, a room and a staff member
    providers = [f.provider_at(place), f.provider_at(place)]
    room = f.room(place)
    desk = StaffUserFactory()
    # when lunch is placed on weekdays over the spring-forward weekend (March 8, 2026)
    placed = _lunch(manager, Calendars(providers=providers, resources=[room], users=[desk]))
    # then 10 weekdays x 4 calendars, all sharing one group, at 12:00 local each day
    assert (placed.count, placed.days) == (40, 10)
    blocks = Block.objects.filter(group=placed.group)
    assert blocks.count() == 40
    assert {b.starts_at.astimezone(NEW_YORK).time() for b in blocks} == {dt.time(12)}
    first_utc = {b.starts_at.astimezone(dt.UTC).hour for b in blocks}
    assert first_utc == {16, 17}  # 12:00 EDT and 12:00 EST
    assert blocks.filter(provider=providers[0]).count() == 10
    assert blocks.filter(resource=room).count() == 10
    assert blocks.filter(user=desk).count() == 10
    assert {b.created_by_id for b in blocks} == {manager.pk}
    entry = AuditEntry.objects.get(action="create", target_type="scheduling.block")
    assert entry.target_id == str(placed.group)
    assert entry.detail == {"count": 40, "days": 10, "calendars": 4}


def test_a_single_block_is_placed_once(manager, place):
    placed = _lunch(
        manager, Calendars(providers=[f.provider_at(place)]), kind="rounds", repeat="",
        repeat_until=None, start_time=dt.time(7), end_time=dt.time(8, 30),
    )  # fmt: skip
    block = Block.objects.get(group=placed.group)
    assert block.starts_at == dt.datetime(2026, 3, 2, 7, tzinfo=NEW_YORK)
    assert block.ends_at - block.starts_at == dt.timedelta(minutes=90)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"calendars": Calendars()}, "Choose at least one calendar"),
        ({"kind": "nap"}, "Choose what the time is for"),
        ({"end_time": dt.time(11)}, "must end after it starts"),
        ({"repeat_until": None}, "Give the last day of a repeated block"),
        ({"repeat_until": dt.date(2027, 6, 1)}, "at most one year"),
        ({"repeat": "FREQ=SECONDLY"}, "FREQ=SECONDLY is not allowed"),
        ({"repeat": "FREQ=WEEKLY;BYDAY=SU", "repeat_until": dt.date(2026, 3, 7)}, "never falls"),
    ],
)
def test_a_bad_block_is_refused_and_nothing_is_placed(manager, place, overrides, message):
    calendars = Calendars(providers=[f.provider_at(place)])
    with pytest.raises(ValidationError, match=message):
        _lunch(manager, overrides.pop("calendars", calendars), **overrides)
    assert not Block.objects.exists()
    assert not AuditEntry.objects.filter(target_type="scheduling.block").exists()


def test_one_block_or_the_whole_set_can_be_removed(manager, place):
    placed = _lunch(manager, Calendars(providers=[f.provider_at(place)]))
    one = Block.objects.filter(group=placed.group).first()
    setup.delete_block(one, acting_user=manager)
    assert Block.objects.filter(group=placed.group).count() == 9
    assert setup.delete_block_group(placed.group, acting_user=manager) == 9
    assert not Block.objects.exists()
    deletes = AuditEntry.objects.filter(action="delete", target_type="scheduling.block")
    assert [e.detail.get("count") for e in deletes.order_by("id")] == [None, 9]


def test_a_meetings_blocks_cannot_be_removed_as_blocks(manager, place):
    provider = f.provider_at(place, user=StaffUserFactory())
    start = dt.datetime(2026, 3, 3, 12, tzinfo=NEW_YORK)
    meeting = setup.create_staff_meeting(
        title="Staff meeting", starts_at=start, ends_at=start + dt.timedelta(hours=1),
        attendees=[provider.user], organizer=manager, notify=False,
    )  # fmt: skip
    block = Block.objects.get(group=meeting.uid)
    with pytest.raises(ValidationError, match="change the meeting instead"):
        setup.delete_block(block, acting_user=manager)
    with pytest.raises(ValidationError, match="cancel the meeting instead"):
        setup.delete_block_group(meeting.uid, acting_user=manager)
    assert Block.objects.filter(group=meeting.uid).count() == 1


def _shift(manager, provider, day: int, **extra):
    start = dt.datetime(2026, 3, day, 17, tzinfo=NEW_YORK)
    return setup.create_on_call_shift(
        acting_user=manager, provider=provider, starts_at=start,
        ends_at=start + dt.timedelta(hours=15), **extra,
    )  # fmt: skip


def test_on_call_shifts_are_added_with_a_normalized_phone_and_swapped(manager, place):
    okafor, lee = f.provider_at(place), f.provider_at(place)
    monday = _shift(manager, okafor, 2, phone="(555) 201-7788", note="Nights")
    tuesday = _shift(manager, lee, 3, phone="555 201 7799")
    assert monday.phone == "+15552017788"
    # when
    setup.swap_on_call_shifts(monday, tuesday, acting_user=manager)
    # then each takes the other's night, with their own phone
    monday.refresh_from_db()
    tuesday.refresh_from_db()
    assert (monday.provider, monday.phone) == (lee, "+15552017799")
    assert (tuesday.provider, tuesday.phone) == (okafor, "+15552017788")
    updates = AuditEntry.objects.filter(action="update", target_type="scheduling.oncallshift")
    assert sorted(e.detail["swapped_with"] for e in updates) == sorted([monday.pk, tuesday.pk])


def test_overlapping_shifts_of_one_provider_and_bad_phones_are_refused(manager, place):
    okafor = f.provider_at(place)
    _shift(manager, okafor, 2)
    with pytest.raises(ValidationError, match="already has an on-call shift"):
        _shift(manager, okafor, 2)
    with pytest.raises(ValidationError, match="10 digits"):
        _shift(manager, f.provider_at(place), 2, phone="12345")
    assert OnCallShift.objects.count() == 1
    with pytest.raises(ValidationError, match="Both shifts are the same provider's"):
        setup.swap_on_call_shifts(
            OnCallShift.objects.get(), _shift(manager, okafor, 4), acting_user=manager
        )


def test_a_shift_is_removed_with_audit(manager, place):
    shift = _shift(manager, f.provider_at(place), 2)
    setup.delete_on_call_shift(shift, acting_user=manager)
    assert not OnCallShift.objects.exists()
    assert AuditEntry.objects.filter(action="delete", target_type="scheduling.oncallshift").exists()
