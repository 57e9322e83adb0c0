"""Pure checks for US healthcare identifiers (NPI, NUCC taxonomy, state, ZIP, EIN)."""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.us import ein

NPI_PREFIX = "80840"
_NPI_RE = re.compile(r"^[0-9]{10}$")
_TAXONOMY_RE = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
_ZIP_RE = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")

US_STATE_CODES: frozenset[str] = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI",
        "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN",
        "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
        "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
        "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI",
    }
)  # fmt: skip


def npi_is_valid(npi: str) -> bool:
    """Ten digits whose Luhn check (over the "80840" prefix) holds."""
    return bool(_NPI_RE.match(npi)) and luhn.is_valid(NPI_PREFIX + npi)


def make_npi(base9: str) -> str:
    """Append the check digit to nine digits, giving a valid (synthetic) NPI."""
    if not re.fullmatch(r"[0-9]{9}", base9):
        raise ValueError("An NPI base must be exactly nine digits.")
    return base9 + luhn.calc_check_digit(NPI_PREFIX + base9)


def taxonomy_code_is_valid(code: str) -> bool:
    """NUCC health care provider taxonomy code format, e.g. 207Q00000X."""
    return bool(_TAXONOMY_RE.match(code))


def state_code_is_valid(code: str) -> bool:
    return code in US_STATE_CODES


def zip_code_is_valid(code: str) -> bool:
    """ZIP or ZIP+4 (12345 or 12345-6789)."""
    return bool(_ZIP_RE.match(code))


def ein_is_valid(value: str) -> bool:
    """Employer Identification Number (tax ID), with or without the dash."""
    return bool(ein.is_valid(value))


MRN_DIGITS = 7  # plus one Luhn check digit


def make_mrn(number: int) -> str:
    """The medical record number for a sequence number: seven digits and a Luhn check digit."""
    if not 0 < number < 10**MRN_DIGITS:
        raise ValueError("An MRN sequence number has at most seven digits.")
    base = f"{number:0{MRN_DIGITS}d}"
    return base + luhn.calc_check_digit(base)


def mrn_is_valid(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{8}", value)) and luhn.is_valid(value)


def ssn_digits(value: str) -> str:
    """The nine digits of an SSN written with or without dashes or spaces ("" if not nine)."""
    digits = re.sub(r"[\s-]", "", value or "")
    return digits if re.fullmatch(r"[0-9]{9}", digits) else ""


# Numbers voided after they were printed in advertising (python-stdnum's list).
_VOIDED_SSNS = frozenset({"078051120", "219099999", "457555462"})


def ssn_is_valid(value: str) -> bool:
    """Issued-SSN rules: area not 000, 666 or 9xx, group not 00, serial not 0000, not voided.

    The same rules as python-stdnum's ``us.ssn``, written out because its text clean-up cost
    a quarter of a bulk import's time (measured).
    """
    digits = ssn_digits(value)
    if not digits:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return digits not in _VOIDED_SSNS


# Medicare Beneficiary Identifier (CMS): 11 characters, e.g. 1EG4-TE5-MK73 as printed on the card.
# Position 1 is a digit 1-9; 2, 5, 8 and 9 letters; 3 and 6 letters or digits; 4, 7, 10 and 11
# digits. Letters never include S, L, O, I, B or Z (they read like digits).
MBI_LENGTH = 11
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
MBI_EXCLUDED_LETTERS = "SLOIBZ"
MBI_DIGITS = "0123456789"
# What each position holds: "C" a digit 1-9, "N" a digit, "A" a letter, "AN" a letter or digit.
MBI_LAYOUT: tuple[str, ...] = ("C", "A", "AN", "N", "A", "AN", "N", "A", "A", "N", "N")
_MBI_ALLOWED: dict[str, str] = {
    "C": "123456789",
    "N": MBI_DIGITS,
    "A": MBI_LETTERS,
    "AN": MBI_LETTERS + MBI_DIGITS,
}


def normalize_mbi(value: str) -> str:
    """The MBI as stored: dashes and spaces removed, letters upper case ("1eg4-te5-mk73" ->
    "1EG4TE5MK73"). Says nothing about validity."""
    return re.sub(r"[\s-]", "", value or "").upper()


def mbi_position_fits(position: int, char: str) -> bool:
    """Whether ``char`` may stand at ``position`` (1-based) of a normalized MBI."""
    return len(char) == 1 and char in _MBI_ALLOWED[MBI_LAYOUT[position - 1]]


def mbi_is_valid(value: str) -> bool:
    """CMS MBI format rules, after dashes are stripped (see ``normalize_mbi``)."""
    mbi = normalize_mbi(value)
    return len(mbi) == MBI_LENGTH and all(
        mbi_position_fits(i, ch) for i, ch in enumerate(mbi, start=1)
    )
