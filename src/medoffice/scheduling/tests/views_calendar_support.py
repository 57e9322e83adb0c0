"""The calendar view tests' usual set-up: a location, providers with sessions, a type, patients,
and signed-in front-desk, billing and clinical users."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.models import User
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling.models import Appointment, AppointmentType
from medoffice.scheduling.tests import factories as f

HTMX = {"HX-Request": "true"}


def monday_ahead(weeks: int = 2) -> dt.date:
    """A Monday ``weeks`` weeks ahead: every slot that day is in the future."""
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


@dataclass
class Office:
    place: Location
    providers: list[Provider]
    kind: AppointmentType
    patient: Patient
    day: dt.date
    booked: list[Appointment] = field(default_factory=list)

    @property
    def provider(self) -> Provider:
        return self.providers[0]

    def at(self, hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
        return f.local(self.place, day or self.day, hour, minute)

    def book_raw(
        self, hour: int, minute: int = 0, *, provider: Provider | None = None, **extra: Any
    ) -> Appointment:
        patient = extra.pop("patient", None) or self.patient
        appointment = f.raw_appointment(
            patient, provider or self.provider, self.place, self.kind, self.at(hour, minute),
            **extra,
        )  # fmt: skip
        self.booked.append(appointment)
        return appointment

    def day_url(self, **params: Any) -> str:
        query = "&".join(
            f"{k}={v}" for k, v in {"date": self.day, "location": self.place.pk, **params}.items()
        )
        return f"/schedule/?{query}"


def make_office(*, providers: int = 2, minutes: int = 20, **place: Any) -> Office:
    """Providers ("Adams", "Baker", ...) working weekdays 08:00-12:00 at one location."""
    location = f.location(**place)
    team = []
    for n in range(providers):
        provider = f.provider_at(location, last_name=f"{chr(65 + n)}doc{n}", first_name="Avery")
        f.session(provider, location)
        team.append(provider)
    kind = f.appointment_type(minutes, name=f"Sick visit {location.pk}", color="#1f7a4d")
    patient = make_patient(
        first_name="Jonah", last_name="Smithers", birth_date=dt.date(2022, 3, 14)
    )
    return Office(location, team, kind, patient, monday_ahead())


def signed_in(role: str, username: str) -> tuple[Client, User]:
    user = make_user(username, roles=(role,))
    client = Client()
    client.force_login(user)
    return client, user


def desk_client() -> tuple[Client, User]:
    return signed_in(Role.FRONT_DESK, "desk")


def reads(what: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="read", detail__what=what).order_by("id"))


def text_of(response: Any) -> str:
    """The response's text with tags removed and spaces collapsed (for plain-words checks)."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
