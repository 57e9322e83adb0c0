"""Medicare Beneficiary Identifier format rules (CMS): property tests over generated MBIs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medoffice.core.identifiers import (
    MBI_EXCLUDED_LETTERS,
    MBI_LAYOUT,
    MBI_LETTERS,
    mbi_is_valid,
    normalize_mbi,
)

ALLOWED = {
    "C": "123456789",
    "N": "0123456789",
    "A": MBI_LETTERS,
    "AN": MBI_LETTERS + "0123456789",
}
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def mbis(draw: st.DrawFn) -> str:
    return "".join(draw(st.sampled_from(ALLOWED[kind])) for kind in MBI_LAYOUT)


def dashed(mbi: str) -> str:
    """As printed on the card: 1EG4-TE5-MK73."""
    return f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}"


def test_the_cms_example_is_valid_with_and_without_dashes():
    assert mbi_is_valid("1EG4TE5MK73")
    assert mbi_is_valid("1EG4-TE5-MK73")
    assert normalize_mbi(" 1eg4-te5-mk73 ") == "1EG4TE5MK73"


def test_the_letters_exclude_s_l_o_i_b_z():
    assert set(MBI_LETTERS) | set(MBI_EXCLUDED_LETTERS) == set(UPPER)
    assert not set(MBI_LETTERS) & set(MBI_EXCLUDED_LETTERS)


@given(mbis())
def test_every_generated_mbi_is_valid(mbi: str):
    assert mbi_is_valid(mbi)


@given(mbis())
def test_dashes_are_allowed_on_entry_and_stripped(mbi: str):
    assert mbi_is_valid(dashed(mbi))
    assert normalize_mbi(dashed(mbi)) == mbi


@given(mbis(), st.integers(min_value=0, max_value=10), st.sampled_from(UPPER + "0123456789"))
def test_a_character_not_allowed_at_its_position_makes_it_invalid(mbi: str, index: int, char: str):
    kind = MBI_LAYOUT[index]
    changed = mbi[:index] + char + mbi[index + 1 :]
    assert mbi_is_valid(changed) is (char in ALLOWED[kind])


@given(mbis(), st.sampled_from(MBI_EXCLUDED_LETTERS))
def test_an_excluded_letter_anywhere_makes_it_invalid(mbi: str, letter: str):
    for index in range(11):
        assert not mbi_is_valid(mbi[:index] + letter + mbi[index + 1 :])


@given(mbis())
def test_one_character_too_few_or_too_many_is_invalid(mbi: str):
    assert not mbi_is_valid(mbi[:-1])
    assert not mbi_is_valid(mbi + "1")


def test_position_one_is_never_zero():
    assert not mbi_is_valid("0EG4TE5MK73")


@given(st.text(max_size=30))
def test_any_text_gives_an_answer_and_normalizing_twice_changes_nothing(text: str):
    assert mbi_is_valid(text) in (True, False)
    assert normalize_mbi(normalize_mbi(text)) == normalize_mbi(text)
    if mbi_is_valid(text):
        assert len(normalize_mbi(text)) == 11
