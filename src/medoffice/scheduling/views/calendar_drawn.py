"""The appointments a calendar draws, read as plain rows instead of model instances.

A busy day view shows ~700 cards; building an ``Appointment`` with its patient, type and
location for each (2,800 model instances) was a quarter of the page's time. These slotted
objects carry exactly what a card, the printed day and the refresh fingerprint read, with the
same names, and reuse the patient model's own ``display_name`` rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from medoffice.patients.models import Patient
from medoffice.scheduling.choices import HOLDING_TIME, AppointmentStatus
from medoffice.scheduling.models import Appointment

DISPLAY_NAME: Any = Patient.display_name.fget  # type: ignore[attr-defined]  # the model's own rule


@dataclass(slots=True)
class DrawnPatient:
    first_name: str
    last_name: str
    middle_name: str
    suffix: str
    preferred_name: str
    birth_date: dt.date

    @property
    def display_name(self) -> str:
        return str(DISPLAY_NAME(self))


@dataclass(slots=True)
class DrawnType:
    name: str
    color: str


@dataclass(slots=True)
class DrawnLocation:
    name: str


@dataclass(slots=True)
class DrawnAppointment:
    pk: int
    patient_id: int
    provider_id: int
    location_id: int
    appointment_type_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    overbook: bool
    no_show_risk: Decimal | None
    reason: str
    note: str
    patient: DrawnPatient
    appointment_type: DrawnType
    location: DrawnLocation

    @property
    def holds_time(self) -> bool:
        return self.status in HOLDING_TIME

    def get_status_display(self) -> str:
        return str(AppointmentStatus(self.status).label)


COLUMNS = (
    "pk", "patient_id", "provider_id", "location_id", "appointment_type_id", "starts_at",
    "ends_at", "status", "overbook", "no_show_risk", "reason", "note",
    "patient__first_name", "patient__last_name", "patient__middle_name", "patient__suffix",
    "patient__preferred_name", "patient__birth_date",
    "appointment_type__name", "appointment_type__color", "location__name",
)  # fmt: skip


def drawn_appointments(where: Q) -> list[DrawnAppointment]:
    """Appointments to draw (not cancelled ones), by start, with only what a card shows (no
    SSN or other encrypted field is ever read here)."""
    rows = (
        Appointment.objects.filter(where)
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("starts_at", "pk")
        .values_list(*COLUMNS)
    )
    return [_drawn(row) for row in rows]


def _drawn(row: tuple[Any, ...]) -> DrawnAppointment:
    (pk, patient_id, provider_id, location_id, type_id, starts_at, ends_at, status, overbook,
     risk, reason, note, first, last, middle, suffix, preferred, born, kind, color,
     place) = row  # fmt: skip
    return DrawnAppointment(
        pk, patient_id, provider_id, location_id, type_id, starts_at, ends_at, status,
        overbook, risk, reason, note,
        patient=DrawnPatient(first, last, middle, suffix, preferred, born),
        appointment_type=DrawnType(kind, color),
        location=DrawnLocation(place),
    )  # fmt: skip
