"""A small office for the front-desk tests: one location, Dr. Okafor working weekdays 08:00-17:00
on a 20-minute grid, a 20-minute visit type that takes an exam room, two rooms, a desk login,
and appointments today written straight to the table (the desk checks in what is already booked).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.frontdesk import services
from medoffice.frontdesk.models import CheckIn
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling.models import (
    Appointment,
    AppointmentResource,
    AppointmentType,
    AppointmentTypeResource,
    Resource,
)
from medoffice.scheduling.tests import factories as f

ZONE = "America/New_York"


@dataclass
class Desk:
    place: Location
    doctor: Provider
    kind: AppointmentType
    rooms: list[Resource]
    user: Any

    @property
    def today(self) -> dt.date:
        return timezone.now().astimezone(zoneinfo.ZoneInfo(ZONE)).date()

    def at(self, hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
        return f.local(self.place, day or self.today, hour, minute)

    def appointment(
        self,
        patient: Any = None,
        hour: int = 9,
        minute: int = 0,
        *,
        day: dt.date | None = None,
        room: Resource | None = None,
        **extra: Any,
    ) -> Appointment:
        patient = patient or make_patient(first_name="Jonah", last_name="Smithers")
        kind = extra.pop("kind", self.kind)
        found = f.raw_appointment(
            patient, self.doctor, self.place, kind, self.at(hour, minute, day), **extra
        )
        if room is not None:
            AppointmentResource.objects.create(
                appointment=found, resource=room, starts_at=found.starts_at, ends_at=found.ends_at
            )
        return found

    def checked_in(self, appointment: Appointment, *, minutes_ago: int = 10) -> CheckIn:
        at = timezone.now() - dt.timedelta(minutes=minutes_ago)
        if at.astimezone(zoneinfo.ZoneInfo(ZONE)).date() != self.today:
            at = timezone.now()
        return services.check_in(appointment, acting_user=self.user, at=at)

    def client(self) -> Client:
        client = Client()
        client.force_login(self.user)
        return client


def make_desk(role: str = Role.FRONT_DESK, username: str = "desk") -> Desk:
    place = f.location(name="North", time_zone=ZONE, phone="(555) 010-3000")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor", credentials="MD")
    f.session(doctor, place, start=dt.time(8), end=dt.time(17), slot_minutes=20)
    kind = f.appointment_type(20, name="Sick visit")
    AppointmentTypeResource.objects.create(appointment_type=kind, kind="exam_room")
    rooms = [f.room(place, "Exam 1"), f.room(place, "Exam 2")]
    user = make_user(username, roles=(role,))
    return Desk(place, doctor, kind, rooms, user)
