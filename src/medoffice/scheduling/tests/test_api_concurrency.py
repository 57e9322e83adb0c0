"""The issue's "Done when": racing bookings of one slot make exactly one appointment.

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL racers that pass the Python check together are refused by the exclusion constraint
(the API then names the winner it committed); on SQLite the IMMEDIATE transactions queue them and
the check refuses the rest.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from medoffice.accounts import services as account_services
from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.core.testing import race
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling import services
from medoffice.scheduling.errors import SlotUnavailable
from medoffice.scheduling.models import Appointment
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.api_client import (
    SLOT_UNAVAILABLE,
    Setting,
    data,
    future_monday,
    make_setting,
)

pytestmark = pytest.mark.django_db(transaction=True)


def bearer_clients(count: int) -> list[Client]:
    """One desk login with ``count`` tokens: no two racers share a token row."""
    user = make_user("desk", roles=(Role.FRONT_DESK,))
    tokens = [
        account_services.create_api_token(user=user, name=f"t{n}", acting_user=None)[1]
        for n in range(count)
    ]
    return [Client(headers={"Authorization": f"Bearer {token}"}) for token in tokens]


def post_booking(client: Client, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/appointments", body, content_type="application/json", headers=headers)


def test_50_racing_bookings_of_one_slot_make_one_booking_and_49_clean_409s():
    # given 50 callers, each for a different patient, wanting the same provider at 9:00
    setting = make_setting()
    patients = [make_patient() for _ in range(50)]
    clients = bearer_clients(50)

    def attempt(n: int) -> Any:
        body = setting.booking(9, patient_id=patients[n].pk)
        return post_booking(clients[n], body)

    # when they all book at once
    answers = race(50, attempt)
    # then exactly one appointment exists and the 49 others were told why, cleanly
    winner = Appointment.objects.get()
    assert Counter(a.status_code for a in answers) == {201: 1, 409: 49}
    refused = [data(a) for a in answers if a.status_code == 409]
    assert {a["Content-Type"] for a in answers if a.status_code == 409} == {
        "application/problem+json"
    }
    assert {p["type"] for p in refused} == {SLOT_UNAVAILABLE}
    assert {p["detail"] for p in refused} == {"That time is already booked for this provider."}
    assert all(
        p["conflicts"]
        == [
            {
                "id": winner.pk,
                "starts_at": setting.at(9).isoformat(),
                "ends_at": setting.at(9, 20).isoformat(),
                "provider_id": setting.provider.pk,
            }
        ]
        for p in refused
    )
    booked = next(a for a in answers if a.status_code == 201)
    assert data(booked)["id"] == winner.pk
    assert winner.patient_id in {p.pk for p in patients}


def test_50_racing_service_calls_book_the_slot_once():
    # given 50 desk users' calls straight to the booking service
    setting = make_setting()
    patients = [make_patient() for _ in range(50)]

    def attempt(n: int) -> str:
        try:
            services.book_appointment(
                acting_user=None,
                patient=patients[n],
                provider=setting.provider,
                location=setting.place,
                appointment_type=setting.kind,
                starts_at=setting.at(9),
            )
        except SlotUnavailable as exc:
            return f"refused: {exc.message}"
        return "booked"

    # when they race
    outcomes = race(50, attempt)
    # then
    assert Counter(outcomes) == {
        "booked": 1,
        "refused: That time is already booked for this provider.": 49,
    }
    assert Appointment.objects.count() == 1


def test_20_racing_retries_with_one_key_book_once_and_answer_alike():
    # given one program sending the same booking 20 times at once with the same key
    setting: Setting = make_setting()
    clients = bearer_clients(20)
    body = setting.booking(9)

    # when
    answers = race(20, lambda n: post_booking(clients[n], body, key="booking-7f3a"))
    # then one appointment, and all 20 got the same 201 (19 of them replayed)
    appointment = Appointment.objects.get()
    assert [a.status_code for a in answers] == [201] * 20
    assert len({a.content for a in answers}) == 1
    assert data(answers[0])["id"] == appointment.pk
    assert {a["Location"] for a in answers} == {f"/api/appointments/{appointment.pk}"}
    assert sum(a.get("Idempotent-Replayed") == "true" for a in answers) == 19


def test_10_racing_overbooks_of_a_one_overbook_session_make_one():
    # given a booked 9:00 in a session that allows one overbook, and 10 callers squeezing in
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place, overbook_limit=1)
    setting = Setting(place, provider, f.appointment_type(20), make_patient(), future_monday())
    patients = [make_patient() for _ in range(10)]
    services.book_appointment(
        acting_user=None,
        patient=setting.patient,
        provider=provider,
        location=place,
        appointment_type=setting.kind,
        starts_at=setting.at(9),
    )

    def attempt(n: int) -> str:
        try:
            services.book_appointment(
                acting_user=None,
                patient=patients[n],
                provider=provider,
                location=place,
                appointment_type=setting.kind,
                starts_at=setting.at(9),
                overbook=True,
            )
        except SlotUnavailable as exc:
            return f"refused: {exc.message}"
        return "booked"

    # when they race
    outcomes = race(10, attempt)
    # then the session holds exactly its one overbook
    assert Counter(outcomes) == {
        "booked": 1,
        "refused: This session already has its 1 allowed overbook(s).": 9,
    }
    assert Appointment.objects.filter(overbook=True).count() == 1
