"""Member ID checks, pure (no Django): what the desk typed, against what the plan expects.

* Medicare (Part A/B, plan type ``medicare``): a Medicare Beneficiary Identifier, with the message
  naming the first position that breaks the CMS rules.
* A payer with its own ``member_id_pattern``: that regular expression must match the whole ID.
* Anything else: 2 to 40 letters, digits or dashes.

``member_id_problem`` answers "" when the ID is fine, else one sentence the desk can act on (it
never repeats the ID itself: messages may reach logs and error pages).
"""

from __future__ import annotations

import re

from medoffice.core.identifiers import (
    MBI_EXCLUDED_LETTERS,
    MBI_LAYOUT,
    MBI_LENGTH,
    mbi_position_fits,
    normalize_mbi,
)

MEDICARE = "medicare"
MAX_LENGTH = 40
_GENERAL = re.compile(r"[A-Za-z0-9-]{2,40}")
_KIND_WORDS = {
    "C": "a digit from 1 to 9",
    "N": "a digit",
    "A": "a letter",
    "AN": "a letter or a digit",
}
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


def normalize_member_id(member_id: str, *, plan_type: str) -> str:
    """The ID as stored: surrounding spaces dropped; a Medicare MBI without dashes, upper case."""
    text = (member_id or "").strip()
    return normalize_mbi(text) if plan_type == MEDICARE else text


def _ordinal(position: int) -> str:
    return _ORDINALS.get(position, f"{position}th")


def _describe(char: str) -> str:
    if char.isdigit():
        return f"the digit {char}"
    if char.isalpha() and char.isascii():
        return f"the letter {char}"
    return "a symbol"


def mbi_problem(value: str) -> str:
    """Why ``value`` is not an MBI ("" when it is), naming the first position that is wrong."""
    mbi = normalize_mbi(value)
    if not mbi:
        return "Enter the Medicare Beneficiary Identifier (MBI) from the red, white and blue card."
    if len(mbi) != MBI_LENGTH:
        return (
            f"A Medicare Beneficiary Identifier (MBI) has 11 characters (dashes do not count); "
            f"this one has {len(mbi)}."
        )
    for position, char in enumerate(mbi, start=1):
        if mbi_position_fits(position, char):
            continue
        kind = MBI_LAYOUT[position - 1]
        why = f"The {_ordinal(position)} character of the MBI must be {_KIND_WORDS[kind]}"
        if char in MBI_EXCLUDED_LETTERS and kind in ("A", "AN"):
            return (
                f"{why}, but not {char}: MBIs never use the letters S, L, O, I, B or Z "
                f"(position {position})."
            )
        return f"{why}; it is {_describe(char)} (position {position})."
    return ""


def member_id_problem(member_id: str, *, plan_type: str, pattern: str) -> str:
    """ "" when ``member_id`` is acceptable for a plan of ``plan_type`` whose payer uses
    ``pattern`` (a regular expression, or ""), else why not in plain words."""
    text = (member_id or "").strip()
    if plan_type == MEDICARE:
        return mbi_problem(text)
    if not text:
        return "Enter the member ID from the insurance card."
    if len(text) > MAX_LENGTH:
        return f"A member ID has at most {MAX_LENGTH} characters."
    compiled = compile_pattern(pattern)
    if compiled is not None:
        if compiled.fullmatch(text) is None:
            return (
                "This payer's member IDs do not look like that: check the card "
                f"(expected format: {pattern})."
            )
        return ""
    if _GENERAL.fullmatch(text) is None:
        return "A member ID is 2 to 40 letters, digits or dashes (no spaces or other signs)."
    return ""


def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The payer's pattern compiled, or None when blank or not a valid regular expression."""
    if not (pattern or "").strip():
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return None


def pattern_problem(pattern: str) -> str:
    """Why a payer's member-ID pattern cannot be used ("" when it can, or is blank)."""
    if not (pattern or "").strip():
        return ""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"That is not a valid regular expression ({exc.msg})."
    return ""
