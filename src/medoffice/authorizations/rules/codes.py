"""Diagnosis and procedure code checks (pure, no database).

ICD-10-CM: ``simple_icd_10_cm`` is not installed in this project, so codes are checked for their
*form* only (a letter, a digit, a letter or digit, then optionally a dot and up to four letters or
digits), not against the code set: "R07.9" and "I20.9" pass, so would a well-formed code that does
not exist. CPT/HCPCS: five characters, CPT as four digits and a digit, F (category II) or T
(category III); HCPCS level II as a letter and four digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
_CPT = re.compile(r"^[0-9]{4}[0-9FT]$")
_HCPCS = re.compile(r"^[A-Z][0-9]{4}$")

ICD10_CHECK = "format"  # "format" here; "code set" once simple_icd_10_cm is installed


def normalize_diagnosis(raw: str) -> str:
    """ "r079" / " R07.9 " -> "R07.9" (the dot after the third character)."""
    code = raw.strip().upper().replace(" ", "")
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


def diagnosis_is_valid(code: str) -> bool:
    return bool(_ICD10CM.match(code))


def normalize_procedure(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def procedure_is_valid(code: str) -> bool:
    return bool(_CPT.match(code) or _HCPCS.match(code))


def procedure_kind(code: str) -> str:
    if _CPT.match(code):
        return "CPT"
    if _HCPCS.match(code):
        return "HCPCS"
    return ""


def diagnoses(raw: Iterable[str]) -> tuple[list[str], list[str]]:
    """(normalized codes in order without repeats, the entries that are not ICD-10-CM codes)."""
    found: list[str] = []
    bad: list[str] = []
    for entry in raw:
        if not entry.strip():
            continue
        code = normalize_diagnosis(entry)
        if not diagnosis_is_valid(code):
            bad.append(entry.strip()[:12])
        elif code not in found:
            found.append(code)
    return found, bad


def split_codes(text: str) -> list[str]:
    """ "R07.9, I20.9 ; E11.9" -> ["R07.9", "I20.9", "E11.9"] (form input)."""
    return [part for part in re.split(r"[\s,;]+", text) if part]
