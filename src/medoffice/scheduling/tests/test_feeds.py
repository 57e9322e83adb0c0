"""Calendar subscription feeds: secret and revocable, busy times only by default, valid RFC 5545.

"Done when": the feed parses with an independent iCalendar library (vobject).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo

import pytest
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import StaffUserFactory, make_user
from medoffice.audit.models import AuditEntry
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import setup_services as setup
from medoffice.scheduling.models import CalendarFeed
from medoffice.scheduling.setup_blocks import Calendars
from medoffice.scheduling.setup_feed_events import feed_content
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
vobject = pytest.importorskip("vobject")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
PLANTED_NAME = "Quillonzia"  # a synthetic first name that must never leak into a default feed


@pytest.fixture
def manager():
    return make_user("manager", roles=(Role.MANAGER,))


@pytest.fixture
def office():
    place = f.location()
    provider = f.provider_at(place, user=StaffUserFactory(email="doc@example.org"))
    patient = make_patient(first_name=PLANTED_NAME, last_name="Testerlyn")
    return place, provider, f.appointment_type(name="Sick visit", code="sick"), patient


def _soon(place, days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return f.local(place, day, hour)


def _fill(manager, office):
    """An appointment, a cancelled one, another provider's, a block, a closure, a meeting."""
    place, provider, kind, patient = office
    booked = f.raw_appointment(patient, provider, place, kind, _soon(place, 2, 9))
    f.raw_appointment(
        patient, provider, place, kind, _soon(place, 2, 10), status="cancelled",
        cancel_reason="patient",
    )  # fmt: skip
    f.raw_appointment(patient, f.provider_at(place), place, kind, _soon(place, 2, 9))
    f.raw_appointment(patient, provider, place, kind, _soon(place, 200, 9))  # beyond 180 days
    setup.place_blocks(
        acting_user=manager, kind="lunch", title="Lunch", calendars=Calendars([provider]),
        first_day=timezone.localdate() + dt.timedelta(days=3), start_time=dt.time(12),
        end_time=dt.time(13), time_zone=place.time_zone,
    )  # fmt: skip
    setup.create_exception(
        acting_user=manager, kind="holiday", starts_at=_soon(place, 5, 0),
        ends_at=_soon(place, 6, 0), note="Founders' day",
    )  # fmt: skip
    meeting = setup.create_staff_meeting(
        title="Staff meeting", starts_at=_soon(place, 4, 13), ends_at=_soon(place, 4, 14),
        attendees=[provider.user], organizer=manager, notify=False,
    )  # fmt: skip
    return booked, meeting


def test_creating_a_feed_keeps_only_the_hash_of_its_token(manager, office):
    _, provider, _, _ = office
    feed, raw = setup.create_calendar_feed(provider, acting_user=manager)
    assert re.fullmatch(r"cal_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", raw)
    assert feed.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.split("_")[1] == feed.prefix
    assert not CalendarFeed.objects.filter(token_hash=raw).exists()
    entry = AuditEntry.objects.get(action="token_created")
    assert raw not in str(entry.detail)
    assert entry.detail == {
        "prefix": feed.prefix, "provider_id": provider.pk, "show_patient_names": False,
    }  # fmt: skip


def test_the_feed_parses_with_vobject_and_shows_busy_times_without_patient_names(
    client, manager, office, django_assert_max_num_queries
):
    # given
    _, provider, _, patient = office
    booked, meeting = _fill(manager, office)
    feed, raw = setup.create_calendar_feed(provider, acting_user=manager)
    reads_before = AuditEntry.objects.filter(action="read").count()
    # when (anonymous: the token is the credential)
    with django_assert_max_num_queries(8):
        response = client.get(f"/schedule/feeds/{raw}.ics")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"].split(", ")
    body = response.content
    assert PLANTED_NAME.encode() not in body
    assert patient.last_name.encode() not in body
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    calendar = vobject.readOne(body.decode("utf-8"))
    events = {e.uid.value: e for e in calendar.vevent_list}
    for event in events.values():
        assert event.uid.value
        assert event.dtstamp.value.tzinfo is not None
        assert event.dtstart.value.tzinfo is not None
    assert set(events) == {
        f"appointment-{booked.pk}@medoffice", str(meeting.uid),
        *(uid for uid in events if uid.startswith(("block-", "exception-"))),
    }  # fmt: skip
    assert events[f"appointment-{booked.pk}@medoffice"].summary.value == "Busy"
    assert events[str(meeting.uid)].summary.value == "Staff meeting"
    summaries = sorted(e.summary.value for e in events.values())
    assert summaries == ["Busy", "Holiday", "Lunch", "Staff meeting"]
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    assert AuditEntry.objects.filter(action="read").count() == reads_before


def test_a_feed_with_patient_names_names_them_and_audits_the_read(client, manager, office):
    _, provider, _, patient = office
    _fill(manager, office)
    _, raw = setup.create_calendar_feed(provider, acting_user=manager, show_patient_names=True)
    response = client.get(f"/schedule/feeds/{raw}.ics")
    calendar = vobject.readOne(response.content.decode())
    event = next(e for e in calendar.vevent_list if e.uid.value.startswith("appointment-"))
    assert event.summary.value == f"{PLANTED_NAME} Testerlyn (Sick visit)"
    entry = AuditEntry.objects.get(action="read", target_type="patients.patient")
    assert entry.detail["shown"] == [patient.pk]
    assert entry.detail["what"] == "calendar feed"
    assert raw not in str(entry.detail)


def test_revoked_unknown_and_retired_feeds_answer_404(client, manager, office):
    _, provider, _, _ = office
    feed, raw = setup.create_calendar_feed(provider, acting_user=manager)
    assert client.get(f"/schedule/feeds/{raw}.ics").status_code == 200
    setup.revoke_calendar_feed(feed, acting_user=manager)
    assert client.get(f"/schedule/feeds/{raw}.ics").status_code == 404
    assert client.get("/schedule/feeds/cal_00000000_nope.ics").status_code == 404
    assert client.get("/schedule/feeds/nope.ics").status_code == 404
    _, other = setup.create_calendar_feed(provider, acting_user=manager)
    provider.active = False
    provider.save()
    assert client.get(f"/schedule/feeds/{other}.ics").status_code == 404
    assert AuditEntry.objects.filter(action="token_revoked").count() == 1


def test_feed_times_are_local_wall_clock_across_a_dst_change(manager, office):
    # given 09:00 appointments on the Friday before and the Monday after spring-forward 2026
    place, provider, kind, patient = office
    friday = f.raw_appointment(
        patient, provider, place, kind, f.local(place, dt.date(2026, 3, 6), 9)
    )
    monday = f.raw_appointment(
        patient, provider, place, kind, f.local(place, dt.date(2026, 3, 9), 9)
    )
    feed, _ = setup.create_calendar_feed(provider, acting_user=manager)
    # when
    content = feed_content(feed, now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    # then
    assert content.events == 2
    assert b"DTSTART;TZID=America/New_York:20260306T090000" in content.ics
    assert b"DTSTART;TZID=America/New_York:20260309T090000" in content.ics
    calendar = vobject.readOne(content.ics.decode())
    starts = {e.uid.value: e.dtstart.value for e in calendar.vevent_list}
    assert starts[f"appointment-{friday.pk}@medoffice"].astimezone(dt.UTC).hour == 14
    assert starts[f"appointment-{monday.pk}@medoffice"].astimezone(dt.UTC).hour == 13
    assert {s.astimezone(NEW_YORK).hour for s in starts.values()} == {9}
