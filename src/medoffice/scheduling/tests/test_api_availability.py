"""Finding a slot and who is on call, through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.accounts.tests.factories import staff_user
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import availability
from medoffice.scheduling.models import OnCallShift
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.api_client import (
    PROBLEM,
    Api,
    Setting,
    data,
    desk_api,
    make_setting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> Setting:
    return make_setting()


@pytest.fixture
def desk() -> Api:
    return desk_api()


def starts(answer: Any) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(slot["starts_at"]) for slot in data(answer)]


def test_one_providers_open_slots_leave_out_a_booked_time(desk: Api, setting: Setting):
    # given 9:00-9:20 is booked
    f.raw_appointment(make_patient(), setting.provider, setting.place, setting.kind, setting.at(9))
    day = setting.day.isoformat()
    # when
    response = desk.call(
        "get",
        f"/api/availability?appointment_type={setting.kind.pk}&provider={setting.provider.pk}"
        f"&start={day}&end={day}&limit=200",
    )
    # then the answer is the availability module's, in the API's shape
    assert response.status_code == 200
    expected = availability.open_slots(
        provider=setting.provider,
        appointment_type=setting.kind,
        start=setting.day,
        end=setting.day,
        limit=200,
    )
    assert starts(response) == [slot.starts_at for slot in expected]
    assert starts(response)[0] == setting.at(8)
    assert all(not (setting.at(8, 41) < when < setting.at(9, 20)) for when in starts(response))
    first = data(response)[0]
    assert set(first) == {"provider_id", "location_id", "starts_at", "ends_at", "session_label"}
    assert (first["provider_id"], first["location_id"]) == (setting.provider.pk, setting.place.pk)
    assert dt.datetime.fromisoformat(first["ends_at"]) == setting.at(8, 20)


def test_first_available_looks_across_providers(desk: Api, setting: Setting):
    # given a second provider free at 8:00 while the first is booked then
    other = f.provider_at(setting.place)
    f.session(other, setting.place)
    f.raw_appointment(make_patient(), setting.provider, setting.place, setting.kind, setting.at(8))
    day = setting.day.isoformat()
    # when
    response = desk.call(
        "get", f"/api/availability?appointment_type={setting.kind.pk}&start={day}&limit=1"
    )
    # then
    assert response.status_code == 200
    assert [(s["provider_id"], s["starts_at"]) for s in data(response)] == [
        (other.pk, setting.at(8).isoformat())
    ]


def test_days_times_and_limit_narrow_the_search(desk: Api, setting: Setting):
    tuesday = setting.day + dt.timedelta(days=1)
    response = desk.call(
        "get",
        f"/api/availability?appointment_type={setting.kind.pk}&provider={setting.provider.pk}"
        f"&start={setting.day}&end={setting.day + dt.timedelta(days=6)}&weekdays=1"
        "&earliest=10:00&latest=11:00&limit=3",
    )
    assert response.status_code == 200
    found = starts(response)
    assert len(found) == 3
    assert {when.date() for when in found} == {tuesday}
    assert found[0] == f.local(setting.place, tuesday, 10)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-12-01&end=2027-03-03", "end", "Search at most 92 days at a time."),
        ("start=2026-12-02&end=2026-12-01", "end", "The last day is before the first."),
        ("start=2026-02-30", "start", "That date does not exist."),
        ("start=12/01/2026", "start", "Write the date as YYYY-MM-DD, e.g. 2026-11-30."),
        ("weekdays=7", "weekdays", "List weekday numbers separated by commas"),
        ("weekdays=mon", "weekdays", "List weekday numbers separated by commas"),
        ("earliest=11:00&latest=10:00", "latest", "The latest time is before the earliest."),
        ("earliest=25:00", "earliest", "valid time"),
        ("limit=0", "limit", "greater than or equal to 1"),
        ("provider=987654", "provider", "No provider with id 987654."),
    ],
)
def test_bad_search_values_are_422_naming_the_field(
    desk: Api, setting: Setting, query: str, field: str, message: str
):
    response = desk.call("get", f"/api/availability?appointment_type={setting.kind.pk}&{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    errors = data(response)["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]


def test_a_92_day_search_is_allowed(desk: Api, setting: Setting):
    start = setting.day
    end = start + dt.timedelta(days=91)
    response = desk.call(
        "get",
        f"/api/availability?appointment_type={setting.kind.pk}&start={start}&end={end}&limit=1",
    )
    assert response.status_code == 200


def test_the_type_is_required(desk: Api):
    response = desk.call("get", "/api/availability")
    assert response.status_code == 422
    assert [e["field"] for e in data(response)["errors"]] == ["appointment_type"]


def test_a_login_without_scheduling_rights_is_refused(setting: Setting):
    outsider = Api(staff_user("accounts.use_api"))
    response = outsider.call("get", f"/api/availability?appointment_type={setting.kind.pk}")
    assert response.status_code == 403


def test_first_available_costs_the_same_queries_for_1_or_6_providers(
    desk: Api, setting: Setting, django_assert_max_num_queries: Any
):
    url = f"/api/availability?appointment_type={setting.kind.pk}&start={setting.day}&limit=50"
    with CaptureQueriesContext(connection) as alone:
        assert len(data(desk.call("get", url))) == 50
    for _ in range(5):
        f.session(f.provider_at(setting.place), setting.place)
    # token (2), roles (2), the type, the search's fixed handful, the locations' time zones
    with django_assert_max_num_queries(len(alone.captured_queries)):
        response = desk.call("get", url)
    assert len({slot["provider_id"] for slot in data(response)}) == 6


def test_on_call_answers_who_covers_the_practice(desk: Api, setting: Setting):
    evening = setting.at(17)
    OnCallShift.objects.create(
        provider=setting.provider,
        starts_at=evening,
        ends_at=evening + dt.timedelta(hours=15),
        phone="+15555550123",
    )
    at = (evening + dt.timedelta(hours=5)).isoformat()
    response = desk.call("get", f"/api/on-call?at={at.replace('+', '%2B')}")
    assert response.status_code == 200
    assert [(s["provider"]["id"], s["phone"]) for s in data(response)] == [
        (setting.provider.pk, "+15555550123")
    ]
    before = desk.call("get", f"/api/on-call?at={setting.at(9).isoformat()}")
    assert data(before) == []


def test_on_call_needs_an_instant_with_offset(desk: Api):
    response = desk.call("get", "/api/on-call?at=2026-12-01T22:00:00")
    assert response.status_code == 422
    assert [e["field"] for e in data(response)["errors"]] == ["at"]
