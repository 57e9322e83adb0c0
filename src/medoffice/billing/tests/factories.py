"""A small office for the billing tests: one location, Dr. Reyes, a front-desk user (Robin),
a manager (Morgan) and a patient (Avery Quinn) with a visit today.

Everything money-related goes through ``billing.services``; only the visit is written straight
to the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.billing.choices import TenderMethod
from medoffice.billing.services.payments import TenderIn
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider
from medoffice.scheduling.models import Appointment, AppointmentType
from medoffice.scheduling.tests import factories as f


@dataclass
class Office:
    place: Location
    reyes: Provider
    visit_type: AppointmentType
    desk: Any  # front-desk user
    manager: Any
    patient: Any
    visit: Appointment

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    def another_visit(
        self, *, days_ago: int = 0, hour: int = 11, patient: Any = None
    ) -> Appointment:
        day = self.today - dt.timedelta(days=days_ago)
        return f.raw_appointment(
            patient or self.patient,
            self.reyes,
            self.place,
            self.visit_type,
            f.local(self.place, day, hour),
        )


def make_office(**patient_fields: Any) -> Office:
    place = f.location()
    reyes = f.provider_at(place, first_name="Dana", last_name="Reyes")
    kind = f.appointment_type(20)
    patient = make_patient(first_name="Avery", last_name="Quinn", **patient_fields)
    visit = f.raw_appointment(patient, reyes, place, kind, f.local(place, timezone.localdate(), 9))
    return Office(
        place=place,
        reyes=reyes,
        visit_type=kind,
        desk=make_user("robin", roles=(Role.FRONT_DESK,)),
        manager=make_user("morgan", roles=(Role.MANAGER,)),
        patient=patient,
        visit=visit,
    )


def cash(amount: str, received: str | None = None) -> TenderIn:
    return TenderIn(method=TenderMethod.CASH, amount=Decimal(amount), cash_received=received)


def check(amount: str, number: str = "1042") -> TenderIn:
    return TenderIn(method=TenderMethod.CHECK, amount=Decimal(amount), check_number=number)


def card(amount: str, *, last4: str = "4242", approval: str = "A1B2C3") -> TenderIn:
    return TenderIn(
        method=TenderMethod.CARD,
        amount=Decimal(amount),
        card_brand="visa",
        card_last4=last4,
        approval_code=approval,
        entry_mode="manual",
    )
