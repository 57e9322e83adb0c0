"""Scoring a new or edited patient against an existing one: pure functions, no Django.

A candidate is shown to the desk when its score reaches ``THRESHOLD``. The weights make the
classic cases show and the everyday family cases not:
- same SSN (60) alone; same date of birth (30) with a similar first and last name (35);
- a maiden-name change: same birth date and first name, another last name (45), shows once a
  second sign agrees (the phone or e-mail, 70): birth date and first name alone match about one
  new patient in four at a million records;
- Jr/Sr sharing a phone: same phone (25) and first name (20) and last name (15);
- twins (same birth and last name, 45) and siblings sharing a phone and a last name (40) do not
  show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import jellyfish

from medoffice.patients.rules.names import fold

THRESHOLD = 50
SSN, BIRTH_DATE, FIRST, LAST, PHONE, EMAIL = 60, 30, 20, 15, 25, 25
FIRST_ONLY = 15  # a first name alone is weak evidence: common names repeat
SIMILAR = 0.88

# Common nicknames the desk meets; both directions are checked.
NICKNAMES: dict[str, set[str]] = {
    "william": {"bill", "will", "billy", "liam"},
    "robert": {"bob", "rob", "bobby", "robbie"},
    "richard": {"rick", "dick", "rich"},
    "elizabeth": {"liz", "beth", "betty", "eliza", "lisa"},
    "margaret": {"maggie", "peggy", "meg"},
    "jonathan": {"jon", "jonny"},
    "jonah": {"jon"},
    "john": {"jack", "johnny"},
    "james": {"jim", "jimmy", "jamie"},
    "katherine": {"kate", "kathy", "katie"},
    "catherine": {"cathy", "cate", "katie"},
    "michael": {"mike", "mikey"},
    "christopher": {"chris"},
    "christina": {"chris", "tina"},
    "jennifer": {"jen", "jenny"},
    "joseph": {"joe", "joey"},
    "jose": {"pepe"},
    "francisco": {"paco", "pancho"},
    "alexander": {"alex", "sasha"},
    "alexandra": {"alex", "sasha"},
    "daniel": {"dan", "danny"},
    "thomas": {"tom", "tommy"},
    "anthony": {"tony"},
    "steven": {"steve"},
    "stephen": {"steve"},
    "patricia": {"pat", "patty", "trish"},
    "susan": {"sue", "suzy"},
    "deborah": {"deb", "debbie"},
    "samuel": {"sam"},
    "samantha": {"sam"},
    "benjamin": {"ben"},
    "nicholas": {"nick"},
    "edward": {"ed", "eddie", "ted"},
    "theodore": {"ted", "teddy", "theo"},
}


@dataclass(frozen=True)
class Person:
    """The facts compared, already folded and normalized by the caller."""

    last: str
    first: str
    birth_date: dt.date | None = None
    other_lasts: frozenset[str] = field(default_factory=frozenset)  # previous names
    phones: frozenset[str] = field(default_factory=frozenset)  # 10 digits each
    ssn_digest: str = ""
    email: str = ""


@dataclass(frozen=True)
class Score:
    points: int
    reasons: tuple[str, ...]

    @property
    def is_candidate(self) -> bool:
        return self.points >= THRESHOLD


def _nick_match(a: str, b: str) -> bool:
    return b in NICKNAMES.get(a, set()) or a in NICKNAMES.get(b, set())


def first_names_match(a: str, b: str) -> bool:
    a, b = fold(a).split(" ")[0] if a else "", fold(b).split(" ")[0] if b else ""
    if not a or not b:
        return False
    if a == b or _nick_match(a, b):
        return True
    if len(a) >= 3 and len(b) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    return jellyfish.jaro_winkler_similarity(a, b) >= SIMILAR


def last_names_match(a: str, others_a: frozenset[str], b: str, others_b: frozenset[str]) -> bool:
    names_a = {fold(a), *(fold(x) for x in others_a)} - {""}
    names_b = {fold(b), *(fold(x) for x in others_b)} - {""}
    for x in names_a:
        for y in names_b:
            if x == y or jellyfish.jaro_winkler_similarity(x, y) >= SIMILAR:
                return True
            # compound names: "garcia lopez" vs "lopez"
            if set(x.split(" ")) & set(y.split(" ")):
                return True
    return False


def score(new: Person, old: Person) -> Score:
    points = 0
    reasons: list[str] = []
    if new.ssn_digest and new.ssn_digest == old.ssn_digest:
        points += SSN
        reasons.append("Same SSN")
    same_birth = new.birth_date is not None and new.birth_date == old.birth_date
    if same_birth:
        points += BIRTH_DATE
        reasons.append("Same date of birth")
    first = first_names_match(new.first, old.first)
    last = last_names_match(new.last, new.other_lasts, old.last, old.other_lasts)
    if first and last:
        points += FIRST + LAST
        reasons.append("Similar name")
    elif first:
        points += FIRST_ONLY
        reasons.append("Similar first name, different last name (a name change?)")
    elif last:
        points += LAST
        reasons.append("Similar last name")
    if new.phones & old.phones:
        points += PHONE
        reasons.append("Same phone number")
    if new.email and new.email == old.email:
        points += EMAIL
        reasons.append("Same email address")
    return Score(min(points, 100), tuple(reasons))
