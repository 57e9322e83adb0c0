"""Staff meetings: on every attendee's calendar, found by common free time, invited by e-mail."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import StaffUserFactory, make_user
from medoffice.audit.models import AuditEntry
from medoffice.jobs.worker import make_worker, run_ready_tasks
from medoffice.scheduling import setup_services as setup
from medoffice.scheduling.models import Block, StaffMeeting
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
vobject = pytest.importorskip("vobject")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOON = dt.datetime(2026, 3, 10, 12, tzinfo=NEW_YORK)


@pytest.fixture
def manager():
    user = make_user("manager", roles=(Role.MANAGER,))
    user.email = "manager@example.org"
    user.save()
    return user


@pytest.fixture
def team():
    """A location, a provider with a login, a desk member, and one without an e-mail."""
    place = f.location()
    doctor = StaffUserFactory(email="doctor@example.org", first_name="Avery")
    provider = f.provider_at(place, user=doctor)
    desk = StaffUserFactory(email="desk@example.org", first_name="Jordan")
    nomail = StaffUserFactory(email="", first_name="Casey")
    return place, provider, [doctor, desk, nomail]


def _meeting(manager, team, **extra):
    place, _, people = team
    values = {
        "title": "Quarterly staff meeting", "starts_at": NOON,
        "ends_at": NOON + dt.timedelta(hours=1), "attendees": people, "location": place,
        "organizer": manager,
    }  # fmt: skip
    values.update(extra)
    return setup.create_staff_meeting(**values)


def run_jobs() -> None:
    run_ready_tasks(make_worker("test-worker"))


def test_a_meeting_blocks_each_attending_provider_and_invites_by_email(
    manager, team, mailoutbox, django_capture_on_commit_callbacks
):
    place, provider, people = team
    # when
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _meeting(manager, team)
    run_jobs()
    # then the provider's calendar has a meeting block tied to the meeting's UID
    block = Block.objects.get(group=meeting.uid)
    assert (block.provider, block.kind, block.title) == (provider, "meeting", meeting.title)
    assert (block.starts_at, block.ends_at) == (meeting.starts_at, meeting.ends_at)
    assert set(meeting.attendees.all()) == set(people)
    # and one e-mail went to the attendees who have an address, subject free of PHI
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    [message] = mailoutbox
    assert message.subject == "Invitation: Quarterly staff meeting"
    assert sorted(message.to) == ["desk@example.org", "doctor@example.org"]
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = vobject.readOne(part.get_payload(decode=True).decode())
    event = calendar.vevent
    assert calendar.method.value == "REQUEST"
    assert (event.uid.value, event.sequence.value) == (str(meeting.uid), "0")
    assert event.organizer.value == "mailto:manager@example.org"
    assert sorted(a.value for a in event.attendee_list) == [
        "mailto:desk@example.org", "mailto:doctor@example.org",
    ]  # fmt: skip
    assert event.dtstart.value.astimezone(NEW_YORK).hour == 12
    assert event.location.value == place.name
    entry = AuditEntry.objects.get(action="create", target_type="scheduling.staffmeeting")
    assert entry.detail == {"uid": str(meeting.uid), "sequence": 0}


def test_rescheduling_moves_the_blocks_and_raises_the_sequence(
    manager, team, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _meeting(manager, team, notify=False)
    later = NOON + dt.timedelta(days=1, hours=2)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        moved = setup.reschedule_staff_meeting(
            meeting, starts_at=later, ends_at=later + dt.timedelta(minutes=30),
            acting_user=manager,
        )  # fmt: skip
    run_jobs()
    # then
    assert moved.sequence == 1
    block = Block.objects.get(group=meeting.uid)
    assert block.starts_at == later
    [message] = mailoutbox
    calendar = vobject.readOne(message.attachments[0].get_payload(decode=True).decode())
    assert calendar.vevent.sequence.value == "1"
    assert calendar.vevent.uid.value == str(meeting.uid)
    update = AuditEntry.objects.get(action="update", target_type="scheduling.staffmeeting")
    assert sorted(update.fields) == ["ends_at", "sequence", "starts_at"]


def test_cancelling_removes_the_blocks_and_sends_a_cancellation(
    manager, team, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _meeting(manager, team, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        setup.cancel_staff_meeting(meeting, acting_user=manager)
    run_jobs()
    meeting.refresh_from_db()
    assert (meeting.cancelled, meeting.sequence) == (True, 1)
    assert not Block.objects.filter(group=meeting.uid).exists()
    [message] = mailoutbox
    assert message.subject == "Cancelled: Quarterly staff meeting"
    calendar = vobject.readOne(message.attachments[0].get_payload(decode=True).decode())
    assert (calendar.method.value, calendar.vevent.status.value) == ("CANCEL", "CANCELLED")
    with pytest.raises(ValidationError, match="was cancelled"):
        setup.reschedule_staff_meeting(
            meeting, starts_at=NOON, ends_at=NOON + dt.timedelta(hours=1), acting_user=manager
        )


def test_an_invitation_job_for_an_old_version_sends_nothing(manager, team, mailoutbox):
    from medoffice.scheduling.setup_invitations import send_meeting_invitation

    meeting = _meeting(manager, team, notify=False)
    setup.reschedule_staff_meeting(
        meeting, starts_at=NOON, ends_at=NOON + dt.timedelta(hours=2), acting_user=manager,
        notify=False,
    )  # fmt: skip
    assert send_meeting_invitation.call(meeting.pk, 0) == 0
    assert send_meeting_invitation.call(meeting.pk, 1) == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"attendees": []}, "Choose who attends"),
        ({"title": "  "}, "Give the meeting a title"),
        ({"ends_at": NOON}, "must end after it starts"),
        ({"ends_at": NOON + dt.timedelta(hours=13)}, "at most 12 hours"),
    ],
)
def test_a_bad_meeting_is_refused_and_nothing_is_stored(manager, team, extra, message):
    with pytest.raises(ValidationError, match=message):
        _meeting(manager, team, **extra)
    assert not StaffMeeting.objects.exists()
    assert not Block.objects.exists()
