"""iCalendar feeds and invitations, checked by an independent parser (vobject) and by the text.

No Django here: the writer takes plain dataclasses.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest

from medoffice.interchange.icalendar import (
    PRODID,
    Feed,
    Invitation,
    Person,
    TimedEvent,
    write_feed,
    write_invitation,
)

vobject = pytest.importorskip("vobject")

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
STAMP = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _event(uid: str, day: dt.date, hour: int, minutes: int = 30, **extra: object) -> TimedEvent:
    start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK)
    return TimedEvent(
        uid=uid, starts_at=start, ends_at=start + dt.timedelta(minutes=minutes),
        summary=str(extra.pop("summary", "Busy")), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _feed(*events: TimedEvent, time_zone: str = "America/New_York") -> bytes:
    return write_feed(Feed(name="Dr. Sample", time_zone=time_zone, stamp=STAMP, events=events))


def _lines(text: bytes) -> list[bytes]:
    assert text.endswith(b"\r\n")
    return text[:-2].split(b"\r\n")


def test_a_feed_parses_with_vobject_and_every_event_has_uid_stamp_and_start():
    # given two events on either side of the spring-forward change (Sunday March 8, 2026)
    before = _event("appointment-1@medoffice", dt.date(2026, 3, 6), 9)
    after = _event("appointment-2@medoffice", dt.date(2026, 3, 9), 9, busy=False)
    # when
    text = _feed(after, before)
    # then
    calendar = vobject.readOne(text.decode("utf-8"))
    assert calendar.prodid.value == PRODID
    assert calendar.version.value == "2.0"
    assert calendar.method.value == "PUBLISH"
    assert calendar.calscale.value == "GREGORIAN"
    events = calendar.vevent_list
    assert [e.uid.value for e in events] == ["appointment-1@medoffice", "appointment-2@medoffice"]
    for event in events:
        assert event.dtstamp.value == STAMP
        assert event.dtstart.value.tzinfo is not None
        assert event.sequence.value == "0"
    assert [e.transp.value for e in events] == ["OPAQUE", "TRANSPARENT"]
    assert [e.status.value for e in events] == ["CONFIRMED", "CONFIRMED"]


def test_local_times_stay_on_the_wall_clock_across_daylight_saving():
    # given 09:00 local on the Friday before and the Monday after the change
    events = [
        _event("a@x", dt.date(2026, 3, 6), 9),
        _event("b@x", dt.date(2026, 3, 9), 9),
        _event("c@x", dt.date(2026, 10, 30), 9),
        _event("d@x", dt.date(2026, 11, 2), 9),
    ]
    # when
    calendar = vobject.readOne(_feed(*events).decode())
    # then: 09:00 in New York each time, which is 14:00 UTC in winter and 13:00 in summer
    starts = [e.dtstart.value for e in calendar.vevent_list]
    assert [s.astimezone(NEW_YORK).hour for s in starts] == [9, 9, 9, 9]
    assert [s.astimezone(dt.UTC).hour for s in starts] == [14, 13, 13, 14]
    assert b"DTSTART;TZID=America/New_York:20260309T090000" in _feed(*events)
    assert calendar.vtimezone.tzid.value == "America/New_York"


def test_lines_end_in_crlf_and_are_folded_at_75_octets_and_text_is_escaped():
    # given a long summary with accented letters, commas, semicolons and a line break
    summary = "Réunion d'équipe, salle 2; ordre du jour\n" + "é" * 80
    event = _event("long@x", dt.date(2026, 3, 2), 10, summary=summary, location="North, 2nd floor")
    # when
    text = _feed(event)
    # then
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert max(len(line) for line in _lines(text)) <= 75
    assert any(line.startswith(b" ") for line in _lines(text))  # folded somewhere
    assert b"SUMMARY:R\xc3\xa9union d'\xc3\xa9quipe\\, salle 2\\; ordre du jour\\n" in text
    parsed = vobject.readOne(text.decode("utf-8")).vevent
    assert parsed.summary.value == summary
    assert parsed.location.value == "North, 2nd floor"


def test_a_utc_feed_writes_utc_times_and_no_timezone_component():
    # when
    text = _feed(_event("u@x", dt.date(2026, 7, 1), 9), time_zone="UTC")
    # then
    assert b"BEGIN:VTIMEZONE" not in text
    assert b"DTSTART:20260701T130000Z" in text
    assert vobject.readOne(text.decode()).vevent.dtstart.value == dt.datetime(
        2026, 7, 1, 13, tzinfo=dt.UTC
    )


def test_an_empty_feed_is_still_a_valid_calendar():
    calendar = vobject.readOne(_feed().decode())
    assert calendar.name == "VCALENDAR"
    assert not hasattr(calendar, "vevent")


def test_an_invitation_names_organizer_and_each_attendee_with_uid_and_sequence():
    # given
    meeting = _event("9b7c1f0e-2d4e-4f7a-9a53-0c8e3a1b2c3d", dt.date(2026, 3, 10), 12, 60,
                     summary="Staff meeting", sequence=2, location="North")  # fmt: skip
    invitation = Invitation(
        event=meeting,
        organizer=Person("Morgan Manager", "manager@example.org"),
        attendees=[Person("Avery Provider, MD", "avery@example.org"), Person("", "desk@x.org")],
        time_zone="America/New_York",
        stamp=STAMP,
    )
    # when
    text = write_invitation(invitation)
    # then
    calendar = vobject.readOne(text.decode())
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.uid.value == "9b7c1f0e-2d4e-4f7a-9a53-0c8e3a1b2c3d"
    assert event.sequence.value == "2"
    assert event.organizer.value == "mailto:manager@example.org"
    assert event.organizer.params["CN"] == ["Morgan Manager"]
    attendees = event.attendee_list
    assert [a.value for a in attendees] == ["mailto:avery@example.org", "mailto:desk@x.org"]
    assert attendees[0].params["CN"] == ["Avery Provider, MD"]
    assert attendees[0].params["RSVP"] == ["TRUE"]
    assert attendees[0].params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert "CN" not in attendees[1].params
    assert event.dtstart.value.astimezone(NEW_YORK).hour == 12


def test_a_cancellation_is_method_cancel_with_a_cancelled_status():
    meeting = _event("m@x", dt.date(2026, 3, 10), 12, sequence=3)
    invitation = Invitation(
        event=meeting, organizer=Person("M", "m@example.org"),
        attendees=[Person("A", "a@example.org")], time_zone="America/New_York",
        stamp=STAMP, method="CANCEL",
    )  # fmt: skip
    calendar = vobject.readOne(write_invitation(invitation).decode())
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert calendar.vevent.sequence.value == "3"
    assert "RSVP" not in calendar.vevent.attendee.params


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: TimedEvent("n@x", dt.datetime(2026, 1, 1, 9), dt.datetime(2026, 1, 1, 10), "B"),
            "timezone-aware",
        ),
        (
            lambda: _event("e@x", dt.date(2026, 1, 1), 9, minutes=0),
            "end after it starts",
        ),
        (
            lambda: _feed(
                _event("same@x", dt.date(2026, 1, 1), 9), _event("same@x", dt.date(2026, 1, 2), 9)
            ),
            "share a UID",
        ),
        (
            lambda: _feed(_event("z@x", dt.date(2026, 1, 1), 9), time_zone="Mars/Olympus"),
            "Unknown time zone",
        ),
        (
            lambda: write_invitation(Invitation(
                event=_event("i@x", dt.date(2026, 1, 1), 9), organizer=Person("M", "m@x.org"),
                attendees=[Person("No mail", "")], time_zone="UTC", stamp=STAMP,
            )),
            "e-mail address",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_reason(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()
