"""The scheduling API tests' caller (a program with a bearer token) and their usual set-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import orjson
from django.test import Client
from django.utils import timezone

from medoffice.accounts import services as account_services
from medoffice.accounts.choices import Role
from medoffice.accounts.models import User
from medoffice.accounts.tests.factories import make_user
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling.models import AppointmentType
from medoffice.scheduling.tests import factories as f

PROBLEM = "application/problem+json"
SLOT_UNAVAILABLE = "https://medoffice.example/problems/slot-unavailable"


class Api:
    """A program calling the API with its own bearer token."""

    def __init__(self, user: User) -> None:
        self.user = user
        _, self.token = account_services.create_api_token(user=user, name="t", acting_user=None)
        self.client = Client(headers={"Authorization": f"Bearer {self.token}"})

    def call(self, method: str, path: str, body: Any = None, *, key: str | None = None) -> Any:
        headers = {"Idempotency-Key": key} if key is not None else {}
        send = getattr(self.client, method)
        if body is None:
            return send(path, headers=headers)
        return send(path, orjson.dumps(body), content_type="application/json", headers=headers)


def api_for(username: str, role: str) -> Api:
    return Api(make_user(username, roles=(role,)))


def desk_api() -> Api:
    return api_for("desk", Role.FRONT_DESK)


def data(response: Any) -> Any:
    return orjson.loads(response.content)


def future_monday(weeks: int = 2) -> dt.date:
    """A Monday at least ``weeks`` weeks ahead, so no rule about the past gets in the way."""
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


@dataclass
class Setting:
    place: Location
    provider: Provider
    kind: AppointmentType
    patient: Patient
    day: dt.date

    def at(self, hour: int, minute: int = 0) -> dt.datetime:
        return f.local(self.place, self.day, hour, minute)

    def booking(self, hour: int = 9, minute: int = 0, **overrides: Any) -> dict[str, Any]:
        body = {
            "patient_id": self.patient.pk,
            "provider_id": self.provider.pk,
            "location_id": self.place.pk,
            "appointment_type_id": self.kind.pk,
            "starts_at": self.at(hour, minute).isoformat(),
        }
        body.update(overrides)
        return body


def make_setting() -> Setting:
    """One provider working weekdays 08:00-12:00 at one location; a 20-minute type; a patient."""
    place = f.location()
    provider = f.provider_at(place)
    f.session(provider, place)
    return Setting(place, provider, f.appointment_type(20), make_patient(), future_monday())
