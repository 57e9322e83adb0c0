"""What the desk typed into the patient search box, understood: pure parsing, no Django.

One box takes names, dates of birth, phone numbers, MRNs and SSNs, alone or mixed ("smith jo
3/14/82", "jonah 555-201-7788"). Identifiers are recognized by their shape and cut out of the text
first; what is left is folded into name words. Nothing here raises on odd input: problems come
back as plain-words ``problems`` so the caller can answer with a hint instead of an error.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from medoffice.core.identifiers import mrn_is_valid
from medoffice.patients.rules.names import KEY_MAX, PHONETIC_MARK, clip, soundex, words

MAX_TEXT = 100  # characters read from the box; the rest is ignored
MAX_WORDS = 6  # name words used ("Maria de los Angeles Garcia Lopez" is six)
OLDEST_YEARS = 130  # a four-digit number is a birth year only within this many years

TOO_SHORT = "Type at least 2 letters, a date of birth, a phone number or an MRN."
NOT_A_DATE = "That date does not exist; check the month and the day."
FUTURE_DATE = "That date of birth is in the future."
NOT_AN_MRN = "That number is neither an MRN (8 digits) nor a date of birth."
TRUNCATED = f"Only the first {MAX_TEXT} characters were used."

_SEP = r"[\s.\-]"
_SSN = re.compile(r"(?<![0-9])[0-9]{3}-[0-9]{2}-[0-9]{4}(?![0-9])")
_ISO_DATE = re.compile(r"(?<![0-9])([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])")
_US_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![0-9])")
# "(555) 201-7788", "555.201.7788", "+1 555 201 7788": the area code is bracketed or followed by
# a separator, and a leading 1 needs a "+" or a separator, so "1982 2017788" is not a phone.
_PHONE = re.compile(
    rf"(?<![0-9])(?:\+\s*1{_SEP}*|1{_SEP}+)?"
    rf"(?:\(\s*([0-9]{{3}})\s*\)|([0-9]{{3}})(?={_SEP})){_SEP}*([0-9]{{3}}){_SEP}*([0-9]{{4}})"
    r"(?![0-9])"
)
_BARE_PHONE = re.compile(r"(?<![0-9])(?:\+?1)?([0-9]{10})(?![0-9])")
_LOCAL_PHONE = re.compile(r"(?<![0-9])([0-9]{3})[.\-]?([0-9]{4})(?![0-9])")
_DIGITS = re.compile(r"[0-9]+")
_LABELS = frozenset({"mrn", "dob", "ssn", "ph", "phone", "tel", "cell", "born"})


@dataclass(frozen=True)
class PatientQuery:
    """The parts of one search text; empty values mean "not given"."""

    words: tuple[str, ...] = ()  # folded name words, as typed
    last_words: tuple[str, ...] = ()  # "Smith, John": the part before the comma...
    first_words: tuple[str, ...] = ()  # ...and after it (both empty without a comma)
    dates: tuple[dt.date, ...] = ()  # exact dates of birth (any of them)
    birth_year: int | None = None
    phone: str = ""  # 10 digits
    local_phone: str = ""  # 7 digits, no area code
    mrn: str = ""
    ssn: str = ""  # 9 digits
    mrn_or_date: bool = False  # the MRN's digits also read as the date(s)
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def comma_form(self) -> bool:
        return bool(self.last_words and self.first_words)

    @property
    def phrase(self) -> str:
        """The name as a key prefix: "last first" for the comma form, else as typed."""
        parts = (*self.last_words, *self.first_words) if self.comma_form else self.words
        return clip(" ".join(parts))

    @property
    def phone_digits(self) -> str:
        return self.phone or self.local_phone

    @property
    def kinds(self) -> tuple[str, ...]:
        """What the text was understood as, most selective first."""
        found = [
            ("mrn", bool(self.mrn)),
            ("ssn", bool(self.ssn)),
            ("phone", bool(self.phone_digits)),
            ("dob", bool(self.dates)),
            ("name", bool(self.words)),
            ("year", self.birth_year is not None),
        ]
        return tuple(kind for kind, present in found if present)


def phonetic_phrases(query: PatientQuery) -> list[str]:
    """Key prefixes of the sound-alike keys: Soundex of the last name, then the first words.

    Without a comma either end may be the last name ("smyth jo", "jo smyth"), so both are tried.
    """
    if query.comma_form:
        candidates = [(query.last_words, query.first_words)]
    else:
        found = query.words
        candidates = [(found[:1], found[1:])]
        if len(found) > 1:
            candidates.append((found[-1:], found[:-1]))
    phrases: list[str] = []
    for last, first in candidates:
        code = soundex("".join(last))
        if code:
            phrase = clip(" ".join([PHONETIC_MARK + code, *first]))
            if phrase not in phrases:
                phrases.append(phrase)
    return phrases


def words_match(query_words: Iterable[str], key: str) -> bool:
    """Every query word starts a different word of the key, in any order ("jo smi")."""
    remaining = key.split(" ")
    for word in sorted(query_words, key=len, reverse=True):
        for i, candidate in enumerate(remaining):
            if candidate.startswith(word):
                del remaining[i]
                break
        else:
            return False
    return True


def name_matches(query: PatientQuery, keys: Iterable[str]) -> str:
    """How a patient's keys match the query's name: "name", "phonetic" or "" (no match)."""
    keys = list(keys)
    phrase = query.phrase
    plain = [k for k in keys if not k.startswith(PHONETIC_MARK)]
    if any(k.startswith(phrase) for k in plain) or any(words_match(query.words, k) for k in plain):
        return "name"
    sounds = phonetic_phrases(query)
    if any(k.startswith(p) for k in keys for p in sounds if k.startswith(PHONETIC_MARK)):
        return "phonetic"
    return ""


# ---- parsing ---------------------------------------------------------------------------------


def _clean(text: str) -> tuple[str, bool]:
    """NFKC (full-width digits become ASCII), symbols and controls (emoji) become spaces."""
    normal = unicodedata.normalize("NFKC", str(text or ""))
    kept = []
    for ch in normal:
        category = unicodedata.category(ch)
        if ch in "\t\n\r" or (category[0] == "C") or (ord(ch) > 127 and category[0] == "S"):
            kept.append(" ")
        else:
            kept.append(ch)
    cleaned = "".join(kept)
    return cleaned[:MAX_TEXT], len(cleaned.strip()) > MAX_TEXT


def _past_year(two_digits: int, today: dt.date) -> int:
    """Two-digit years: 82 -> 1982, 05 -> 2005, the most recent such year not after this one."""
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class _Reader:
    """Cuts recognized pieces out of the text, leaving what may be a name."""

    def __init__(self, text: str, today: dt.date) -> None:
        self.rest = text
        self.today = today
        self.dates: list[dt.date] = []
        self.phone = ""
        self.local_phone = ""
        self.mrn = ""
        self.ssn = ""
        self.year: int | None = None
        self.mrn_or_date = False
        self.problems: list[str] = []
        self.ignored = 0

    def _cut(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        found = list(pattern.finditer(self.rest))
        for match in reversed(found):
            start, end = match.span()
            self.rest = self.rest[:start] + " " + self.rest[end:]
        return found

    def _add_date(self, found: dt.date | None) -> None:
        if found is None:
            self.problems.append(NOT_A_DATE)
        elif found > self.today:
            self.problems.append(FUTURE_DATE)
        elif not self.dates:
            self.dates.append(found)
        else:
            self.ignored += 1

    def read_ssn(self) -> None:
        for match in self._cut(_SSN):
            self.ssn = self.ssn or match.group().replace("-", "")

    def read_dates(self) -> None:
        for match in self._cut(_ISO_DATE):
            self._add_date(_date(int(match[1]), int(match[3]), int(match[4])))
        for match in self._cut(_US_DATE):
            year = int(match[4])
            year = _past_year(year, self.today) if len(match[4]) == 2 else year
            found = _date(year, int(match[1]), int(match[3]))
            if found is not None and len(match[4]) == 2 and found > self.today:
                found = _date(year - 100, int(match[1]), int(match[3]))
            self._add_date(found)

    def read_phones(self) -> None:
        for match in self._cut(_PHONE):
            self.phone = self.phone or (match[1] or match[2]) + match[3] + match[4]
        for match in self._cut(_BARE_PHONE):
            self.phone = self.phone or match[1]
        for match in self._cut(_LOCAL_PHONE):
            self.local_phone = self.local_phone or match[1] + match[2]

    def read_numbers(self) -> None:
        for match in self._cut(_DIGITS):
            self._number(match.group())

    def _number(self, digits: str) -> None:
        if len(digits) == 8:
            self._eight(digits)
        elif len(digits) == 9:
            self.ssn = self.ssn or digits
        elif len(digits) == 6:
            self._six(digits)
        elif len(digits) == 4 and self._is_birth_year(int(digits)):
            self.year = self.year if self.year is not None else int(digits)
        else:
            self.ignored += 1

    def _is_birth_year(self, year: int) -> bool:
        return self.today.year - OLDEST_YEARS <= year <= self.today.year

    def _eight(self, digits: str) -> None:
        """MMDDYYYY, YYYYMMDD or an MRN (all three may fit the same digits)."""
        readings = [
            _date(int(digits[4:]), int(digits[:2]), int(digits[2:4])),
            _date(int(digits[:4]), int(digits[4:6]), int(digits[6:])),
        ]
        dates = [
            d for d in readings if d is not None and d <= self.today and self._is_birth_year(d.year)
        ]
        is_mrn = mrn_is_valid(digits)
        if is_mrn and not self.mrn:
            self.mrn = digits
        if dates and not self.dates:
            self.dates.extend(dict.fromkeys(dates))
            self.mrn_or_date = is_mrn and self.mrn == digits
        if not is_mrn and not dates:
            future = any(d is not None and d > self.today for d in readings)
            self.problems.append(FUTURE_DATE if future else NOT_AN_MRN)

    def _six(self, digits: str) -> None:
        """MMDDYY, as some desks type a date of birth."""
        year = _past_year(int(digits[4:]), self.today)
        found = _date(year, int(digits[:2]), int(digits[2:4]))
        if found is not None and found > self.today:
            found = _date(year - 100, int(digits[:2]), int(digits[2:4]))
        if found is None:
            self.ignored += 1
        else:
            self._add_date(found)


def _name_words(text: str, *, drop: frozenset[str] = frozenset()) -> list[str]:
    """Folded words with a letter in them; numbers left over were not understood."""
    found = [w for w in words(text) if any(ch.isalpha() for ch in w) and w not in drop]
    return [w[:KEY_MAX] for w in found[:MAX_WORDS]]


def _split_comma(rest: str, drop: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ "Smith, John" -> (("smith",), ("john",)); ((), ()) unless both sides hold a name."""
    if "," not in rest:
        return (), ()
    before, after = rest.split(",", 1)
    last = _name_words(before, drop=drop)
    first = _name_words(after, drop=drop)[: max(MAX_WORDS - len(last), 0)]
    if not last or not first:
        return (), ()
    return tuple(last), tuple(first)


def parse_query(text: str, *, today: dt.date) -> PatientQuery:
    """Understand one search text; never raises, every part bounded in size."""
    cleaned, truncated = _clean(text)
    reader = _Reader(cleaned, today)
    reader.read_ssn()
    reader.read_dates()
    reader.read_phones()
    reader.read_numbers()
    labelled = bool(
        reader.dates
        or reader.phone
        or reader.local_phone
        or reader.mrn
        or reader.ssn
        or reader.year is not None
    )
    drop = _LABELS if labelled else frozenset()
    last, first = _split_comma(reader.rest, drop)
    return PatientQuery(
        words=tuple(_name_words(reader.rest, drop=drop)),
        last_words=last,
        first_words=first,
        dates=tuple(reader.dates),
        birth_year=reader.year,
        phone=reader.phone,
        local_phone=reader.local_phone,
        mrn=reader.mrn,
        ssn=reader.ssn,
        mrn_or_date=reader.mrn_or_date,
        problems=tuple(dict.fromkeys(reader.problems)),
        notes=(TRUNCATED,) if truncated else (),
    )
