"""Member ID rules, without a database: Medicare MBIs (which position is wrong), a payer's own
pattern, and the general shape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medoffice.insurance.rules.member_ids import (
    member_id_problem,
    normalize_member_id,
    pattern_problem,
)


def medicare(member_id: str) -> str:
    return member_id_problem(member_id, plan_type="medicare", pattern="")


def commercial(member_id: str, pattern: str = "") -> str:
    return member_id_problem(member_id, plan_type="ppo", pattern=pattern)


def test_a_medicare_mbi_with_dashes_is_fine_and_stored_without_them():
    assert medicare("1EG4-TE5-MK73") == ""
    assert normalize_member_id(" 1eg4-te5-mk73 ", plan_type="medicare") == "1EG4TE5MK73"


@pytest.mark.parametrize(
    ("member_id", "expected"),
    [
        ("1EG4TE5MK7", "has 11 characters (dashes do not count); this one has 10."),
        ("0EG4TE5MK73", "1st character of the MBI must be a digit from 1 to 9; it is the digit 0"),
        (
            "11G4TE5MK73",
            "2nd character of the MBI must be a letter; it is the digit 1 (position 2).",
        ),
        ("1ES4TE5MK73", "3rd character of the MBI must be a letter or a digit, but not S: MBIs"),
        (
            "1EGATE5MK73",
            "4th character of the MBI must be a digit; it is the letter A (position 4).",
        ),
        ("1EG4BE5MK73", "5th character of the MBI must be a letter, but not B"),
        (
            "1EG4TE5M173",
            "9th character of the MBI must be a letter; it is the digit 1 (position 9).",
        ),
        ("1EG4TE5MK7Y", "11th character of the MBI must be a digit; it is the letter Y"),
        ("1EG4TE5MK7#", "it is a symbol (position 11)."),
    ],
)
def test_a_wrong_mbi_names_the_position(member_id, expected):
    assert expected in medicare(member_id)


def test_an_excluded_letter_is_named_with_the_whole_rule():
    assert medicare("1ES4TE5MK73") == (
        "The 3rd character of the MBI must be a letter or a digit, but not S: MBIs never use "
        "the letters S, L, O, I, B or Z (position 3)."
    )


def test_an_empty_medicare_id_asks_for_the_mbi():
    assert "Medicare Beneficiary Identifier" in medicare("  ")


def test_medicare_rules_win_over_a_payer_pattern():
    assert member_id_problem("1EG4TE5MK73", plan_type="medicare", pattern=r"X\d+") == ""


def test_medicare_advantage_ids_are_the_plans_own_not_mbis():
    assert member_id_problem("H1234-5678", plan_type="medicare_adv", pattern="") == ""


def test_a_payers_pattern_must_match_the_whole_id():
    pattern = r"ACM\d{9}"
    assert commercial("ACM123456789", pattern) == ""
    assert "expected format: ACM\\d{9}" in commercial("ACM12345678", pattern)
    assert commercial("XACM123456789", pattern) != ""


def test_an_invalid_pattern_falls_back_to_the_general_rule():
    assert commercial("AB-12", "([") == ""
    assert "valid regular expression" in pattern_problem("([")
    assert pattern_problem("") == pattern_problem(r"\d+") == ""


@pytest.mark.parametrize("member_id", ["A", "AB 12", "AB_12", "AB12!", "X" * 41])
def test_without_a_pattern_ids_are_2_to_40_letters_digits_or_dashes(member_id):
    assert commercial(member_id) != ""


@pytest.mark.parametrize("member_id", ["AB", "W123-456-789", "x" * 40])
def test_ordinary_ids_are_fine(member_id):
    assert commercial(member_id) == ""


def test_the_message_never_repeats_the_id():
    assert "ZZQ" not in commercial("ZZQ 99")
    assert "1EG4" not in medicare("1EG4TE5MK7")


@given(st.text(max_size=60), st.sampled_from(["medicare", "ppo", "hmo", "medicaid"]))
def test_any_text_gives_ok_or_a_sentence(member_id, plan_type):
    answer = member_id_problem(member_id, plan_type=plan_type, pattern="")
    assert answer == "" or answer.endswith(".")
