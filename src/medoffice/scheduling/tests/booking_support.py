"""A small office for booking, waitlist and series tests: one location, Dr. Marsh working
weekday mornings on a 20-minute grid, a 20-minute type, and a front-desk login."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling import services
from medoffice.scheduling.models import Appointment, AppointmentType, ScheduleSession
from medoffice.scheduling.tests import factories as f

MONDAY = f.MONDAY  # 2026-11-30
NOW = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)  # tests pin "now" here (see availability_support)


@dataclass
class Office:
    place: Location
    marsh: Provider
    kind: AppointmentType
    session: ScheduleSession
    desk: Any

    def at(self, hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
        return f.local(self.place, day, hour, minute)

    def book(self, patient: Any, hour: int, minute: int = 0, **options: Any) -> Appointment:
        values: dict[str, Any] = {
            "acting_user": self.desk, "patient": patient, "provider": self.marsh,
            "location": self.place, "appointment_type": self.kind,
            "starts_at": self.at(hour, minute, options.pop("day", MONDAY)),
        }  # fmt: skip
        values.update(options)
        return services.book_appointment(**values)


def make_office(**session_options: Any) -> Office:
    place = f.location(name="North")
    marsh = f.provider_at(place, first_name="Dana", last_name="Marsh")
    options = {"slot_minutes": 20, **session_options}
    session = f.session(marsh, place, **options)
    kind = f.appointment_type(20, name="Follow-up")
    desk = make_user("desk", roles=(Role.FRONT_DESK,))
    return Office(place, marsh, kind, session, desk)


def patient(last_name: str = "Sample", first_name: str = "Pat") -> Any:
    return make_patient(last_name=last_name, first_name=first_name)
