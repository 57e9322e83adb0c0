# ruff: noqa: S608 - _candidate_rows composes SQL from table names and placeholders only
"""Finding existing records that may be the same person (reads only).

One indexed query finds the records sharing a birth date, phone, SSN digest or e-mail with the new
one, and says for each whether it shares a phone and has previous names; only those previous names
are read; ``rules.duplicates.score`` decides which to show, and only those are loaded as records.
Registration pays this on every save, so it is one statement in the usual case (no candidate, or
no previous names), at most three.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet

from medoffice.patients.choices import PatientStatus
from medoffice.patients.models import Patient, PatientPhone, PreviousName
from medoffice.patients.rules.duplicates import Person, score

MAX_CANDIDATES = 400  # a crowded birth date at a million records holds about 40
PATIENTS = Patient._meta.db_table
PHONES = PatientPhone._meta.db_table
NAMES = PreviousName._meta.db_table


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


def _previous_lasts(ids: Any) -> dict[int, set[str]]:
    lasts: dict[int, set[str]] = defaultdict(set)
    for patient_id, last in PreviousName.objects.filter(patient__in=ids).values_list(
        "patient_id", "last_name"
    ):
        lasts[patient_id].add(last)
    return lasts


def _fact_person(row: tuple[Any, ...], lasts: set[str], phones: frozenset[str]) -> Person:
    """A ``Person`` from a FACTS row (pk, last, first, born, digest, email)."""
    _pk, last, first, born, digest, email = row[:6]
    return Person(last, first, born, frozenset(lasts), phones, digest, email.lower())


FACTS = ("pk", "last_name", "first_name", "birth_date", "ssn_digest", "email")


def person_facts(patients: QuerySet[Patient]) -> dict[int, Person]:
    """The comparable facts of ``patients`` (what ``person_of`` gives), in three queries."""
    ids = patients.values("pk")
    phones: dict[int, set[str]] = defaultdict(set)
    for patient_id, digits in PatientPhone.objects.filter(patient__in=ids).values_list(
        "patient_id", "digits"
    ):
        phones[patient_id].add(digits)
    lasts = _previous_lasts(ids)
    return {
        row[0]: _fact_person(row, lasts[row[0]], frozenset(phones[row[0]]))
        for row in patients.values_list(*FACTS)
    }


def _candidate_people(person: Person, rows: list[tuple[Any, ...]]) -> dict[int, Person]:
    """``Person`` facts of candidate rows (FACTS + shares_phone + has_previous).

    Only the overlap of phones matters to the score, so a shared number stands for all of them.
    """
    with_previous = [row[0] for row in rows if row[-1]]
    lasts = _previous_lasts(with_previous) if with_previous else defaultdict(set)
    return {
        row[0]: _fact_person(row, lasts[row[0]], person.phones if row[6] else frozenset())
        for row in rows
    }


def _candidate_rows(person: Person, exclude: list[int]) -> list[tuple[Any, ...]]:
    """FACTS + shares_phone + has_previous of live records sharing an indexed fact.

    Written as one SQL statement rather than an ORM expression: registration runs it on every
    save, and composing the ORM query cost three times as long as running it (measured). Only
    table names from the models and "%s" placeholders are put into the text; every value is a
    parameter (hence the S608 waivers).
    """
    ops = connection.ops
    # One indexed lookup per fact, joined by UNION: an OR across columns and a subquery makes
    # PostgreSQL scan the whole table (17 ms at 100,000 patients, measured).
    lookups, params = [], []
    if person.birth_date is not None:
        lookups.append(f"SELECT id FROM {PATIENTS} WHERE birth_date = %s")
        params.append(ops.adapt_datefield_value(person.birth_date))
    for column, value in (("ssn_digest", person.ssn_digest), ("email", person.email)):
        if value:
            lookups.append(f"SELECT id FROM {PATIENTS} WHERE {column} = %s")
            params.append(value)
    digits = sorted(person.phones)
    marks = ", ".join(["%s"] * len(digits))
    if digits:
        lookups.append(f"SELECT patient_id FROM {PHONES} WHERE digits IN ({marks})")
        params += digits
    if not lookups:
        return []
    shares_phone = (
        f"EXISTS (SELECT 1 FROM {PHONES} ph WHERE ph.patient_id = p.id AND ph.digits IN ({marks}))"
        if digits
        else "0 = 1"
    )
    skip = f"AND p.id NOT IN ({', '.join(['%s'] * len(exclude))})" if exclude else ""
    sql = (
        f"SELECT p.id, p.last_name, p.first_name, p.birth_date, p.ssn_digest, p.email, "
        f"{shares_phone}, EXISTS (SELECT 1 FROM {NAMES} n WHERE n.patient_id = p.id) "
        f"FROM {PATIENTS} p WHERE p.id IN ({' UNION '.join(lookups)}) "
        f"AND p.status <> %s {skip} LIMIT {MAX_CANDIDATES}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*digits, *params, PatientStatus.MERGED, *exclude])
        rows = cursor.fetchall()
    return [(*row[:3], _as_date(row[3]), *row[4:]) for row in rows]


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def find_duplicates(person: Person, *, exclude: Iterable[int] = ()) -> list[Candidate]:
    """Existing records scoring at least the threshold, best first."""
    rows = _candidate_rows(person, [int(pk) for pk in exclude])
    scored = {pk: score(person, other) for pk, other in _candidate_people(person, rows).items()}
    shown = {pk: result for pk, result in scored.items() if result.is_candidate}
    if not shown:
        return []
    records = Patient.objects.filter(pk__in=shown).prefetch_related(
        Prefetch("phones", queryset=PatientPhone.objects.order_by("-is_primary", "pk"))
    )
    found = [Candidate(p, shown[p.pk].points, shown[p.pk].reasons) for p in records]
    found.sort(key=lambda c: (-c.points, c.patient.last_name, c.patient.first_name, c.patient.pk))
    return found
