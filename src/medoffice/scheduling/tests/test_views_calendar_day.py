"""The day view: a column per provider working at the location, cards, shading, open slots,
hints, the on-call line, the live refresh, the audit of what was shown, and query bounds."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import staff_user
from medoffice.audit.models import AuditEntry
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.choices import AppointmentStatus
from medoffice.scheduling.models import Block, OnCallShift, ScheduleException
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.views_calendar_support import (
    HTMX,
    Office,
    desk_client,
    make_office,
    reads,
    signed_in,
    text_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> Office:
    return make_office(providers=2)


@pytest.fixture
def desk() -> Client:
    return desk_client()[0]


def column_heads(html: str) -> list[str]:
    return re.findall(r'<h3 id="col-\d+-\d+-head"><a [^>]*>([^<]+)', html)


def column(html: str, provider_id: int, day: dt.date) -> str:
    """The markup of one provider's column."""
    start = html.index(f'id="col-{provider_id}-{day:%Y%m%d}"')
    end = html.find('<section class="cal-col', start + 1)
    return html[start : end if end > 0 else len(html)]


def test_a_column_per_provider_working_here_that_day_by_last_name(desk: Client, office: Office):
    # given a third provider linked to the location with no session that day,
    # and a fourth working only at another location
    idle = f.provider_at(office.place, last_name="Zidle", first_name="Noa")
    elsewhere = f.location(name="North")
    away = f.provider_at(elsewhere, last_name="Away", first_name="Kit")
    f.session(away, elsewhere)
    # when
    response = desk.get(office.day_url())
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert column_heads(html) == ["Adoc0, Avery ", "Bdoc1, Avery "]
    assert "Not working here that day: Noa Zidle, MD." in text_of(response)
    assert f"col-{away.pk}-" not in html
    assert f"col-{idle.pk}-" not in html


def test_a_provider_with_appointments_here_but_no_session_gets_a_column(
    desk: Client, office: Office
):
    # given a visiting provider booked here outside any session
    visitor = f.provider_at(office.place, last_name="Cvisit", first_name="Lee")
    office.book_raw(10, provider=visitor)
    # when
    html = desk.get(office.day_url()).content.decode()
    # then
    assert column_heads(html) == ["Adoc0, Avery ", "Bdoc1, Avery ", "Cvisit, Lee "]


def test_cards_show_patient_age_type_status_and_link_to_the_appointment(
    desk: Client, office: Office
):
    # given an arrived appointment at 9:00 and a cancelled one at 10:00
    arrived = office.book_raw(9, status=AppointmentStatus.ARRIVED)
    other = make_patient(first_name="Cass", last_name="Cancelled")
    office.book_raw(10, patient=other, status="cancelled", cancel_reason="patient")
    # when
    html = column(desk.get(office.day_url()).content.decode(), office.provider.pk, office.day)
    # then
    card = html[html.index(f'id="appt-{arrived.pk}"') :]
    card = card[: card.index("</a>")]
    assert f'href="/schedule/appointments/{arrived.pk}/"' in card
    assert 'data-color="#1f7a4d"' in card
    assert 'data-row="13" data-span="4"' in card  # 9:00-9:20 on an axis from 8 AM
    assert "Smithers, Jonah" in card
    assert ">4 y<" in card
    assert office.kind.name in card
    assert "cal-status-arrived" in card
    assert "Arrived" in card
    assert "9:00 AM\N{EN DASH}9:20 AM" in card
    assert "Cancelled" not in html  # cancelled appointments are not drawn


def test_blocks_and_exceptions_are_shaded_with_their_label_and_remove_slots(
    desk: Client, office: Office
):
    # given lunch blocked 11:00-12:00 for the first provider and the location closed 8-9
    Block.objects.create(
        provider=office.provider, kind="lunch", title="Lunch", starts_at=office.at(11),
        ends_at=office.at(12),
    )  # fmt: skip
    ScheduleException.objects.create(
        location=office.place, kind="closed", note="Snow", starts_at=office.at(8),
        ends_at=office.at(9),
    )  # fmt: skip
    # when
    html = desk.get(office.day_url()).content.decode()
    first = column(html, office.provider.pk, office.day)
    second = column(html, office.providers[1].pk, office.day)
    # then
    assert 'cal-shade cal-shade-block" data-row="37" data-span="12"' in first
    assert '<span class="cal-shade-label">Lunch</span>' in first
    assert '<span class="cal-shade-label">Office closed (weather, emergency): Snow</span>' in second
    assert "Book 11:00 AM" not in first
    assert "Book 8:00 AM" not in second
    assert "Book 9:00 AM" in second
    assert "Book 11:00 AM" in second


def test_open_slots_link_to_the_booking_panel_and_skip_booked_time(desk: Client, office: Office):
    # given 9:00-9:20 booked (a 20-minute visit on a 15-minute grid)
    office.book_raw(9)
    # when
    html = column(desk.get(office.day_url()).content.decode(), office.provider.pk, office.day)
    # then the 9:00 and 9:15 cells are taken, 9:30 is open
    assert "Book 8:45 AM" in html
    assert "Book 9:00 AM" not in html
    assert "Book 9:15 AM" not in html
    nine_thirty = office.at(9, 30).astimezone(dt.UTC).strftime("%Y-%m-%dT%H%%3A%MZ")
    assert (
        f'href="/schedule/book/?provider={office.provider.pk}&amp;location={office.place.pk}'
        f'&amp;start={nine_thirty}" data-panel'
    ) in html


def test_risk_badge_and_the_overbook_hint_where_the_session_allows_one(desk: Client):
    # given a session allowing one overbook, and a risky booking in it
    office = make_office(providers=1)
    office.provider.sessions.update(overbook_limit=1)
    risky = office.book_raw(9, no_show_risk=Decimal("0.320"))
    safe = office.book_raw(10, no_show_risk=Decimal("0.050"))
    # when
    html = desk.get(office.day_url()).content.decode()
    # then
    risky_card = html[html.index(f'id="appt-{risky.pk}"') :]
    risky_card = risky_card[: risky_card.index("</a>")]
    safe_card = html[html.index(f'id="appt-{safe.pk}"') :]
    safe_card = safe_card[: safe_card.index("</a>")]
    assert '<span class="cal-badge cal-badge-risk">risk 32%</span>' in risky_card
    assert "overbook OK here" in risky_card
    assert '<span class="cal-badge">risk 5%</span>' in safe_card
    assert "overbook OK here" not in safe_card


def test_no_overbook_hint_where_the_session_allows_none(desk: Client, office: Office):
    office.book_raw(9, no_show_risk=Decimal("0.600"))
    html = desk.get(office.day_url()).content.decode()
    assert "risk 60%" in html
    assert "overbook OK here" not in html


def test_overbooked_cards_sit_side_by_side(desk: Client, office: Office):
    first = office.book_raw(9)
    second = office.book_raw(9, overbook=True, patient=make_patient(first_name="Ob"))
    html = desk.get(office.day_url()).content.decode()
    assert f'id="appt-{first.pk}"' in html
    assert 'data-lane="1" data-lane-span="1"' in html
    assert 'data-lane="2" data-lane-span="1"' in html
    assert f'id="appt-{second.pk}"' in html
    assert "OB<span" in html


def test_the_on_call_provider_is_in_the_header(desk: Client, office: Office):
    # given Dr. Nightly on call from 17:00 on the day shown until the next morning
    night = f.provider_at(office.place, last_name="Nightly", first_name="Sam", credentials="DO")
    OnCallShift.objects.create(
        provider=night, starts_at=office.at(6), ends_at=office.at(20), phone="+15552017788"
    )
    # when
    response = desk.get(office.day_url())
    # then
    assert "On call: Sam Nightly, DO (555) 201-7788 until Mon 8:00 PM" in text_of(response)


def test_times_down_the_left_follow_the_clock_on_the_fall_back_day(desk: Client):
    # given a Sunday session from midnight to 4 AM on the day the clocks go back
    office = make_office(providers=1)
    fall_back = dt.date(2026, 11, 1)
    f.session(office.provider, office.place, start=dt.time(0), end=dt.time(4),
              rrule="FREQ=WEEKLY;BYDAY=SU")  # fmt: skip
    office.day = fall_back
    # when
    html = desk.get(office.day_url()).content.decode()
    # then
    marks = re.findall(r'class="cal-mark[^"]*" data-row="(\d+)" data-span="6">([^<]+)<', html)
    assert marks[:6] == [
        ("1", "12 AM"), ("7", "12:30"), ("13", "1 AM"), ("19", "1:30"), ("25", "1 AM EST"),
        ("31", "1:30"),
    ]  # fmt: skip


def test_the_refresh_sends_the_board_alone_and_204_when_nothing_changed(
    desk: Client, office: Office
):
    # given the page was shown
    office.book_raw(9)
    page = desk.get(office.day_url()).content.decode()
    version = re.search(r'data-version="([0-9a-f]+)"', page).group(1)
    before = AuditEntry.objects.count()
    # when the board polls with the same version
    same = desk.get(office.day_url(board=1), headers={**HTMX, "X-Calendar-Version": version})
    # then nothing is sent and nothing new is audited
    assert same.status_code == 204
    assert same.content == b""
    assert AuditEntry.objects.count() == before
    # when an appointment is added and the board polls again
    office.book_raw(10)
    fresh = desk.get(office.day_url(board=1), headers={**HTMX, "X-Calendar-Version": version})
    # then the board alone comes back, with a new version, audited
    html = fresh.content.decode()
    assert fresh.status_code == 200
    assert html.startswith("{% comment %}") is False
    assert html.lstrip().startswith('<div class="cal-board"')
    assert "<nav" not in html
    assert f'data-version="{version}"' not in html
    assert AuditEntry.objects.count() == before + 1


def test_the_page_read_is_audited_with_patient_ids_never_names(desk: Client, office: Office):
    # given two patients booked
    other = make_patient(first_name="Remy", last_name="Auditable")
    a = office.book_raw(9)
    b = office.book_raw(9, provider=office.providers[1], patient=other)
    # when
    desk.get(office.day_url())
    # then one read entry lists both patients' ids and the appointments
    [entry] = reads("day view")
    assert entry.actor_username == "desk"
    assert entry.detail["shown"] == sorted([office.patient.pk, other.pk])
    assert entry.detail["appointments"] == sorted([a.pk, b.pk])
    assert "Auditable" not in str(entry.detail)
    assert "Smithers" not in str(entry.detail)


def test_an_empty_day_is_not_audited(desk: Client, office: Office):
    desk.get(office.day_url())
    assert reads("day view") == []


def _fill(office: Office, providers: int, per_provider: int) -> None:
    """Add providers up to ``providers``, each new one (or all, the first time) fully booked."""
    booked = {a.provider_id for a in office.booked}
    for n in range(len(office.providers), providers):
        provider = f.provider_at(office.place, last_name=f"Extra{n}")
        f.session(provider, office.place)
        office.providers.append(provider)
    for provider in [p for p in office.providers if p.pk not in booked]:
        Block.objects.create(provider=provider, kind="admin", starts_at=office.at(11, 30),
                             ends_at=office.at(12))  # fmt: skip
        for k in range(per_provider):
            patient = make_patient(first_name=f"P{provider.pk}x{k}")
            office.book_raw(8 + k // 3, 20 * (k % 3), provider=provider, patient=patient,
                            no_show_risk=Decimal("0.4"))  # fmt: skip
    OnCallShift.objects.create(provider=office.provider, starts_at=office.at(6),
                               ends_at=office.at(20))  # fmt: skip


def test_the_day_view_reads_one_query_per_kind_of_data(
    desk: Client, office: Office, django_assert_max_num_queries
):
    # given a small day, measured once the session remembers the location
    _fill(office, 2, 2)
    desk.get(office.day_url())
    with django_assert_max_num_queries(100) as small:
        assert desk.get(office.day_url()).status_code == 200
    # when the day is much fuller (6 more providers, 9 appointments each)
    _fill(office, 8, 9)
    # then the page runs no more queries than the small one
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert desk.get(office.day_url()).status_code == 200
    # (7 of them are the page's: locations, providers, appointments, sessions, exceptions,
    # blocks, on-call; the rest is sign-in, session, permissions and the audit append)
    assert len(small.captured_queries) <= 21  # PostgreSQL adds the audit chain lock


def test_billing_sees_the_day_without_booking_links(office: Office):
    client, _ = signed_in(Role.BILLING, "biller")
    office.book_raw(9)
    response = client.get(office.day_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "/schedule/book/" not in html
    assert '<span class="cal-slot"' in html


def test_without_the_view_permission_the_page_is_refused(office: Office):
    client = Client()
    client.force_login(staff_user("patients.view_patient"))
    assert client.get(office.day_url()).status_code == 403
    anonymous = Client().get(office.day_url())
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_the_location_chosen_is_remembered_for_the_session(desk: Client, office: Office):
    other = f.location(name="North")
    desk.get(f"/schedule/?location={other.pk}")
    html = desk.get("/schedule/").content.decode()
    assert f'<option value="{other.pk}" selected>North</option>' in html


def test_today_is_the_default_day(desk: Client, office: Office):
    html = desk.get("/schedule/").content.decode()
    today = (
        timezone.now()
        .astimezone(dt.UTC)
        .astimezone(__import__("zoneinfo").ZoneInfo(office.place.time_zone))
    )
    assert f'value="{today:%Y-%m-%d}" data-key-date' in html
    assert "(today)" in html
