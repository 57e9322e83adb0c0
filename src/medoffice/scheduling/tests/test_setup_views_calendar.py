"""Set-up pages for blocks, on-call, staff meetings (find a time, invite) and calendar feeds."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import StaffUserFactory, make_user
from medoffice.audit.models import AuditEntry
from medoffice.scheduling import availability
from medoffice.scheduling.models import Block, CalendarFeed, OnCallShift, StaffMeeting
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DASH = "\u2013"  # the en dash the pages put between two times


@pytest.fixture
def manager(client):
    user = make_user("manager", roles=(Role.MANAGER,))
    user.email = "manager@example.org"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def place():
    return f.location()


def test_a_block_placed_on_several_calendars_with_a_weekly_repeat(client, manager, place):
    okafor, lee = f.provider_at(place), f.provider_at(place)
    room = f.room(place)
    response = client.post("/schedule/setup/blocks/new/", {
        "kind": "lunch", "title": "Lunch", "providers": [okafor.pk, lee.pk],
        "resources": [room.pk], "location": place.pk, "first_day": "2026-03-02",
        "start_time": "12:00", "end_time": "13:00", "weekdays": ["0", "1", "2", "3", "4"],
        "every_weeks": "1", "repeat_until": "2026-05-29",
    })  # fmt: skip
    assert response.status_code == 302
    group = Block.objects.values_list("group", flat=True).first()
    assert response["Location"] == f"/schedule/setup/blocks/{group}/"
    assert Block.objects.filter(group=group).count() == 13 * 5 * 3
    noons = {b.starts_at.astimezone(NEW_YORK).time() for b in Block.objects.all()}
    assert noons == {dt.time(12)}
    page = client.get(response["Location"])
    assert "Remove all 195 blocks" in page.content.decode()
    # removing the set removes every block
    client.post(f"/schedule/setup/blocks/{group}/delete/")
    assert not Block.objects.exists()


def test_a_block_without_a_calendar_or_an_end_to_its_repeat_is_refused(client, manager, place):
    response = client.post("/schedule/setup/blocks/new/", {
        "kind": "admin", "first_day": "2026-03-02", "start_time": "12:00", "end_time": "13:00",
        "weekdays": ["0"], "every_weeks": "1",
    })  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one calendar." in body
    assert "Give the last day of the repeat." in body
    assert not Block.objects.exists()


def test_the_on_call_page_adds_swaps_and_removes_shifts(client, manager, place):
    okafor, lee = f.provider_at(place), f.provider_at(place)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for provider, day in ((okafor, tomorrow), (lee, tomorrow + dt.timedelta(days=1))):
        response = client.post("/schedule/setup/on-call/", {
            "add-provider": provider.pk, "add-start_day": day.isoformat(),
            "add-start_time": "17:00", "add-end_day": (day + dt.timedelta(days=1)).isoformat(),
            "add-end_time": "08:00", "add-phone": "555-201-7788",
        })  # fmt: skip
        assert response.status_code == 302
    first, second = OnCallShift.objects.order_by("starts_at")
    assert first.starts_at.astimezone(NEW_YORK).time() == dt.time(17)
    assert first.ends_at - first.starts_at == dt.timedelta(hours=15)
    page = client.get("/schedule/setup/on-call/").content.decode()
    assert okafor.display_name in page
    assert "Swap two shifts" in page
    client.post("/schedule/setup/on-call/swap/", {"swap-first": first.pk, "swap-second": second.pk})
    first.refresh_from_db()
    assert first.provider == lee
    client.post(f"/schedule/setup/on-call/{second.pk}/delete/")
    assert list(OnCallShift.objects.all()) == [first]


@pytest.fixture
def team(place):
    doctor = StaffUserFactory(email="doctor@example.org")
    provider = f.provider_at(place, user=doctor)
    desk = StaffUserFactory(email="desk@example.org")
    return provider, [doctor, desk]


def _meeting_post(place, people, **extra):
    data = {
        "title": "Staff meeting", "attendees": [p.pk for p in people], "location": place.pk,
        "minutes": "60", "first_day": "2026-03-09", "last_day": "2026-03-13",
        "day_start": "08:00", "day_end": "17:00",
    }  # fmt: skip
    data.update(extra)
    return data


def test_find_a_time_lists_common_free_times_and_choosing_one_creates_the_meeting(
    client, manager, place, team, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    # given the availability module answers two common free times
    provider, people = team
    starts = [
        dt.datetime(2026, 3, 10, 12, tzinfo=NEW_YORK),
        dt.datetime(2026, 3, 11, 8, tzinfo=NEW_YORK),
    ]
    slots = [(start, start + dt.timedelta(hours=1)) for start in starts]
    asked = {}

    def common_free_times(**kwargs):
        asked.update(kwargs)
        return slots

    monkeypatch.setattr(availability, "common_free_times", common_free_times)
    # when the manager looks for a time
    response = client.post("/schedule/setup/meetings/", _meeting_post(place, people))
    # then the times are offered as buttons, asked for the attendees (and their providers)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Tue Mar 10, 12:00{DASH}13:00" in body
    assert f"Wed Mar 11, 08:00{DASH}09:00" in body
    assert set(asked["users"]) == set(people)
    assert (asked["start"], asked["end"], asked["minutes"]) == (
        dt.date(2026, 3, 9), dt.date(2026, 3, 13), 60,
    )  # fmt: skip
    assert asked["time_zone"] == place.time_zone
    value = re.search(r'name="slot" value="([^"]+)"', body)[1]
    # when one is chosen
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/schedule/setup/meetings/", _meeting_post(place, people, slot=value)
        )
    # then the meeting exists, on the provider's calendar, and invitations are queued
    meeting = StaffMeeting.objects.get()
    assert response["Location"] == f"/schedule/setup/meetings/{meeting.pk}/"
    assert meeting.starts_at == slots[0][0]
    assert Block.objects.get(group=meeting.uid).provider == provider
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1


def test_find_a_time_skips_what_keeps_any_attendee_busy(client, manager, place, team):
    # given, on the next weekday, the provider blocked 08:00-12:00 and the desk 13:00-15:00
    provider, people = team
    day = dt.date.today() + dt.timedelta(days=1)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    Block.objects.create(
        provider=provider, kind="admin", starts_at=f.local(place, day, 8),
        ends_at=f.local(place, day, 12),
    )  # fmt: skip
    Block.objects.create(
        user=people[1], kind="training", starts_at=f.local(place, day, 13),
        ends_at=f.local(place, day, 15),
    )  # fmt: skip
    # when
    response = client.post("/schedule/setup/meetings/", _meeting_post(
        place, people, first_day=day.isoformat(), last_day=day.isoformat(),
    ))  # fmt: skip
    # then every time offered is free for both
    values = re.findall(r'name="slot" value="([^"]+)"', response.content.decode())
    assert values, "no time found"
    for value in values:
        start, end = (dt.datetime.fromisoformat(part) for part in value.split("/"))
        local = start.astimezone(NEW_YORK)
        assert local.date() == day
        assert end - start == dt.timedelta(hours=1)
        assert dt.time(12) <= local.time() <= dt.time(16)
        assert not dt.time(12) < local.time() < dt.time(15)


def test_the_invitation_downloads_as_ics_and_the_meeting_can_be_moved_and_cancelled(
    client, manager, place, team
):
    vobject = pytest.importorskip("vobject")
    from medoffice.scheduling import setup_services

    _, people = team
    start = dt.datetime(2026, 3, 10, 12, tzinfo=NEW_YORK)
    meeting = setup_services.create_staff_meeting(
        title="Staff meeting", starts_at=start, ends_at=start + dt.timedelta(hours=1),
        attendees=people, location=place, organizer=manager, notify=False,
    )  # fmt: skip
    page = client.get(f"/schedule/setup/meetings/{meeting.pk}/")
    assert "doctor@example.org" in page.content.decode()
    # the .ics
    response = client.get(f"/schedule/setup/meetings/{meeting.pk}/invite.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    event = vobject.readOne(response.content.decode()).vevent
    assert (event.uid.value, event.sequence.value) == (str(meeting.uid), "0")
    # moved by the form, in the location's clock
    response = client.post(
        f"/schedule/setup/meetings/{meeting.pk}/",
        {"day": "2026-03-12", "start_time": "15:30", "minutes": "30"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2026, 3, 12, 15, 30, tzinfo=NEW_YORK)
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=30)
    assert meeting.sequence == 1
    # and cancelled
    client.post(f"/schedule/setup/meetings/{meeting.pk}/cancel/")
    meeting.refresh_from_db()
    assert (meeting.cancelled, meeting.sequence) == (True, 2)
    response = client.get(f"/schedule/setup/meetings/{meeting.pk}/invite.ics")
    assert b"METHOD:CANCEL" in response.content


def test_the_feed_page_shows_a_new_address_once_and_revokes(client, manager, place):
    provider = f.provider_at(place)
    # when
    response = client.post("/schedule/feeds/", {"provider": provider.pk})
    # then the address is shown once, and only its hash is stored
    body = response.content.decode()
    url = re.search(r'value="(http://testserver/schedule/feeds/cal_[^"]+\.ics)"', body)[1]
    feed = CalendarFeed.objects.get()
    assert feed.show_patient_names is False
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert raw not in client.get("/schedule/feeds/").content.decode()
    assert client.get(url).status_code == 200
    # revoking stops it
    client.post(f"/schedule/feeds/{feed.pk}/revoke/")
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="token_revoked").count() == 1


def test_front_desk_cannot_manage_feeds(client, place):
    client.force_login(make_user("desk", roles=(Role.FRONT_DESK,)))
    provider = f.provider_at(place)
    assert client.get("/schedule/feeds/").status_code == 403
    assert client.post("/schedule/feeds/", {"provider": provider.pk}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_the_meetings_and_feeds_pages_take_a_bounded_number_of_queries(
    client, manager, place, team, django_assert_max_num_queries
):
    from medoffice.scheduling import setup_services

    _, people = team
    start = dt.datetime.now(tz=NEW_YORK).replace(microsecond=0) + dt.timedelta(days=2)
    for n in range(5):
        provider = f.provider_at(place)
        setup_services.create_calendar_feed(provider, acting_user=manager)
        setup_services.create_staff_meeting(
            title=f"Meeting {n}", starts_at=start + dt.timedelta(days=n),
            ends_at=start + dt.timedelta(days=n, hours=1), attendees=people, organizer=manager,
            notify=False,
        )  # fmt: skip
    with django_assert_max_num_queries(16):
        meetings = client.get("/schedule/setup/meetings/")
    with django_assert_max_num_queries(14):
        feeds = client.get("/schedule/feeds/")
    assert meetings.content.decode().count("/schedule/setup/meetings/") >= 5
    assert feeds.content.decode().count("Revoke<span") == 5
