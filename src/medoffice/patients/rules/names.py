"""Name folding and search keys: pure functions, no Django.

Folding makes search case-, accent- and punctuation-insensitive: "Núñez-O'Brien" -> "nunez obrien".
Apostrophes join ("O'Brien" -> "obrien"), every other non-alphanumeric character separates words.

Each patient gets a few *search keys*, folded name phrases stored in an indexed, byte-ordered
column, so "smith jo", "Smith, John", "john smith" and a maiden name are all one index range scan:
- last words + first words ("smith jonah"), and first + last ("jonah smith");
- each trailing part of a compound last name + first ("lopez maria" for "Garcia Lopez, Maria");
- the same for the preferred first name and every previous name;
- a phonetic key, PHONETIC_MARK + Soundex of the last name + first ("~s530 jonah"), so "smyth jo"
  still finds Smith when nothing is spelled that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish
from anyascii import anyascii

KEY_MAX = 80
PHONETIC_MARK = "~"
RANGE_END = "\x7f"  # sorts after every character a key may contain
_APOSTROPHES = re.compile(r"['\u2019`\u00b4]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits separated by single spaces."""
    ascii_text = anyascii(text or "").lower()
    ascii_text = _APOSTROPHES.sub("", ascii_text)
    return _SEPARATORS.sub(" ", ascii_text).strip()


def words(text: str) -> list[str]:
    folded = fold(text)
    return folded.split(" ") if folded else []


def soundex(word: str) -> str:
    """American Soundex of a folded word, lowercased ("smith" -> "s530")."""
    letters = "".join(ch for ch in word if ch.isalpha())
    return jellyfish.soundex(letters).lower() if letters else ""


def phonetic_key(last_words: Sequence[str], first_words: Sequence[str]) -> str:
    code = soundex("".join(last_words))
    if not code:
        return ""
    return clip(" ".join([PHONETIC_MARK + code, *first_words]))


def clip(key: str) -> str:
    return key[:KEY_MAX].rstrip()


@dataclass(frozen=True)
class NameParts:
    last: str
    first: str


def _keys_for(last: Sequence[str], first: Sequence[str]) -> set[str]:
    keys: set[str] = set()
    if last:
        keys.add(clip(" ".join([*last, *first])))
        for i in range(1, len(last)):
            keys.add(clip(" ".join([*last[i:], *first])))
        phonetic = phonetic_key(last, first)
        if phonetic:
            keys.add(phonetic)
    if first:
        keys.add(clip(" ".join([*first, *last])))
    return {k for k in keys if k}


def search_keys(names: Iterable[NameParts]) -> set[str]:
    """Every key of a patient, given the legal, preferred and previous names."""
    keys: set[str] = set()
    for name in names:
        keys |= _keys_for(words(name.last), words(name.first))
    return keys


def prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds (inclusive, exclusive) of the keys that start with ``prefix``."""
    return prefix, prefix + RANGE_END
