"""The patient side of booking: finding the patient (search text by POST, hits audited) and the
type's preparation instructions in the patient's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from medoffice.patients import queries as patient_queries
from medoffice.patients import services as patient_services
from medoffice.patients.choices import Language, PatientStatus
from medoffice.patients.search import search_patients
from medoffice.patients.templatetags.patients_tags import age_text
from medoffice.scheduling.models import AppointmentTypeInstruction
from medoffice.scheduling.views.calendar_common import actor

LOOKUP_LIMIT = 8
LOOKUP_MAX_CHARS = 200
NOT_BOOKABLE = (PatientStatus.MERGED, PatientStatus.DECEASED)


@dataclass(frozen=True)
class PatientRow:
    patient: Any
    age: str
    phone: str
    bookable: bool


@dataclass(frozen=True)
class Lookup:
    rows: list[PatientRow]
    message: str
    searched: bool
    query: str


def _row(patient: Any, today: dt.date, phone: str = "") -> PatientRow:
    return PatientRow(
        patient, age_text(patient.birth_date, today), phone, patient.status not in NOT_BOOKABLE
    )


def lookup(request: HttpRequest, text: str, *, source: str) -> Lookup:
    """Patients matching what the desk typed (the global search's rules), audited as shown."""
    text = (text or "").strip()[:LOOKUP_MAX_CHARS]
    if not text:
        return Lookup([], "Type a name, date of birth, phone or MRN.", False, "")
    result = search_patients(text, limit=LOOKUP_LIMIT)
    today = timezone.localdate()
    rows = [
        _row(hit.patient, today, hit.primary_phone.display if hit.primary_phone else "")
        for hit in result.hits
    ]
    if rows:
        patient_services.audit_search(
            [row.patient.pk for row in rows],
            acting_user=actor(request),
            kinds=result.kinds,
            source=source,
        )
    return Lookup(rows, result.message or ("" if rows else "No patient found."), True, text)


def chosen(patient_id: int | None) -> PatientRow | None:
    """The patient already picked (by id from the form), as the panel shows it."""
    if not patient_id:
        return None
    patient = patient_queries.get_patient(patient_id)
    if patient is None:
        return None
    phones = list(patient.phones.all())
    return _row(patient, timezone.localdate(), phones[0].display if phones else "")


@dataclass(frozen=True)
class Prep:
    text: str
    language: str
    fallback: bool  # the patient's language has no version: English is shown


def prep_for(appointment_type_id: int | None, language: str | None) -> Prep | None:
    """The type's instructions in ``language``, else in English, else None."""
    if not appointment_type_id:
        return None
    wanted = language or Language.ENGLISH
    texts = dict(
        AppointmentTypeInstruction.objects.filter(
            appointment_type_id=appointment_type_id, language__in={wanted, Language.ENGLISH}
        ).values_list("language", "text")
    )
    if wanted in texts:
        return Prep(texts[wanted], Language(wanted).label, False)
    if Language.ENGLISH in texts:
        return Prep(texts[Language.ENGLISH], Language.ENGLISH.label, wanted != Language.ENGLISH)
    return None
