"""Checking the rows of a bulk import with the registration rules, before anything is written.

The rules are the service's (``services.register_patient``): each model field's own ``clean``
(length, choices, blank, e-mail, state and ZIP code validators), phone numbers through
``core.phones``, the SSN rules of ``core.identifiers``, birth-date sanity, the guarantor rules,
and the service's extra child-row rules. They are applied to plain values without building model
instances, and plain values that ``Field.clean`` would accept unchanged are recognized by a quick
test first (``Field.clean`` still decides, and words the message, for everything else): that is
what makes checking ~10x cheaper than ``full_clean``. A test compares the messages with the
service's for the same bad rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.utils import timezone

from medoffice.core import crypto, identifiers, phones
from medoffice.patients import choices as c
from medoffice.patients import services, validation
from medoffice.patients.models import Patient, PreviousName
from medoffice.patients.rules.names import NameParts

MAX_MESSAGES = 50
ROW_KEYS = {"key", "guarantor_key", "guarantor_id", "ssn", "acknowledged_duplicates"}
FOREIGN_KEYS = ("primary_care_provider", "referring_provider", "guarantor")
_E164 = re.compile(r"^\+1[2-9][0-9]{2}[2-9][0-9]{6}$")
_EXTENSION = re.compile(r"^[0-9]{1,8}$")
_PHONE_FIELDS = {"phones": ("number",), "emergency_contacts": ("phone", "alternate_phone")}
_RACE_CODES = frozenset(c.Race.values)
_PATIENT_FIELDS = frozenset(validation.PATIENT_FIELDS) - set(FOREIGN_KEYS)
_LINKS = frozenset({*FOREIGN_KEYS, "guarantor_id"})
_CHILD_FIELDS = {name: (model, frozenset(f)) for name, (model, f) in validation.CHILDREN.items()}


@dataclass
class Row:
    """One validated row: patient values by attribute name, children, names for search keys."""

    values: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    names: list[NameParts]
    guarantor_key: Any = None
    errors: list[str] = field(default_factory=list)


def _e164(text: Any) -> str:
    """``phones.to_e164``; a number already in E.164 form is its own result, so it is kept."""
    raw = str(text or "").strip()
    return raw if _E164.match(raw) else phones.to_e164(raw)


@functools.cache
def _required(model: type[models.Model]) -> frozenset[str]:
    return frozenset(
        f.name
        for f in model._meta.concrete_fields
        if not f.blank and not f.has_default() and f.editable and not f.primary_key
        and not f.is_relation and f.name != "mrn"
    )  # fmt: skip


@functools.cache
def _rules(model: type[models.Model]) -> dict[str, tuple[models.Field, Callable[[Any], bool]]]:
    """Each field of the model by name, with its quick validity test."""
    return {f.name: (f, _plainly_valid(f)) for f in model._meta.concrete_fields}


def _clean(model_field: models.Field, value: Any, _kind: str = "") -> tuple[bool, Any]:
    """``Field.clean`` as ``full_clean`` runs it: (True, value) or (False, the message)."""
    try:
        return True, model_field.clean(value, None)
    except ValidationError as exc:
        return False, " ".join(exc.messages)


# Field.clean is a pure function of the value for the plain fields checked here, and the same
# values recur in an import (state, ZIP code): remember the answers (keyed by type too, as
# True == 1 but a CharField stores them differently).
_clean_cached = functools.lru_cache(maxsize=65536)(_clean)
_PLAIN_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)


def _never(value: Any) -> bool:
    return False


class _EagerEmailValidator(EmailValidator):
    """Django's e-mail rule with its patterns compiled up front (its lazy ones cost more than
    the match); a value it refuses still goes to ``Field.clean`` for the message."""

    user_regex = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
    domain_regex = re.compile(
        EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags
    )
    literal_regex = re.compile(
        EmailValidator.literal_regex.pattern, EmailValidator.literal_regex.flags
    )


def _email_ok(limit: int) -> Callable[[Any], bool]:
    check = _EagerEmailValidator()

    def ok(value: Any) -> bool:
        if type(value) is not str or not 0 < len(value) <= limit or "\x00" in value:
            return False
        try:
            check(value)
        except ValidationError:
            return False
        return True

    return ok


def _plainly_valid(model_field: models.Field) -> Callable[[Any], bool]:
    """A quick test that ``Field.clean`` would accept a value unchanged (False: ask it).

    Passing it is exactly what clean checks for these field kinds (type, choices, not blank,
    length, no NUL); anything else, and fields with validators of their own (e-mail, state,
    ZIP code), go through ``Field.clean`` itself, which also gives the message.
    """
    if isinstance(model_field, models.BooleanField):
        return lambda v: v is True or v is False
    if isinstance(model_field, models.DateTimeField):
        return _never
    if isinstance(model_field, models.DateField):
        return lambda v: type(v) is dt.date
    if isinstance(model_field, models.JSONField):
        return lambda v: type(v) is list and all(type(x) is str for x in v)
    if not isinstance(model_field, models.CharField):
        return _never
    extra = [v for v in model_field.validators if not isinstance(v, _PLAIN_VALIDATORS)]
    if isinstance(model_field, models.EmailField) and [type(v) for v in extra] == [EmailValidator]:
        return _email_ok(model_field.max_length or 0)
    if extra:
        return _never
    if model_field.choices:
        allowed = frozenset(str(value) for value, _ in model_field.flatchoices)
        return lambda v: type(v) is str and v in allowed
    limit = model_field.max_length or 0
    return lambda v: type(v) is str and 0 < len(v) <= limit and "\x00" not in v


def _clean_fields(
    model: type[models.Model],
    given: Mapping[str, Any],
    prefix: str,
    errors: list[str],
    reported: Iterable[str] = (),
) -> dict[str, Any]:
    """What ``full_clean`` checks for each given field (max length, choices, blank, validators).

    ``reported`` names fields whose error was already given (e.g. a phone number that did not
    parse), so they are not also called blank.
    """
    out: dict[str, Any] = {}
    rules = _rules(model)
    for name, value in given.items():
        model_field, plainly_valid = rules[name]
        if name in reported:
            continue
        if plainly_valid(value) or (model_field.blank and value in model_field.empty_values):
            out[name] = value
            continue
        try:
            ok, result = _clean_cached(model_field, value, str(type(value)))
        except TypeError:  # unhashable (a list): not cached
            ok, result = _clean(model_field, value)
        if ok:
            out[name] = result
        else:
            errors.append(f"{prefix}{name}: {result}")
    for name in sorted(_required(model) - given.keys() - set(reported)):
        errors.append(f"{prefix}{name}: This field cannot be blank.")
    return out


def _child_rows(name: str, given: Iterable[Mapping[str, Any]], errors: list[str]) -> list[dict]:
    """One kind of child rows normalized and checked as ``validation.child_rows`` does."""
    if not given:
        return []
    model, fields = _CHILD_FIELDS[name]
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(given):
        values = {f: v.strip() if isinstance(v, str) else v for f, v in row.items() if f in fields}
        found: list[str] = []
        failed = _normalize_child(name, values, found)
        checked = _clean_fields(model, values, "", found, failed)
        if found:
            errors.extend(f"{name}.{i}.{message}" for message in found)
        if name == "phones" and "number" in checked:
            checked["digits"] = phones.digits10(checked["number"])
            checked["local_digits"] = checked["digits"][3:]
        rows.append(checked)
    if name != "previous_names":
        primaries = sum(1 for r in rows if r.get("is_primary"))
        if primaries > 1:
            errors.append(f"{name}: Mark only one as primary.")
        elif rows and primaries == 0:
            rows[0]["is_primary"] = True
    return rows


def _normalize_child(name: str, values: dict[str, Any], errors: list[str]) -> list[str]:
    """Phones to E.164 and the service's extra rules; returns the fields already reported."""
    failed = []
    for phone_field in _PHONE_FIELDS.get(name, ()):
        text = str(values.get(phone_field) or "").strip()
        if not text and phone_field == "alternate_phone":
            values[phone_field] = ""
            continue
        try:
            values[phone_field] = _e164(text)
        except phones.PhoneError as exc:
            errors.append(f"{phone_field}: {exc}")
            values.pop(phone_field, None)
            failed.append(phone_field)
    if name == "phones":
        values["extension"] = extension = str(values.get("extension") or "").strip()
        if extension and not _EXTENSION.match(extension):
            errors.append("extension: An extension is 1 to 8 digits.")
            failed.append("extension")
    elif name == "addresses":
        values["state"] = str(values.get("state") or "").upper()
    elif name == "emergency_contacts" and values.get("relationship") == c.Relationship.SELF:
        errors.append("relationship: An emergency contact is someone other than the patient.")
        failed.append("relationship")
    return failed


def _ssn(raw: Any, values: dict[str, Any], errors: list[str]) -> None:
    """As ``validation.apply_ssn``: nine issuable digits, stored encrypted, digest and last 4."""
    text = str(raw or "")
    digits = identifiers.ssn_digits(text)
    if text.strip() and not digits:
        errors.append("ssn: An SSN has nine digits, e.g. 123-45-6789.")
    elif digits and not identifiers.ssn_is_valid(digits):
        errors.append("ssn: That SSN cannot have been issued; check the digits.")
    elif digits:
        values["ssn"] = crypto.encrypt(digits)
        values["ssn_last4"] = digits[-4:]
        values["ssn_digest"] = crypto.lookup_digest("ssn", digits)


def _check_dates(values: Mapping[str, Any], today: dt.date, errors: list[str]) -> None:
    born, died = values.get("birth_date"), values.get("deceased_date")
    if not isinstance(born, dt.date):
        return
    oldest = validation.OLDEST_BIRTH_YEARS
    if born > today:
        errors.append("birth_date: The date of birth is in the future.")
    elif born.year < today.year - oldest:
        errors.append(
            f"birth_date: The date of birth is more than {oldest} years ago; check the year."
        )
    if died and died < born:
        errors.append("deceased_date: Date of death is before date of birth.")
    if died and died > today:
        errors.append("deceased_date: Date of death is in the future.")


def _check_record(values: Mapping[str, Any], errors: list[str]) -> None:
    for code in values.get("race") or []:
        if code not in _RACE_CODES:
            errors.append(f"race: {code} is not a race code of this list.")
    status = values.get("status", c.PatientStatus.ACTIVE)
    if status == c.PatientStatus.MERGED:
        errors.append("status: Only a merge marks a record as merged.")
    if values.get("deceased_date") and status != c.PatientStatus.DECEASED:
        errors.append("status: Set the status to deceased with a date of death.")


def _check_guarantor(row: Row, key: Any, errors: list[str]) -> None:
    values = row.values
    has_guarantor = values.get("guarantor_id") is not None or row.guarantor_key is not None
    if values.get("guarantor_relationship", c.Relationship.SELF) == c.Relationship.SELF:
        if has_guarantor:
            errors.append(
                "guarantor: The patient is their own guarantor; leave the guarantor empty."
            )
    elif not has_guarantor:
        errors.append("guarantor: Choose the guarantor (a patient) or enter the responsible party.")
    elif row.guarantor_key is not None and row.guarantor_key == key:
        errors.append("guarantor: A patient cannot be their own dependent.")


def _names(values: Mapping[str, Any], previous: Sequence[Mapping[str, Any]]) -> list[NameParts]:
    """``services.names_of`` itself (legal, preferred and previous names), given plain values."""
    person = SimpleNamespace(
        last_name=values.get("last_name") or "",
        first_name=values.get("first_name") or "",
        preferred_name=values.get("preferred_name") or "",
    )
    olds = [
        SimpleNamespace(
            last_name=old.get("last_name") or "", first_name=old.get("first_name") or ""
        )
        for old in previous
    ]
    return services.names_of(cast(Patient, person), cast(list[PreviousName], olds))


def _foreign_key(name: str, value: Any, errors: list[str]) -> int | None:
    """A record or its id; anything else is an error."""
    if isinstance(value, models.Model):
        return int(value.pk)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    errors.append(f"{name.removesuffix('_id')}: give a record or its number (id).")
    return None


def _prepare(raw: Mapping[str, Any], today: dt.date) -> Row:
    errors: list[str] = []
    given: dict[str, Any] = {}
    links: dict[str, Any] = {}
    for name, value in raw.items():
        if name in _LINKS:
            links[name.removesuffix("_id") + "_id"] = _foreign_key(name, value, errors)
        elif name in _PATIENT_FIELDS:
            given[name] = value.strip() if isinstance(value, str) else value
        elif name not in ROW_KEYS and name not in validation.CHILDREN:
            errors.append(f"{name}: not a patient field that a bulk import takes.")
    given["email"] = (given.get("email") or "").lower()
    given["race"] = [str(code) for code in given.get("race") or []]
    values = _clean_fields(Patient, given, "", errors)
    values.update(links)
    _ssn(raw.get("ssn"), values, errors)
    _check_dates(values, today, errors)
    _check_record(values, errors)
    children = {name: _child_rows(name, raw.get(name) or (), errors) for name in _CHILD_FIELDS}
    row = Row(values, children, _names(values, children["previous_names"]))
    row.guarantor_key = raw.get("guarantor_key")
    _check_guarantor(row, raw.get("key"), errors)
    row.errors = errors
    return row


def _check_references(prepared: Sequence[Row], keys: set[Any]) -> None:
    """Guarantor keys must name a row of this import; ids must name live records."""
    wanted: dict[str, set[int]] = {name: set() for name in FOREIGN_KEYS}
    for row in prepared:
        for name in FOREIGN_KEYS:
            if row.values.get(f"{name}_id") is not None:
                wanted[name].add(row.values[f"{name}_id"])
    found: dict[str, set[int]] = {}
    for name, ids in wanted.items():
        model = Patient._meta.get_field(name).related_model
        queryset = model._default_manager.filter(pk__in=ids)  # type: ignore[union-attr]
        if name == "guarantor":
            queryset = queryset.exclude(status=c.PatientStatus.MERGED)
        found[name] = set(queryset.values_list("pk", flat=True)) if ids else set()
    for row in prepared:
        if row.guarantor_key is not None and row.guarantor_key not in keys:
            row.errors.append("guarantor_key: no row of this import has that key.")
        for name in FOREIGN_KEYS:
            pk = row.values.get(f"{name}_id")
            if pk is not None and pk not in found[name]:
                row.errors.append(f"{name}: no such record (or it was merged).")


def validate_rows(rows: Sequence[Mapping[str, Any]]) -> list[Row]:
    """Check every row; raise one ValidationError listing "row N, field: message" for all."""
    today = timezone.localdate()
    prepared: list[Row] = []
    keys: set[Any] = set()
    for raw in rows:
        row = _prepare(raw, today)
        key = raw.get("key")
        if key is not None:
            if key in keys:
                row.errors.append("key: another row of this import has that key.")
            keys.add(key)
        prepared.append(row)
    _check_references(prepared, keys)
    errors = [
        f"row {number}, {message}"
        for number, row in enumerate(prepared, start=1)
        for message in row.errors
    ]
    if errors:
        shown = errors[:MAX_MESSAGES]
        if len(errors) > MAX_MESSAGES:
            shown.append(f"... and {len(errors) - MAX_MESSAGES} more.")
        raise ValidationError(shown)
    return prepared
