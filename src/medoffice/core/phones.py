"""US phone numbers: parse what the desk types, store E.164, show (555) 201-7788."""

from __future__ import annotations

import re

import phonenumbers

# NANP: area code and exchange each start 2-9 (555 is allowed: it is the fiction range).
_NANP = re.compile(r"^[2-9][0-9]{2}[2-9][0-9]{6}$")


class PhoneError(ValueError):
    """The text is not a usable US phone number; the message says why in the office's words."""


def to_e164(text: str) -> str:
    """ "(555) 201-7788", "555.201.7788", "+1 555 201 7788" -> "+15552017788"."""
    raw = (text or "").strip()
    if not raw:
        raise PhoneError("Enter a phone number.")
    try:
        parsed = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError("That is not a phone number.") from exc
    if parsed.country_code != 1:
        raise PhoneError("Only US phone numbers (+1) are accepted here.")
    national = f"{parsed.national_number:010d}"
    if len(str(parsed.national_number)) != 10 or not _NANP.match(national):
        raise PhoneError(
            "A US phone number has 10 digits: area code and number, e.g. 555 201 7788."
        )
    if parsed.extension:
        raise PhoneError("Put the extension in its own field, not in the number.")
    return "+1" + national


def digits10(e164: str) -> str:
    """The 10 national digits of a stored "+1..." number."""
    return e164[-10:]


def display(e164: str) -> str:
    """ "+15552017788" -> "(555) 201-7788"; anything else is returned unchanged."""
    if re.fullmatch(r"\+1[0-9]{10}", e164 or ""):
        d = e164[2:]
        return f"({d[:3]}) {d[3:6]}-{d[6:]}"
    return e164
