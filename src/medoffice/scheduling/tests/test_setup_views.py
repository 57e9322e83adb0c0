"""Set-up pages for the catalogue, sessions and closures; who may open them; query bounds."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.scheduling.models import (
    AppointmentType,
    Block,
    CalendarFeed,
    OnCallShift,
    Resource,
    ScheduleException,
    ScheduleSession,
    StaffMeeting,
)
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # the en dash the pages put between two times


@pytest.fixture
def manager(client):
    user = make_user("manager", roles=(Role.MANAGER,))
    client.force_login(user)
    return user


@pytest.fixture
def place():
    return f.location()


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def _assert_clean_markup(response) -> None:
    body = response.content.decode()
    assert "<script>" not in body
    assert " style=" not in body
    assert " onclick=" not in body


SETUP_URLS = [
    ("get", "/schedule/setup/"),
    ("post", "/schedule/setup/types/new/"),
    ("post", "/schedule/setup/resources/new/"),
    ("post", "/schedule/setup/sessions/new/"),
    ("get", "/schedule/setup/week/1/"),
    ("post", "/schedule/setup/exceptions/new/"),
    ("post", "/schedule/setup/exceptions/1/delete/"),
    ("post", "/schedule/setup/blocks/new/"),
    ("post", f"/schedule/setup/blocks/{uuid.UUID(int=1)}/delete/"),
    ("post", "/schedule/setup/blocks/one/1/delete/"),
    ("post", "/schedule/setup/on-call/"),
    ("post", "/schedule/setup/on-call/swap/"),
    ("post", "/schedule/setup/on-call/1/delete/"),
    ("post", "/schedule/setup/meetings/"),
    ("post", "/schedule/setup/meetings/1/cancel/"),
    ("get", "/schedule/setup/meetings/1/invite.ics"),
    ("get", "/schedule/feeds/"),
    ("post", "/schedule/feeds/"),
    ("post", "/schedule/feeds/1/revoke/"),
]


def _counts() -> list[int]:
    models = (
        AppointmentType, Resource, ScheduleSession, ScheduleException, Block, OnCallShift,
        StaffMeeting, CalendarFeed, AuditEntry,
    )  # fmt: skip
    return [model.objects.count() for model in models]


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.BILLING, Role.CLINICAL])
def test_staff_other_than_managers_get_403_on_every_setup_page_and_nothing_changes(
    client, place, role
):
    # given an exception and a block that a refused delete would remove
    provider = f.provider_at(place)
    client.force_login(make_user("someone", roles=(role,)))
    before = _counts()
    post = {
        "name": "Sneaky", "code": "sneaky", "default_minutes": "20", "color": "#112233",
        "kind": "closed", "first_day": "2026-03-02", "provider": str(provider.pk),
    }  # fmt: skip
    # when / then
    for method, url in SETUP_URLS:
        response = getattr(client, method)(url, post if method == "post" else None)
        assert response.status_code == 403, (method, url, response.status_code)
    assert _counts() == before


def test_the_overview_lists_everything_in_a_bounded_number_of_queries(
    client, manager, place, django_assert_max_num_queries
):
    # given a few of everything
    for n in range(6):
        provider = f.provider_at(place)
        kind = f.appointment_type(name=f"Type {n}", code=f"t{n}")
        kind.providers.add(provider)
        session = f.session(provider, place, label=f"Session {n}")
        session.appointment_types.add(kind)
        f.room(place, name=f"Exam {n}")
    # when
    with django_assert_max_num_queries(25):
        response = client.get("/schedule/setup/")
    # then
    assert response.status_code == 200
    text = _text(response)
    assert "Type 5" in text
    assert "Mon, Tue, Wed, Thu, Fri (Session 2)" in text
    assert "Exam 5" in text
    _assert_clean_markup(response)


def test_adding_a_type_with_own_lengths_and_instructions(client, manager, place):
    provider = f.provider_at(place)
    response = client.post("/schedule/setup/types/new/", {
        "name": "Physical", "code": "physical", "default_minutes": "30", "color": "#336699",
        "active": "on", "providers": [str(provider.pk)], "resource_kinds": ["exam_room"],
        f"minutes_{provider.pk}": "45", "instructions_es": "Venga en ayunas.",
    })  # fmt: skip
    assert response.status_code == 302
    kind = AppointmentType.objects.get(code="physical")
    assert list(kind.durations.values_list("minutes", flat=True)) == [45]
    assert list(kind.instructions.values_list("language", "text")) == [("es", "Venga en ayunas.")]
    assert list(kind.resource_needs.values_list("kind", flat=True)) == ["exam_room"]
    # and editing it changes only what changed
    response = client.post(f"/schedule/setup/types/{kind.pk}/", {
        "name": "Physical", "code": "physical", "default_minutes": "40", "color": "#336699",
        "active": "on", "providers": [str(provider.pk)], "resource_kinds": ["exam_room"],
        f"minutes_{provider.pk}": "45", "instructions_es": "Venga en ayunas.",
    })  # fmt: skip
    assert response.status_code == 302
    update = AuditEntry.objects.get(action="update", target_type="scheduling.appointmenttype")
    assert update.fields == ["default_minutes"]


def test_adding_a_room_and_refusing_a_duplicate_name(client, manager, place):
    data = {"name": "Exam 1", "kind": "exam_room", "location": str(place.pk), "active": "on"}
    assert client.post("/schedule/setup/resources/new/", data).status_code == 302
    response = client.post("/schedule/setup/resources/new/", data)
    assert response.status_code == 200
    assert Resource.objects.count() == 1


def _session_post(provider, place, **extra):
    data = {
        "provider": str(provider.pk), "location": str(place.pk), "label": "",
        "starts_on": "2026-01-05", "start_time": "08:00", "end_time": "12:00",
        "slot_minutes": "15", "overbook_limit": "0", "active": "on",
        "weekdays": ["0", "2"], "every_weeks": "2", "advanced_rule": "",
    }  # fmt: skip
    data.update(extra)
    return data


def test_the_recurrence_builder_writes_the_rule(client, manager, place):
    provider = f.provider_at(place)
    response = client.post("/schedule/setup/sessions/new/", _session_post(provider, place))
    assert response.status_code == 302
    assert response["Location"] == f"/schedule/setup/week/{provider.pk}/"
    session = ScheduleSession.objects.get()
    assert session.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"
    # the edit form reads the rule back into the boxes
    page = client.get(f"/schedule/setup/sessions/{session.pk}/").content.decode()
    assert re.search(
        r'<input[^>]*value="2"[^>]*name="weekdays"|name="weekdays" value="2"[^>]*checked', page
    )
    assert 'name="every_weeks" value="2"' in page


def test_an_advanced_rule_wins_and_an_unsafe_one_is_refused_on_the_page(client, manager, place):
    provider = f.provider_at(place)
    response = client.post(
        "/schedule/setup/sessions/new/",
        _session_post(provider, place, advanced_rule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,10"),
    )
    assert response.status_code == 200
    assert "Not allowed in a rule here: BYHOUR" in _text(response)
    assert not ScheduleSession.objects.exists()
    response = client.post(
        "/schedule/setup/sessions/new/",
        _session_post(provider, place, advanced_rule="FREQ=MONTHLY;BYDAY=1MO"),
    )
    assert response.status_code == 302
    assert ScheduleSession.objects.get().rrule == "FREQ=MONTHLY;BYDAY=1MO"


def test_an_overlapping_session_is_refused_with_the_reason_shown(client, manager, place):
    provider = f.provider_at(place)
    f.session(provider, place, rrule="FREQ=WEEKLY;BYDAY=WE", starts_on=dt.date(2026, 1, 5))
    response = client.post(
        "/schedule/setup/sessions/new/",
        _session_post(provider, place, every_weeks="1", start_time="11:00", end_time="13:00"),
    )
    assert response.status_code == 200
    assert f"Overlaps the provider's session 08:00-12:00 at {place} on Wed Jan 7, 2026." in _text(
        response
    )
    assert ScheduleSession.objects.count() == 1


def test_the_weekly_template_shows_each_days_sessions_blocks_and_closures(
    client, manager, place, django_assert_max_num_queries
):
    provider = f.provider_at(place)
    f.session(provider, place, rrule="FREQ=WEEKLY;BYDAY=MO,TH", label="New patients")
    f.session(provider, place, rrule="FREQ=WEEKLY;BYDAY=TH", start=dt.time(13), end=dt.time(17))
    Block.objects.create(
        provider=provider, kind="lunch", starts_at=f.local(place, dt.date(2026, 3, 5), 12),
        ends_at=f.local(place, dt.date(2026, 3, 5), 13),
    )  # fmt: skip
    ScheduleException.objects.create(
        kind="holiday", starts_at=f.local(place, dt.date(2026, 3, 2), 0),
        ends_at=f.local(place, dt.date(2026, 3, 3), 0),
    )  # fmt: skip
    with django_assert_max_num_queries(18):
        response = client.get(f"/schedule/setup/week/{provider.pk}/?week=2026-03-04")
    assert response.status_code == 200
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", response.content.decode(), re.S)
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert texts[0].startswith(f"Monday Mar 2 08:00{DASH}12:00")
    assert "Holiday" in texts[0]
    assert texts[1].startswith("Tuesday Mar 3 Not working")
    assert f"08:00{DASH}12:00" in texts[3]
    assert f"13:00{DASH}17:00" in texts[3]
    assert f"Lunch 12:00{DASH}13:00" in texts[3]
    assert "Not working" in texts[6]


def test_closed_for_snow_from_one_pm_becomes_an_exception_of_that_location(client, manager, place):
    response = client.post("/schedule/setup/exceptions/new/", {
        "kind": "closed", "location": str(place.pk), "first_day": "2026-01-26",
        "from_time": "13:00", "note": "Snow",
    })  # fmt: skip
    assert response.status_code == 302
    closure = ScheduleException.objects.get()
    assert closure.starts_at == f.local(place, dt.date(2026, 1, 26), 13)
    assert closure.ends_at == f.local(place, dt.date(2026, 1, 27), 0)
    assert (closure.location, closure.provider, closure.note) == (place, None, "Snow")
    client.post(f"/schedule/setup/exceptions/{closure.pk}/delete/")
    assert not ScheduleException.objects.exists()


def test_a_closure_ending_before_it_starts_is_refused_on_the_page(client, manager, place):
    response = client.post("/schedule/setup/exceptions/new/", {
        "kind": "closed", "first_day": "2026-01-26", "from_time": "13:00", "until_time": "12:00",
    })  # fmt: skip
    assert response.status_code == 200
    assert "The end comes before the start." in _text(response)
    assert not ScheduleException.objects.exists()
