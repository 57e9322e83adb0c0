"""One provider's week, and the printable day (no navigation, appointments in time order)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import Block
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.views_calendar_support import (
    HTMX,
    Office,
    desk_client,
    make_office,
    reads,
    text_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> Office:
    return make_office(providers=2)


@pytest.fixture
def desk() -> Client:
    return desk_client()[0]


def week_url(office: Office, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"date": office.day, **params}.items())
    return f"/schedule/week/{office.provider.pk}/?{query}"


def test_the_week_has_a_column_per_weekday_with_that_days_appointments(
    desk: Client, office: Office
):
    # given Tuesday 10:00 booked, and another provider's Tuesday
    tuesday = office.day + dt.timedelta(days=1)
    mine = office.book_raw(10, provider=office.provider)
    mine.starts_at, mine.ends_at = office.at(10, day=tuesday), office.at(10, 20, day=tuesday)
    mine.save()
    theirs = office.book_raw(11, provider=office.providers[1])
    # when the week is shown from Wednesday's date
    response = desk.get(week_url(office, date=office.day + dt.timedelta(days=2)))
    html = response.content.decode()
    # then Monday to Friday (no weekend: nothing on it), Tuesday holding the appointment
    heads = re.findall(r'<h3 id="col-\d+-(\d{8})-head">', html)
    assert heads == [f"{office.day + dt.timedelta(days=n):%Y%m%d}" for n in range(5)]
    tuesday_column = html[html.index(f'id="col-{office.provider.pk}-{tuesday:%Y%m%d}"') :]
    tuesday_column = tuesday_column[: tuesday_column.index("</section>")]
    assert f'id="appt-{mine.pk}"' in tuesday_column
    assert f'id="appt-{theirs.pk}"' not in html
    monday = office.day
    assert f"Week of {monday:%B} {monday.day}, {monday.year} Family medicine" in text_of(response)
    [read] = reads("week view")
    assert read.detail["appointments"] == [mine.pk]


def test_a_weekend_day_shows_when_something_is_on_it(desk: Client, office: Office):
    saturday = office.day + dt.timedelta(days=5)
    f.session(office.provider, office.place, rrule="FREQ=WEEKLY;BYDAY=SA", start=dt.time(9),
              end=dt.time(12))  # fmt: skip
    html = desk.get(week_url(office)).content.decode()
    heads = re.findall(r'<h3 id="col-\d+-(\d{8})-head">', html)
    assert heads[-1] == f"{saturday:%Y%m%d}"
    assert len(heads) == 6


def test_the_week_refreshes_like_the_day(desk: Client, office: Office):
    page = desk.get(week_url(office)).content.decode()
    version = re.search(r'data-version="([0-9a-f]+)"', page).group(1)
    same = desk.get(week_url(office, board=1), headers={**HTMX, "X-Calendar-Version": version})
    assert same.status_code == 204
    fresh = desk.get(week_url(office, board=1), headers=HTMX).content.decode()
    assert fresh.lstrip().startswith('<div class="cal-board"')
    assert f'<a href="/schedule/?date={office.day}">' in fresh  # heads still link to the day


def test_the_day_view_links_each_provider_to_the_week(desk: Client, office: Office):
    html = desk.get(office.day_url()).content.decode()
    assert (
        f'href="/schedule/week/{office.provider.pk}/?date={office.day}&amp;location={office.place.pk}"'
    ) in html


def test_the_printed_day_lists_each_provider_in_time_order_without_navigation(
    desk: Client, office: Office
):
    # given two appointments and lunch, out of order
    late = office.book_raw(11, reason="Rash", note="Bring records")
    early = office.book_raw(8, patient=make_patient(first_name="Early", last_name="Bird"))
    Block.objects.create(provider=office.provider, kind="lunch", title="Lunch",
                         starts_at=office.at(10), ends_at=office.at(10, 30))  # fmt: skip
    # when
    response = desk.get(f"/schedule/print/?date={office.day}&location={office.place.pk}")
    html, text = response.content.decode(), text_of(response)
    # then
    assert response.status_code == 200
    assert 'class="sidenav"' not in html
    assert 'class="topbar"' not in html
    first = text[text.index("Avery Adoc0, MD (2 appointments)") : text.index("Avery Bdoc1")]
    assert first.index("Bird, Early") < first.index("Lunch") < first.index("Smithers, Jonah")
    assert "11:00 AM\N{EN DASH}11:20 AM Smithers, Jonah 4 y Sick visit" in first
    assert "Rash Booked Bring records" in first
    [read] = reads("printed day")
    assert read.detail["appointments"] == sorted([late.pk, early.pk])
