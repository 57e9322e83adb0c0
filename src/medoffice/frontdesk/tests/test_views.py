"""The desk's pages: Today with one-action check-in, the visit checklist, card pictures, the
board and its HTMX rows, and who may open them."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.test import Client
from PIL import Image

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.frontdesk import services
from medoffice.frontdesk.models import CardImage, CheckIn
from medoffice.frontdesk.tests.factories import make_desk
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.choices import AppointmentStatus as S

pytestmark = pytest.mark.django_db


def _jpeg(color: str = "navy") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), color).save(out, "PNG")
    out.seek(0)
    out.name = "card.png"
    return out


def test_today_lists_the_days_appointments_per_provider_with_a_check_in_button():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    desk.appointment(hour=10, status=S.CANCELLED, cancel_reason="patient")
    response = desk.client().get(f"/desk/?location={desk.place.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Okafor" in html
    assert "Smithers, Jonah" in html
    assert html.count('class="desk-row"') == 1  # the cancelled one is left out
    assert f'name="appointment" value="{appointment.pk}"' in html
    entry = AuditEntry.objects.filter(action="read", detail__what="desk day list").get()
    assert entry.detail["shown"] == [appointment.patient_id]


def test_checking_in_from_today_lands_on_the_checklist():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    client = desk.client()
    response = client.post("/desk/check-in/", {"appointment": appointment.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/desk/visits/{appointment.pk}/"
    appointment.refresh_from_db()
    assert appointment.status == S.ARRIVED
    page = client.get(response["Location"]).content.decode()
    for heading in ("Demographics confirmed", "Insurance card, front", "Insurance card, back",
                    "Photo ID", "Required forms complete",
                    "Insurance, copay and estimate"):  # fmt: skip
        assert heading in page
    assert "No coverage on file for this visit" in page
    # and the money is the account's (nothing posted: nothing owed), never a guess
    assert "data-patient-owes>$0.00<" in page
    assert "data-pending-insurance>$0.00<" in page
    assert "Copay for this visit per the eligibility check" not in page


def test_a_card_picture_is_stored_encrypted_and_served_only_through_the_audited_view():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    desk.checked_in(appointment)
    client = desk.client()
    url = f"/desk/visits/{appointment.pk}/images/insurance_front/"
    response = client.post(url, {"image": _jpeg(), "source": "upload"})
    assert response.status_code == 302
    stored = CardImage.objects.get()
    assert (stored.kind, stored.width, stored.height) == ("insurance_front", 640, 400)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT jpeg FROM frontdesk_cardimage")
        raw = cursor.fetchone()[0]
    assert not raw.startswith(base64.b64encode(b"\xff\xd8").decode()[:3])  # not plain base64 JPEG
    shown = client.get(url)
    assert shown["Content-Type"] == "image/jpeg"
    assert shown.content[:2] == b"\xff\xd8"
    assert (
        AuditEntry.objects.filter(
            action="read", target_type="frontdesk.cardimage", patient_id=appointment.patient_id
        ).count()
        == 1
    )


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    desk.checked_in(appointment)
    bogus = io.BytesIO(b"%PDF-1.4 not a picture")
    bogus.name = "card.jpg"
    desk.client().post(f"/desk/visits/{appointment.pk}/images/photo_id/", {"image": bogus})
    assert CardImage.objects.count() == 0


def test_the_board_page_polls_its_rows_every_ten_seconds_and_colours_long_waits():
    desk = make_desk()
    appointment = desk.appointment(hour=8, room=desk.rooms[0])
    desk.checked_in(appointment, minutes_ago=40)
    client = desk.client()
    page = client.get(f"/desk/board/?location={desk.place.pk}").content.decode()
    assert 'hx-trigger="every 10s"' in page
    rows = client.get(f"/desk/board/rows/?location={desk.place.pk}").content.decode()
    assert re.search(r'class="wait-alert"', rows)
    assert "40 min" in rows
    assert "Exam 1" in rows


def test_rooming_from_the_board_answers_the_new_rows():
    desk = make_desk()
    appointment = desk.appointment(hour=8)
    desk.checked_in(appointment)
    response = desk.client().post(
        f"/desk/visits/{appointment.pk}/move/",
        {"to": "roomed", "from": "board", "location": desk.place.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Roomed" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == S.ROOMED


@pytest.mark.parametrize("role", [Role.BILLING, Role.CLINICAL])
def test_roles_without_the_desk_are_refused_and_nothing_changes(role):
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    other = make_user("other", roles=(role,))
    client = Client()
    client.force_login(other)
    assert client.get("/desk/").status_code == 403
    assert client.post("/desk/check-in/", {"appointment": appointment.pk}).status_code == 403
    assert CheckIn.objects.count() == 0


def _queries_for(django_assert_max_num_queries, client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen.captured_queries)


def test_today_board_and_chart_prep_cost_the_same_queries_for_2_or_6_patients(
    django_assert_max_num_queries,
):
    desk = make_desk()
    client = desk.client()
    urls = [
        f"/desk/?location={desk.place.pk}",
        f"/desk/board/rows/?location={desk.place.pk}",
        f"/desk/chart-prep/?location={desk.place.pk}&date={desk.today.isoformat()}",
    ]

    slots = iter(range(12))

    def add(n: int) -> None:
        for _ in range(n):
            i = next(slots)
            patient = make_patient(first_name="Robin", last_name=f"Tester{i}")
            hour, minute = divmod(8 * 60 + 20 * i, 60)
            arrived = desk.appointment(patient, hour, minute, room=desk.rooms[i % 2])
            desk.checked_in(arrived)
            later, at = divmod(13 * 60 + 20 * i, 60)
            desk.appointment(patient, later, at)  # still booked: on chart prep

    add(2)
    small = [_queries_for(django_assert_max_num_queries, client, u) for u in urls]
    add(4)
    large = [_queries_for(django_assert_max_num_queries, client, u) for u in urls]
    assert small == large
    # chart prep also asks insurance (coverages, checks) and authorizations (needs): fixed costs
    assert max(large) <= 28


def test_the_visit_page_audits_the_read():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    desk.client().get(f"/desk/visits/{appointment.pk}/")
    assert AuditEntry.objects.filter(
        action="read", patient_id=appointment.patient_id, detail__what="desk visit"
    ).exists()


def test_services_refusal_shows_as_a_message_not_an_error():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    services.check_in(appointment, acting_user=desk.user, at=desk.at(9))
    client = desk.client()
    response = client.post("/desk/check-in/", {"appointment": appointment.pk}, follow=True)
    assert "already checked in" in response.content.decode()
