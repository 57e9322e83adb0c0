"""Every write to the patient registry: registration, edits, alerts, photo, reads audited.

Callers pass plain values (forms' cleaned data, API payloads); these functions normalize them (phone
numbers to E.164, e-mail lowercased, SSN encrypted with its digest and last four), validate them
with the models' rules, keep the search keys in step, and write one audit entry per change naming
the fields that changed (never their values). Merges live in ``patients.merging``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core import identifiers, phones
from medoffice.patients import choices as c
from medoffice.patients.duplicates import find_duplicates
from medoffice.patients.errors import PossibleDuplicates
from medoffice.patients.models import (
    MrnCounter,
    Patient,
    PatientAlert,
    PatientSearchKey,
    PreviousName,
    ResponsibleParty,
)
from medoffice.patients.rules.duplicates import Person
from medoffice.patients.rules.names import NameParts, search_keys
from medoffice.patients.validation import (
    CHILDREN,
    NAME_FIELDS,
    PARTY_FIELDS,
    PATIENT_FIELDS,
    Rows,
    apply_ssn,
    build_party,
    child_rows,
    derived_values,
    raise_errors,
    strip_text,
    validate_guarantor,
    validate_patient,
)


def _sync_children(patient: Patient, name: str, rows: list[dict[str, Any]]) -> bool:
    """Make the patient's rows equal ``rows`` (matched by id); returns whether anything changed."""
    model = CHILDREN[name][0]
    current = {obj.pk: obj for obj in model.objects.filter(patient=patient)}
    changed = False
    keep: set[int] = set()
    for values in rows:
        values = derived_values(name, values)
        obj = current.get(values.pop("id", None) or -1)
        if obj is None:
            model.objects.create(patient=patient, **values)
            changed = True
            continue
        keep.add(obj.pk)
        diff = [f for f, v in values.items() if getattr(obj, f) != v]
        if diff:
            for f in diff:
                setattr(obj, f, values[f])
            obj.save()
            changed = True
    stale = [pk for pk in current if pk not in keep]
    if stale:
        model.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def names_of(patient: Patient, previous: Iterable[PreviousName] | None = None) -> list[NameParts]:
    names = [NameParts(patient.last_name, patient.first_name)]
    if patient.preferred_name and patient.preferred_name != patient.first_name:
        names.append(NameParts(patient.last_name, patient.preferred_name))
    firsts = {patient.first_name, patient.preferred_name} - {""}
    for old in previous if previous is not None else patient.previous_names.all():
        for first in {old.first_name} - {""} or firsts:
            names.append(NameParts(old.last_name, first))
    return names


def rebuild_search_keys(
    patient: Patient, *, previous: Iterable[PreviousName] | None = None, replace: bool = True
) -> None:
    """Replace the patient's search keys (none while merged: merged records are not found).

    A registration passes the previous names it was given and ``replace=False``: a new patient
    has no keys to delete and no names to read back.
    """
    if replace:
        PatientSearchKey.objects.filter(patient=patient).delete()
    if patient.status == c.PatientStatus.MERGED:
        return
    PatientSearchKey.objects.bulk_create(
        PatientSearchKey(patient=patient, key=key, birth_date=patient.birth_date)
        for key in sorted(search_keys(names_of(patient, previous)))
    )


_TAKE_MRNS = (
    "UPDATE patients_mrncounter SET next_number = next_number + %s WHERE id = 1 "
    "RETURNING next_number"
)


def allocate_mrns(count: int) -> list[str]:
    """Take ``count`` consecutive MRNs in one statement; the row lock it takes orders concurrent
    registrations (SQLite and PostgreSQL both support UPDATE ... RETURNING)."""
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_MRNS, [count])
        row = cursor.fetchone()
    if row is None:  # the first registration of a new database
        MrnCounter.objects.get_or_create(pk=1)
        return allocate_mrns(count)
    end = int(row[0])
    return [identifiers.make_mrn(n) for n in range(end - count, end)]


def _create_children(patient: Patient, rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """A new patient's rows: inserted in one statement per kind, nothing to compare against."""
    for name, given in rows.items():
        if given:
            model = CHILDREN[name][0]
            model.objects.bulk_create(
                model(patient=patient, **derived_values(name, row)) for row in given
            )


# ---- registration and edits ----------------------------------------------------------------


def _person(patient: Patient, children: Mapping[str, list[dict[str, Any]]]) -> Person:
    return Person(
        last=patient.last_name,
        first=patient.first_name,
        birth_date=patient.birth_date if isinstance(patient.birth_date, dt.date) else None,
        other_lasts=frozenset(r["last_name"] for r in children.get("previous_names", [])),
        phones=frozenset(
            phones.digits10(r["number"]) for r in children.get("phones", []) if r.get("number")
        ),
        ssn_digest=patient.ssn_digest,
        email=patient.email,
    )


def check_duplicates(
    patient: Patient,
    children: Mapping[str, list[dict[str, Any]]],
    acknowledged: Iterable[int] | bool,
) -> None:
    if acknowledged is True:
        return
    exclude = [patient.pk] if patient.pk else []
    candidates = find_duplicates(_person(patient, children), exclude=exclude)
    seen = set(acknowledged or ())
    if any(candidate.patient.pk not in seen for candidate in candidates):
        raise PossibleDuplicates(candidates)


def _prepare(
    patient: Patient,
    values: Mapping[str, Any],
    children: Mapping[str, Rows | None],
    party: Mapping[str, Any] | None,
    ssn: str | None,
    errors: dict[str, list[str]],
) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    for field, value in values.items():
        if field not in PATIENT_FIELDS:
            raise TypeError(f"{field} is not a patient field")
        setattr(patient, field, strip_text(value))
    patient.email = (patient.email or "").lower()
    patient.race = list(patient.race or [])
    ssn_changed = apply_ssn(patient, ssn, errors)
    validate_patient(patient, errors)
    validate_guarantor(patient, party, errors)
    rows = {
        name: child_rows(name, given, errors)
        for name, given in children.items()
        if given is not None
    }
    return rows, ssn_changed


@transaction.atomic
def register_patient(
    *,
    acting_user: Any,
    ssn: str = "",
    phones: Rows = (),
    addresses: Rows = (),
    previous_names: Rows = (),
    emergency_contacts: Rows = (),
    responsible_party: Mapping[str, Any] | None = None,
    acknowledged_duplicates: Iterable[int] | bool = (),
    **values: Any,
) -> Patient:
    """Register a new patient; raises ValidationError (by field) or PossibleDuplicates."""
    patient = Patient(mrn="00000000")
    errors: dict[str, list[str]] = {}
    children = {
        "phones": phones,
        "addresses": addresses,
        "previous_names": previous_names,
        "emergency_contacts": emergency_contacts,
    }
    rows, _ = _prepare(patient, values, children, responsible_party, ssn, errors)
    for given in rows.values():  # a new patient's rows are all new, whatever ids were sent
        for row in given:
            row.pop("id", None)
    party = build_party(responsible_party, None, errors) if responsible_party else None
    raise_errors(errors)
    check_duplicates(patient, rows, acknowledged_duplicates)
    patient.mrn = allocate_mrns(1)[0]
    if party is not None:
        party.save()
        patient.responsible_party = party
    patient.save()
    _create_children(patient, rows)
    previous = [PreviousName(**r) for r in rows.get("previous_names", [])]
    rebuild_search_keys(patient, previous=previous, replace=False)
    filled = [f for f in PATIENT_FIELDS if f in values and values[f] not in ("", None, [], False)]
    filled += [name for name, given in rows.items() if given]
    filled += ["ssn"] if patient.ssn_digest else []
    filled += ["responsible_party"] if party else []
    record(
        AuditAction.CREATE, actor=acting_user, target=patient, patient_id=patient.pk, fields=filled
    )
    return patient


@transaction.atomic
def update_patient(
    patient: Patient,
    *,
    acting_user: Any,
    ssn: str | None = None,
    phones: Rows | None = None,
    addresses: Rows | None = None,
    previous_names: Rows | None = None,
    emergency_contacts: Rows | None = None,
    responsible_party: Mapping[str, Any] | None = None,
    acknowledged_duplicates: Iterable[int] | bool = True,
    **values: Any,
) -> Patient:
    """Change what is given (None = leave as is); audits the names of the fields that changed."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == c.PatientStatus.MERGED:
        raise ValidationError("This record was merged into another; edit the kept record.")
    before = {f: getattr(patient, f) for f in PATIENT_FIELDS}
    before["guarantor"] = patient.guarantor_id
    errors: dict[str, list[str]] = {}
    children = {
        "phones": phones,
        "addresses": addresses,
        "previous_names": previous_names,
        "emergency_contacts": emergency_contacts,
    }
    is_self = (
        values.get("guarantor_relationship", patient.guarantor_relationship) == c.Relationship.SELF
    )
    party_values = responsible_party
    if (
        party_values is None
        and patient.responsible_party_id
        and not is_self
        and not values.get("guarantor")
    ):
        party_values = {}  # keep the current responsible party
    rows, ssn_changed = _prepare(
        patient, values, children, party_values if not is_self else None, ssn, errors
    )
    party = None
    if party_values is not None and not is_self:
        party = build_party(party_values, patient.responsible_party, errors)
    raise_errors(errors)
    check_duplicates(patient, rows, acknowledged_duplicates)
    changed = [f for f in PATIENT_FIELDS if _value_of(patient, f) != before[f]]
    old_party = patient.responsible_party if patient.responsible_party_id else None
    if party is not None:
        if party.pk is None or _party_changed(party):
            changed.append("responsible_party")
        party.save()
        patient.responsible_party = party
    elif old_party is not None:
        patient.responsible_party = None
        changed.append("responsible_party")
    if ssn_changed:
        changed.append("ssn")
    patient.save()
    if old_party is not None and patient.responsible_party_id != old_party.pk:
        old_party.delete()
    for name, given in rows.items():
        if _sync_children(patient, name, given):
            changed.append(name)
    if set(changed) & {*NAME_FIELDS, "previous_names", "status"}:
        rebuild_search_keys(patient)
    if changed:
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=patient,
            patient_id=patient.pk,
            fields=changed,
        )
    return patient


def _value_of(patient: Patient, field: str) -> Any:
    return patient.guarantor_id if field == "guarantor" else getattr(patient, field)


def _party_changed(party: ResponsibleParty) -> bool:
    stored = ResponsibleParty.objects.filter(pk=party.pk).values(*PARTY_FIELDS).first()
    return stored != {f: getattr(party, f) for f in PARTY_FIELDS}


# ---- alerts, photo, audited reads ----------------------------------------------------------


@transaction.atomic
def add_alert(
    patient: Patient,
    *,
    acting_user: Any,
    kind: str,
    message: str,
    severity: str = c.AlertSeverity.WARNING,
) -> PatientAlert:
    if patient.status == c.PatientStatus.MERGED:
        raise ValidationError("This record was merged into another; add the alert there.")
    alert = PatientAlert(
        patient=patient,
        kind=kind,
        severity=severity,
        message=(message or "").strip(),
        created_at=timezone.now(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    alert.full_clean()
    alert.save()
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=alert,
        patient_id=patient.pk,
        fields=["kind", "severity", "message"],
    )
    return alert


@transaction.atomic
def resolve_alert(alert: PatientAlert, *, acting_user: Any) -> PatientAlert:
    alert = PatientAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is not None:
        return alert
    alert.resolved_at = timezone.now()
    alert.resolved_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    alert.save(update_fields=["resolved_at", "resolved_by"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=alert,
        patient_id=alert.patient_id,
        fields=["resolved_at"],
    )
    return alert


def audit_read(patient: Patient, *, acting_user: Any, what: str = "record") -> None:
    """A PHI read (chart opened, photo shown, API read) goes to the audit trail."""
    record(
        AuditAction.READ,
        actor=acting_user,
        target=patient,
        patient_id=patient.pk,
        detail={"what": what},
    )


def audit_search(
    patient_ids: Sequence[int], *, acting_user: Any, kinds: Sequence[str], source: str
) -> None:
    """A search shows PHI of every patient it lists: record which were shown, never the query."""
    record(
        AuditAction.SEARCH,
        actor=acting_user,
        target_type="patients.patient",
        detail={
            "kinds": list(kinds),
            "shown": list(patient_ids),
            "count": len(patient_ids),
            "source": source,
        },
    )
