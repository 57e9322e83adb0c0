"""Reading the search box: pure parsing, no database."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medoffice.patients.rules.names import KEY_MAX
from medoffice.patients.rules.query import (
    FUTURE_DATE,
    MAX_TEXT,
    MAX_WORDS,
    NOT_A_DATE,
    NOT_AN_MRN,
    TRUNCATED,
    PatientQuery,
    name_matches,
    parse_query,
    phonetic_phrases,
    words_match,
)

TODAY = dt.date(2026, 5, 1)
BORN = dt.date(1982, 3, 14)


def parse(text: str) -> PatientQuery:
    return parse_query(text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "words", "comma"),
    [
        ("smith jo", ("smith", "jo"), False),
        ("Smith, John", ("smith", "john"), True),
        ("Smith,John", ("smith", "john"), True),
        ("john smith", ("john", "smith"), False),
        ("  JOHN   SMITH  ", ("john", "smith"), False),
        ("José", ("jose",), False),
        ("Zoë", ("zoe",), False),
        ("O'Brien", ("obrien",), False),
        ("O\u2019Brien", ("obrien",), False),
        ("Garcia-Lopez", ("garcia", "lopez"), False),
        ("\uff33\uff2d\uff29\uff34\uff28", ("smith",), False),
        ("smith,", ("smith",), False),
    ],
)
def test_names_are_folded_words(text, words, comma):
    # when
    query = parse(text)
    # then
    assert (query.words, query.comma_form, query.kinds) == (words, comma, ("name",))


def test_comma_form_keeps_last_and_first_apart():
    query = parse("Garcia Lopez, Maria Jose")
    assert (query.last_words, query.first_words) == (("garcia", "lopez"), ("maria", "jose"))
    assert query.phrase == "garcia lopez maria jose"


@pytest.mark.parametrize(
    "text",
    ["03/14/1982", "3/14/82", "3-14-1982", "03.14.82", "1982-03-14", "1982/03/14", "03141982",
     "031482", "19820314"],
)  # fmt: skip
def test_dates_of_birth_in_the_forms_the_desk_types(text):
    query = parse(text)
    assert (query.dates, query.kinds, query.problems, query.words) == ((BORN,), ("dob",), (), ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/1/26", dt.date(2026, 1, 1)),  # this year, already past
        ("12/25/26", dt.date(1926, 12, 25)),  # would be in the future: a century earlier
        ("5/1/26", dt.date(2026, 5, 1)),  # today
        ("6/30/00", dt.date(2000, 6, 30)),
        ("6/30/99", dt.date(1999, 6, 30)),
    ],
)
def test_two_digit_years_are_the_most_recent_past_year(text, expected):
    assert parse(text).dates == (expected,)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("02/30/1982", NOT_A_DATE),
        ("13/01/1982", NOT_A_DATE),
        ("1982-02-30", NOT_A_DATE),
        ("03/14/2090", FUTURE_DATE),
        ("03142090", FUTURE_DATE),
        ("12345678", NOT_AN_MRN),
    ],
)
def test_impossible_dates_and_numbers_are_problems_not_errors(text, problem):
    query = parse(text)
    assert (query.problems, query.dates, query.mrn) == ((problem,), (), "")


@pytest.mark.parametrize(
    ("text", "phone", "local"),
    [
        ("(555) 201-7788", "5552017788", ""),
        ("555.201.7788", "5552017788", ""),
        ("555-201-7788", "5552017788", ""),
        ("+1 555 201 7788", "5552017788", ""),
        ("1-555-201-7788", "5552017788", ""),
        ("+15552017788", "5552017788", ""),
        ("5552017788", "5552017788", ""),
        ("(555)201-7788", "5552017788", ""),
        ("201-7788", "", "2017788"),
        ("2017788", "", "2017788"),
    ],
)
def test_phone_numbers_with_and_without_area_code(text, phone, local):
    query = parse(text)
    assert (query.phone, query.local_phone, query.kinds) == (phone, local, ("phone",))


def test_a_year_followed_by_a_local_number_is_not_one_long_phone():
    query = parse("smith 1982 2017788")
    assert (query.birth_year, query.local_phone, query.phone) == (1982, "2017788", "")


def test_mrn_ssn_and_year():
    assert (parse("10000016").mrn, parse("10000016").kinds) == ("10000016", ("mrn",))
    assert (parse("123-45-6789").ssn, parse("123456789").ssn) == ("123456789", "123456789")
    assert (parse("smith 1982").birth_year, parse("smith 1982").kinds) == (1982, ("name", "year"))
    assert parse("smith 1850").birth_year is None  # too long ago to be anyone's birth year


def test_eight_digits_that_are_both_an_mrn_and_a_date():
    # given 03141983 has a valid check digit and is also 03/14/1983
    query = parse("03141983")
    assert (query.mrn, query.dates, query.mrn_or_date) == (
        "03141983",
        (dt.date(1983, 3, 14),),
        True,
    )
    assert query.kinds == ("mrn", "dob")


def test_mixed_queries():
    query = parse("smith jo 3/14/82")
    assert (query.words, query.dates, query.kinds) == (("smith", "jo"), (BORN,), ("dob", "name"))
    query = parse("jonah 555-201-7788")
    assert (query.words, query.phone, query.kinds) == (("jonah",), "5552017788", ("phone", "name"))


def test_labels_typed_before_an_identifier_are_not_names():
    assert parse("MRN 10000016").words == ()
    assert parse("DOB: 3/14/82").words == ()
    assert parse("mrn").words == ("mrn",)  # alone it may be a name being typed


@pytest.mark.parametrize("text", ["", "   ", "%", "_", "\\", "!!!", "😀", "<>", "--", "'"])
def test_nothing_usable(text):
    query = parse(text)
    assert (query.kinds, query.problems, query.phrase) == ((), (), "")


def test_metacharacters_fold_away():
    assert parse("'; DROP TABLE patients;--").words == ("drop", "table", "patients")
    assert parse("<script>alert(1)</script>").words == ("script", "alert", "script")
    assert parse("smi%th_").words == ("smi", "th")


def test_long_text_is_capped():
    query = parse("a" * 400)
    assert query.notes == (TRUNCATED,)
    assert query.words == ("a" * KEY_MAX,)
    many = parse(" ".join(f"w{chr(97 + i)}" for i in range(20)))
    assert len(many.words) == MAX_WORDS


def test_phonetic_phrases_try_both_ends_as_the_last_name():
    assert phonetic_phrases(parse("smyth jo")) == ["~s530 jo", "~j000 smyth"]
    assert phonetic_phrases(parse("Smyth, Jo")) == ["~s530 jo"]
    assert phonetic_phrases(parse("smyth")) == ["~s530"]


def test_words_match_in_any_order_each_word_once():
    assert words_match(["smi", "jo"], "smith jonah")
    assert words_match(["jo", "smi"], "smith jonah")
    assert not words_match(["jo", "jon"], "smith jonah")
    assert not words_match(["smi", "an"], "smith jonah")


def test_name_matches_reports_how():
    keys = ["smith jonah", "jonah smith", "~s530 jonah"]
    assert name_matches(parse("jonah smi"), keys) == "name"
    assert name_matches(parse("smyth jonah"), keys) == "phonetic"
    assert name_matches(parse("brown"), keys) == ""


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=600))
def test_any_text_parses_within_bounds(text):
    # when
    query = parse(text)
    # then nothing raised and every part is bounded
    assert len(query.words) <= MAX_WORDS
    assert all(0 < len(w) <= KEY_MAX for w in query.words)
    assert len(query.phrase) <= KEY_MAX
    assert len(query.last_words) + len(query.first_words) <= MAX_WORDS
    assert query.phone == "" or (len(query.phone) == 10 and query.phone.isdigit())
    assert query.local_phone == "" or (len(query.local_phone) == 7 and query.local_phone.isdigit())
    assert query.ssn == "" or (len(query.ssn) == 9 and query.ssn.isdigit())
    assert query.mrn == "" or len(query.mrn) == 8
    assert all(d <= TODAY for d in query.dates)
    assert len(query.dates) <= 2
    assert set(query.kinds) <= {"mrn", "ssn", "phone", "dob", "name", "year"}
    assert len(unicodedata.normalize("NFKC", text)) > MAX_TEXT or query.notes == ()


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_every_past_date_reads_back_in_every_format(born):
    for text in (f"{born:%m/%d/%Y}", f"{born:%Y-%m-%d}", f"{born.month}/{born.day}/{born:%Y}"):
        assert parse(text).dates == (born,)
