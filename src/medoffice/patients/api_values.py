"""Value types of the patient API's input: the office's rules, answered in the office's words.

Each type applies the rule the service applies (``core.phones``, ``core.identifiers``, Django's
e-mail check), so a malformed value is a 422 naming its field before anything is written; the
service stays the authority and checks again. Messages never add anything the caller did not send.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from medoffice.core import identifiers, phones


def checked(code: str, test: Callable[[str], str | None]) -> AfterValidator:
    """A validator answering the office's message (no "Value error," prefix)."""

    def check(value: str) -> str:
        message = test(value)
        if message:
            raise PydanticCustomError(code, message)
        return value

    return AfterValidator(check)


def _phone_problem(value: str) -> str | None:
    try:
        phones.to_e164(value)
    except phones.PhoneError as exc:
        return str(exc)
    return None


def _email_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        validate_email(value)
    except DjangoValidationError:
        return "Enter a valid e-mail address, e.g. name@example.com."
    return None


def _ssn_problem(value: str) -> str | None:
    if not value:
        return None
    if not identifiers.ssn_digits(value):
        return "An SSN has nine digits, e.g. 123-45-6789."
    if not identifiers.ssn_is_valid(value):
        return "That SSN cannot have been issued; check the digits."
    return None


def _state_problem(value: str) -> str | None:
    if value and not identifiers.state_code_is_valid(value):
        return f"{value} is not a US state code (e.g. NY)."
    return None


def _zip_problem(value: str) -> str | None:
    if value and not identifiers.zip_code_is_valid(value):
        return "A ZIP code is 5 digits or ZIP+4 (12345-6789)."
    return None


def _iso_date(value: Any) -> Any:
    """Only ISO 8601 text ("1982-03-14"): "03/14/82" is ambiguous to a program, and a number
    would be read as a timestamp."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_format", "Write the date as YYYY-MM-DD, e.g. 1982-03-14.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "That date does not exist.") from None


def text(max_length: int, *, required: bool = False) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=int(required), max_length=max_length)


Name = Annotated[str, text(100, required=True)]
OptionalName = Annotated[str, text(100)]
Phone = Annotated[
    str,
    text(32, required=True),
    checked("phone", _phone_problem),
    Field(examples=["(555) 201-7788"]),
]
OptionalPhone = Annotated[
    str,
    text(32),
    checked("phone", lambda v: _phone_problem(v) if v else None),
    Field(examples=["(555) 201-7788"]),
]
Email = Annotated[str, text(254), checked("email", _email_problem)]
Ssn = Annotated[
    str,
    text(11),
    checked("ssn", _ssn_problem),
    Field(description='Nine digits, dashes optional; "" removes it on PATCH.'),
]
State = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, max_length=2),
    checked("state", _state_problem),
    Field(examples=["NY"]),
]
ZipCode = Annotated[
    str,
    text(10),
    checked("zip_code", _zip_problem),
    Field(examples=["10001", "10001-1234"]),
]
Extension = Annotated[str, StringConstraints(max_length=8, pattern=r"^[0-9]*$")]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), Field(examples=["1982-03-14"])]
RecordStatus = Literal["active", "inactive", "deceased"]  # "merged" is set by a merge only


def no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(**constraints: Any) -> Any:
    """A PATCH field: may be left out (unchanged) but, when sent, must hold a valid value."""
    return Field(default=None, json_schema_extra=no_default, **constraints)
