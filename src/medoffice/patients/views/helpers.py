"""Pieces the patient record pages share: the acting user, lookups that audit what they show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.http import Http404, HttpRequest
from django.utils import timezone

from medoffice.accounts.models import User
from medoffice.patients import queries, services
from medoffice.patients.duplicates import Candidate
from medoffice.patients.models import Patient
from medoffice.patients.search import search_patients
from medoffice.patients.templatetags.patients_tags import age_text

VIEW = "patients.view_patient"
LOOKUP_LIMIT = 8
LOOKUP_MAX_CHARS = 200


def actor(request: HttpRequest) -> User:
    """The signed-in user (staff_view and record_view guarantee one)."""
    return cast(User, request.user)


def patient_or_404(patient_id: int) -> Patient:
    patient = queries.get_patient(patient_id)
    if patient is None:
        raise Http404("No such patient.")
    return patient


@dataclass(frozen=True)
class DuplicateRow:
    """One possible duplicate as the warning panel lists it."""

    patient: Patient
    points: int
    reasons: tuple[str, ...]
    age: str
    phone: str


def duplicate_rows(request: HttpRequest, candidates: Sequence[Candidate]) -> list[DuplicateRow]:
    """The candidates with their primary phone (one query), audited as shown to the desk."""
    if not candidates:
        return []
    ids = [candidate.patient.pk for candidate in candidates]
    shown = queries.list_patients().in_bulk(ids)
    today = timezone.localdate()
    rows = []
    for candidate in candidates:
        patient = shown.get(candidate.patient.pk)
        if patient is None:
            continue
        first_phone = next(iter(patient.phones.all()), None)
        rows.append(
            DuplicateRow(
                patient=patient,
                points=candidate.points,
                reasons=candidate.reasons,
                age=age_text(patient.birth_date, today),
                phone=first_phone.display if first_phone else "",
            )
        )
    services.audit_search(
        [row.patient.pk for row in rows],
        acting_user=actor(request),
        kinds=("duplicate-check",),
        source="registration",
    )
    return rows


@dataclass(frozen=True)
class Lookup:
    """What the guarantor look-up shows: matching patients, or a hint in plain words."""

    patients: list[Patient]
    message: str
    searched: bool = True


def guarantor_lookup(request: HttpRequest, text: str) -> Lookup:
    """Patients matching the guarantor look-up (the global search's rules), audited."""
    text = text.strip()[:LOOKUP_MAX_CHARS]
    if not text:
        return Lookup([], "Type a name, date of birth, phone or MRN.")
    result = search_patients(text, limit=LOOKUP_LIMIT, include_inactive=True)
    patients = [hit.patient for hit in result.hits]
    if patients:
        services.audit_search(
            [p.pk for p in patients],
            acting_user=actor(request),
            kinds=result.kinds,
            source="guarantor-lookup",
        )
    return Lookup(patients, result.message or ("" if patients else "No patient found."))
