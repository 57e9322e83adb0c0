"""Normalizing and checking what the desk or a program sends before a patient is written.

Phone numbers become E.164, e-mail is lowercased, the SSN is checked, encrypted and digested, and
every value is checked with the models' rules. Errors are gathered by field, child rows named like
"phones.0.number", so forms and the API can show each next to its field. Used by
``patients.services`` (one record at a time) and ``patients.bulk_rows`` (imports).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from medoffice.core import crypto, identifiers, phones
from medoffice.patients import choices as c
from medoffice.patients.models import (
    EmergencyContact,
    Patient,
    PatientAddress,
    PatientPhone,
    PreviousName,
    ResponsibleParty,
)

PATIENT_FIELDS = (
    "last_name", "first_name", "middle_name", "suffix", "preferred_name", "birth_date", "sex",
    "gender_identity", "pronouns", "deceased_date", "status", "email", "preferred_language",
    "interpreter_needed", "race", "ethnicity", "primary_care_provider", "referring_provider",
    "guarantor_relationship", "guarantor", "preferred_contact_method", "appointment_reminders",
    "email_consent", "mail_consent",
)  # fmt: skip
NAME_FIELDS = ("last_name", "first_name", "preferred_name", "birth_date")
CHILDREN: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "phones": (
        PatientPhone,
        ("kind", "number", "extension", "is_primary", "sms_consent", "voicemail_consent"),
    ),
    "addresses": (
        PatientAddress,
        ("use", "line1", "line2", "city", "state", "zip_code", "is_primary"),
    ),
    "previous_names": (PreviousName, ("kind", "last_name", "first_name", "middle_name", "until")),
    "emergency_contacts": (
        EmergencyContact,
        ("name", "relationship", "phone", "alternate_phone", "is_primary"),
    ),
}
PARTY_FIELDS = (
    "first_name", "last_name", "birth_date", "phone", "email", "address_line1", "address_line2",
    "city", "state", "zip_code", "employer",
)  # fmt: skip
OLDEST_BIRTH_YEARS = 125
UNCHECKED_FIELDS = [
    "mrn", "responsible_party", "guarantor", "primary_care_provider", "referring_provider",
    "merged_into",
]  # fmt: skip

Rows = Sequence[Mapping[str, Any]]


# ---- normalization -------------------------------------------------------------------------


def strip_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def phone_or_error(value: Any, errors: dict[str, list[str]], key: str, *, required: bool) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            errors.setdefault(key, []).append("Enter a phone number.")
        return ""
    try:
        return phones.to_e164(text)
    except phones.PhoneError as exc:
        errors.setdefault(key, []).append(str(exc))
        return text


def normalize_child(
    name: str, row: Mapping[str, Any], errors: dict[str, list[str]], key: str
) -> dict[str, Any]:
    fields = CHILDREN[name][1]
    values = {f: strip_text(row[f]) for f in fields if f in row}
    if name == "phones":
        values["number"] = phone_or_error(
            values.get("number"), errors, f"{key}.number", required=True
        )
        values["extension"] = str(values.get("extension") or "").strip()
        if values["extension"] and not re.fullmatch(r"[0-9]{1,8}", values["extension"]):
            errors.setdefault(f"{key}.extension", []).append("An extension is 1 to 8 digits.")
    elif name == "emergency_contacts":
        values["phone"] = phone_or_error(values.get("phone"), errors, f"{key}.phone", required=True)
        values["alternate_phone"] = phone_or_error(
            values.get("alternate_phone"), errors, f"{key}.alternate_phone", required=False
        )
        if values.get("relationship") == c.Relationship.SELF:
            errors.setdefault(f"{key}.relationship", []).append(
                "An emergency contact is someone other than the patient."
            )
    elif name == "addresses":
        values["state"] = str(values.get("state") or "").upper()
    return values


def validate_birth_date(patient: Patient, errors: dict[str, list[str]]) -> None:
    born = patient.birth_date
    if not isinstance(born, dt.date):
        return
    today = timezone.localdate()
    if born > today:
        errors.setdefault("birth_date", []).append("The date of birth is in the future.")
    elif born.year < today.year - OLDEST_BIRTH_YEARS:
        errors.setdefault("birth_date", []).append(
            f"The date of birth is more than {OLDEST_BIRTH_YEARS} years ago; check the year."
        )
    if patient.deceased_date and patient.deceased_date < born:
        errors.setdefault("deceased_date", []).append("Date of death is before date of birth.")
    if patient.deceased_date and patient.deceased_date > today:
        errors.setdefault("deceased_date", []).append("Date of death is in the future.")


def validate_patient(patient: Patient, errors: dict[str, list[str]]) -> None:
    try:
        # Related records arrive as loaded instances (forms, API) and the database's foreign
        # keys hold anyway: skip the one query per relation full_clean would spend on them.
        patient.full_clean(exclude=UNCHECKED_FIELDS, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    validate_birth_date(patient, errors)
    for code in patient.race or []:
        if code not in c.Race.values:
            errors.setdefault("race", []).append(f"{code} is not a race code of this list.")
    if patient.status == c.PatientStatus.MERGED:
        errors.setdefault("status", []).append("Only a merge marks a record as merged.")
    if patient.deceased_date and patient.status != c.PatientStatus.DECEASED:
        errors.setdefault("status", []).append("Set the status to deceased with a date of death.")


def validate_guarantor(
    patient: Patient, party: Mapping[str, Any] | None, errors: dict[str, list[str]]
) -> None:
    is_self = patient.guarantor_relationship == c.Relationship.SELF
    if is_self:
        if patient.guarantor_id or party:
            errors.setdefault("guarantor", []).append(
                "The patient is their own guarantor; leave the guarantor empty."
            )
        return
    if patient.guarantor_id and party:
        errors.setdefault("guarantor", []).append(
            "Choose a patient as guarantor or enter a responsible party, not both."
        )
    elif not patient.guarantor_id and not party:
        errors.setdefault("guarantor", []).append(
            "Choose the guarantor (a patient) or enter the responsible party."
        )
    guarantor = patient.guarantor if patient.guarantor_id else None
    if guarantor is not None:
        if patient.pk and guarantor.pk == patient.pk:
            errors.setdefault("guarantor", []).append("A patient cannot be their own dependent.")
        elif guarantor.status == c.PatientStatus.MERGED:
            errors.setdefault("guarantor", []).append(
                "That record was merged; choose the kept one."
            )


def build_party(
    values: Mapping[str, Any], current: ResponsibleParty | None, errors: dict[str, list[str]]
) -> ResponsibleParty:
    party = current or ResponsibleParty()
    for field in PARTY_FIELDS:
        if field in values:
            setattr(party, field, strip_text(values[field]) if values[field] is not None else None)
    party.phone = phone_or_error(party.phone, errors, "responsible_party.phone", required=False)
    party.state = (party.state or "").upper()
    party.email = (party.email or "").lower()
    try:
        party.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(f"responsible_party.{field}", []).extend(messages)
    return party


def apply_ssn(patient: Patient, ssn: str | None, errors: dict[str, list[str]]) -> bool:
    """Set the SSN (None = leave, "" = remove). Returns whether it changed."""
    if ssn is None:
        return False
    digits = identifiers.ssn_digits(ssn)
    if ssn.strip() and not digits:
        errors.setdefault("ssn", []).append("An SSN has nine digits, e.g. 123-45-6789.")
        return False
    if digits and not identifiers.ssn_is_valid(digits):
        errors.setdefault("ssn", []).append("That SSN cannot have been issued; check the digits.")
        return False
    digest = crypto.lookup_digest("ssn", digits) if digits else ""
    if digest == patient.ssn_digest:
        return False
    patient.ssn = digits
    patient.ssn_last4 = digits[-4:]
    patient.ssn_digest = digest
    return True


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


# ---- children and search keys --------------------------------------------------------------


def child_rows(name: str, rows: Rows, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    model, _ = CHILDREN[name]
    out = []
    for i, row in enumerate(rows):
        key = f"{name}.{i}"
        values = normalize_child(name, row, errors, key)
        probe = model(**values)
        try:
            probe.full_clean(exclude=["patient"], validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if f"{key}.{field}" not in errors:
                    errors.setdefault(f"{key}.{field}", []).extend(messages)
        if row.get("id") is not None:
            values["id"] = int(row["id"])
        out.append(values)
    check_one_primary(name, out, errors)
    return out


def check_one_primary(name: str, rows: list[dict[str, Any]], errors: dict[str, list[str]]) -> None:
    if name in ("phones", "addresses", "emergency_contacts"):
        primaries = sum(1 for r in rows if r.get("is_primary"))
        if primaries > 1:
            errors.setdefault(name, []).append("Mark only one as primary.")
        elif rows and primaries == 0:
            rows[0]["is_primary"] = True


def derived_values(name: str, values: dict[str, Any]) -> dict[str, Any]:
    if name == "phones":
        digits = phones.digits10(values["number"])
        return {**values, "digits": digits, "local_digits": digits[3:]}
    return values
