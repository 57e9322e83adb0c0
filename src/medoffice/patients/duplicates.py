"""Finding existing records that may be the same person (reads only).

Candidates come from indexed lookups (same birth date, phone, SSN digest, email), then
``rules.duplicates.score`` decides which to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from medoffice.patients.choices import PatientStatus
from medoffice.patients.models import Patient, PatientPhone, PreviousName
from medoffice.patients.rules.duplicates import Person, score

MAX_PER_SOURCE = 200


@dataclass(frozen=True)
class Candidate:
    patient: Patient
    points: int
    reasons: tuple[str, ...]


def person_of(patient: Patient) -> Person:
    """The comparable facts of a saved patient (phones and previous names prefetched)."""
    return Person(
        last=patient.last_name,
        first=patient.first_name,
        birth_date=patient.birth_date,
        other_lasts=frozenset(p.last_name for p in patient.previous_names.all()),
        phones=frozenset(p.digits for p in patient.phones.all()),
        ssn_digest=patient.ssn_digest,
        email=patient.email.lower(),
    )


def _candidate_ids(person: Person, exclude: Iterable[int]) -> set[int]:
    live = Patient.objects.exclude(status=PatientStatus.MERGED).exclude(pk__in=list(exclude))
    ids: set[int] = set()
    if person.birth_date is not None:
        ids |= set(
            live.filter(birth_date=person.birth_date).values_list("pk", flat=True)[:MAX_PER_SOURCE]
        )
    if person.phones:
        ids |= set(
            PatientPhone.objects.filter(
                digits__in=sorted(person.phones), patient__in=live
            ).values_list("patient_id", flat=True)[:MAX_PER_SOURCE]
        )
    lookups = Q()
    if person.ssn_digest:
        lookups |= Q(ssn_digest=person.ssn_digest)
    if person.email:
        lookups |= Q(email=person.email)
    if lookups:
        ids |= set(live.filter(lookups).values_list("pk", flat=True)[:MAX_PER_SOURCE])
    return ids


def find_duplicates(person: Person, *, exclude: Iterable[int] = ()) -> list[Candidate]:
    """Existing records scoring at least the threshold, best first."""
    ids = _candidate_ids(person, exclude)
    if not ids:
        return []
    patients = Patient.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("phones", queryset=PatientPhone.objects.only("patient_id", "digits")),
        Prefetch("previous_names", queryset=PreviousName.objects.only("patient_id", "last_name")),
    )
    found = []
    for patient in patients:
        result = score(person, person_of(patient))
        if result.is_candidate:
            found.append(Candidate(patient, result.points, result.reasons))
    found.sort(key=lambda c: (-c.points, c.patient.last_name, c.patient.first_name, c.patient.pk))
    return found
