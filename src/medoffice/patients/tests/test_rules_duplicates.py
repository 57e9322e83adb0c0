# ruff: noqa: E501  (one case per line reads best)
"""Duplicate scoring: the classic duplicates show, everyday families do not."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medoffice.patients.rules.duplicates import THRESHOLD, Person, first_names_match, score

BORN = dt.date(1990, 5, 2)
PHONE = frozenset({"5552017788"})


@pytest.mark.parametrize(
    ("new", "old", "shown"),
    [
        # the same person typed twice, a nickname, a typo
        (Person("Smith", "Jonah", BORN), Person("Smith", "Jon", BORN), True),
        (Person("Smith", "William", BORN), Person("Smith", "Bill", BORN), True),
        (Person("Nguyen", "Thanh", BORN), Person("Nguyễn", "Thahn", BORN), True),
        # maiden name: shown when the phone (or e-mail) agrees too
        (Person("Smith", "Maria", BORN, phones=PHONE), Person("Lopez", "Maria", BORN, phones=PHONE), True),
        (Person("Smith", "Maria", BORN), Person("Lopez", "Maria", BORN), False),
        (Person("Smith", "Maria", BORN, other_lasts=frozenset({"Lopez"})), Person("Lopez", "Maria", BORN), True),
        # same SSN whatever the rest says
        (Person("A", "B", ssn_digest="x" * 64), Person("C", "D", ssn_digest="x" * 64), True),
        # Jr and Sr on one phone
        (Person("Smith", "John", dt.date(1960, 1, 1), phones=PHONE), Person("Smith", "John", dt.date(1990, 1, 1), phones=PHONE), True),
        # twins, siblings, a parent: not duplicates
        (Person("Smith", "Emma", BORN), Person("Smith", "Olivia", BORN), False),
        (Person("Smith", "Emma", dt.date(2015, 1, 1), phones=PHONE), Person("Smith", "Noah", BORN, phones=PHONE), False),
        (Person("Smith", "Anna", dt.date(1988, 1, 1), phones=PHONE), Person("Smith", "Jonah", dt.date(2022, 3, 14), phones=PHONE), False),
    ],
)  # fmt: skip
def test_who_is_shown_as_a_possible_duplicate(new: Person, old: Person, shown: bool) -> None:
    assert score(new, old).is_candidate is shown


def test_reasons_name_what_matched() -> None:
    result = score(
        Person("Smith", "Maria", BORN, phones=PHONE), Person("Lopez", "Maria", BORN, phones=PHONE)
    )
    assert result.points == 70
    assert result.reasons == (
        "Same date of birth",
        "Similar first name, different last name (a name change?)",
        "Same phone number",
    )


def test_first_names_compare_by_nickname_prefix_and_spelling() -> None:
    assert first_names_match("Jonathan", "Jon")
    assert first_names_match("Zoë", "zoe")
    assert not first_names_match("Emma", "Olivia")
    assert not first_names_match("", "Olivia")


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü -'", max_size=20)


@given(names, names, names, names)
def test_score_is_symmetric_and_bounded(a_last, a_first, b_last, b_first) -> None:
    a, b = Person(a_last, a_first, BORN), Person(b_last, b_first, BORN)
    assert score(a, b).points == score(b, a).points
    assert 0 <= score(a, b).points <= 100
    assert THRESHOLD == 50
