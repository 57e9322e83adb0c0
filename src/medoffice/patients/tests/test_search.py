"""The patient search engine on the real database: every form the desk types, and odd input."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medoffice.patients import services
from medoffice.patients.models import MrnCounter, Patient, PatientSearchKey
from medoffice.patients.rules.query import FUTURE_DATE, NOT_A_DATE, TOO_SHORT, TRUNCATED
from medoffice.patients.search import (
    MERGED_MRN,
    SOUNDS_ALIKE,
    SearchResult,
    explain_search,
    search_patients,
)
from medoffice.patients.tests import factories

pytestmark = pytest.mark.django_db

_born = itertools.count()


def make_patient(**values: Any) -> Patient:
    """The shared factory, with birth dates that stay in the past however many tests ran."""
    values.setdefault("birth_date", dt.date(1950, 1, 1) + dt.timedelta(days=next(_born) % 20000))
    return factories.make_patient(**values)


BORN = dt.date(1982, 3, 14)
PHONE = "(555) 201-7788"


@pytest.fixture
def office() -> SimpleNamespace:
    """Jonah "John" Smith, his household and a few look-alike names."""
    jonah = make_patient(
        last_name="Smith",
        first_name="Jonah",
        preferred_name="John",
        middle_name="Avery",
        birth_date=BORN,
        ssn="123-45-6789",
        phones=[{"kind": "mobile", "number": PHONE}],
    )
    anna = make_patient(
        last_name="Smith",
        first_name="Anna",
        birth_date=dt.date(1975, 6, 1),
        phones=[{"kind": "home", "number": "555-201-7788"}],
    )
    joan = make_patient(last_name="Smithers", first_name="Joan", birth_date=dt.date(1982, 7, 4))
    jones = make_patient(last_name="Jones", first_name="Jonah", birth_date=dt.date(1990, 2, 2))
    return SimpleNamespace(jonah=jonah, anna=anna, joan=joan, jones=jones)


def names(result: SearchResult) -> list[str]:
    return [f"{h.patient.last_name}, {h.patient.first_name}" for h in result.hits]


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("smith jo", ["Smith, Jonah"], ("name",)),
        ("Smith, John", ["Smith, Jonah"], ("name",)),
        ("john smith", ["Smith, Jonah"], ("name",)),
        ("SMITH JONAH", ["Smith, Jonah"], ("name",)),
        ("03/14/1982", ["Smith, Jonah"], ("dob",)),
        ("3/14/82", ["Smith, Jonah"], ("dob",)),
        ("1982-03-14", ["Smith, Jonah"], ("dob",)),
        ("03141982", ["Smith, Jonah"], ("dob",)),
        ("(555) 201-7788", ["Smith, Anna", "Smith, Jonah"], ("phone",)),
        ("555.201.7788", ["Smith, Anna", "Smith, Jonah"], ("phone",)),
        ("+1 555 201 7788", ["Smith, Anna", "Smith, Jonah"], ("phone",)),
        ("201-7788", ["Smith, Anna", "Smith, Jonah"], ("phone",)),
        ("123-45-6789", ["Smith, Jonah"], ("ssn",)),
        ("123456789", ["Smith, Jonah"], ("ssn",)),
        ("smith 1982", ["Smith, Jonah", "Smithers, Joan"], ("name", "year")),
        ("smith jo 3/14/82", ["Smith, Jonah"], ("dob", "name")),
        ("jonah 555-201-7788", ["Smith, Jonah"], ("phone", "name")),
        ("jonah", ["Jones, Jonah", "Smith, Jonah"], ("name",)),
        ("😀 smith jo", ["Smith, Jonah"], ("name",)),
    ],
)
def test_every_form_the_desk_types_finds_the_patient(office, text, expected, kinds):
    # when
    result = search_patients(text)
    # then
    assert (names(result), result.kinds, result.message) == (expected, kinds, "")


def test_mrn_finds_exactly_the_patient(office):
    result = search_patients(office.jonah.mrn)
    assert [(h.patient.pk, h.matched) for h in result.hits] == [(office.jonah.pk, "mrn")]
    assert result.kinds == ("mrn",)


def test_what_each_hit_matched(office):
    assert [h.matched for h in search_patients("smith jo").hits] == ["name"]
    assert [h.matched for h in search_patients("3/14/82").hits] == ["dob"]
    assert [h.matched for h in search_patients("201-7788").hits] == ["phone", "phone"]
    assert [h.matched for h in search_patients("123-45-6789").hits] == ["ssn"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nunez jose", "Núñez-O'Brien, José"),
        ("NÚÑEZ", "Núñez-O'Brien, José"),
        ("jose nunez", "Núñez-O'Brien, José"),
        ("o'brien", "Núñez-O'Brien, José"),
        ("obrien jose", "Núñez-O'Brien, José"),
        ("O\u2019Brien, José", "Núñez-O'Brien, José"),
        ("zoe", "Garcia-Lopez, Zoë"),
        ("Zoë garcia", "Garcia-Lopez, Zoë"),
        ("garcia-lopez", "Garcia-Lopez, Zoë"),
        ("garcia lopez", "Garcia-Lopez, Zoë"),
        ("lopez", "Garcia-Lopez, Zoë"),
        ("Lopez, Zoe", "Garcia-Lopez, Zoë"),
    ],
)
def test_case_accents_and_punctuation_do_not_matter(text, expected):
    # given
    make_patient(last_name="Núñez-O'Brien", first_name="José")
    make_patient(last_name="Garcia-Lopez", first_name="Zoë")
    # when
    result = search_patients(text)
    # then
    assert names(result) == [expected]


def test_maiden_and_preferred_names_are_found():
    # given
    kim = make_patient(
        last_name="Reed",
        first_name="Katherine",
        preferred_name="Kit",
        previous_names=[{"kind": "maiden", "last_name": "Kowalski"}],
    )
    # when / then
    for text in ("kowalski", "Kowalski, Katherine", "kat kowalski", "kit reed", "reed kit"):
        assert [h.patient.pk for h in search_patients(text).hits] == [kim.pk], text


def test_misspelled_names_fall_back_to_sound_alikes(office):
    # when
    result = search_patients("smyth jo")
    # then
    assert (names(result), result.message) == (["Smith, Jonah"], SOUNDS_ALIKE)
    assert [h.matched for h in result.hits] == ["phonetic"]
    assert names(search_patients("jonah smyth")) == ["Smith, Jonah"]


@pytest.mark.parametrize("text", ["smi jo", "jo smi", "Smi, Jo", "smit jon"])
def test_partial_words_in_any_order(office, text):
    result = search_patients(text)
    assert names(result)[0] == "Smith, Jonah"
    assert set(names(result)) <= {"Smith, Jonah", "Smithers, Joan"}


def test_partial_words_with_nothing_behind_them_find_nobody(office):
    assert search_patients("smi zz").hits == []


def _merge(duplicate: Patient, survivor: Patient, *, rebuild_keys: bool) -> None:
    Patient.objects.filter(pk=duplicate.pk).update(status="merged", merged_into=survivor)
    if rebuild_keys:
        services.rebuild_search_keys(Patient.objects.get(pk=duplicate.pk))


@pytest.mark.parametrize("rebuild_keys", [True, False])
def test_merged_records_are_never_found(office, rebuild_keys):
    # given a duplicate of Jonah merged into him (its keys left behind in the second case)
    duplicate = make_patient(
        last_name="Smith",
        first_name="Jonah",
        birth_date=BORN,
        phones=[{"kind": "home", "number": PHONE}],
    )
    _merge(duplicate, office.jonah, rebuild_keys=rebuild_keys)
    # when / then
    for text in ("smith jonah", "3/14/82", "jonah 555-201-7788", "smyth jonah", "smi jon"):
        ids = [h.patient.pk for h in search_patients(text).hits]
        assert duplicate.pk not in ids, text
        assert office.jonah.pk in ids, text


def test_a_merged_records_mrn_leads_to_the_kept_record(office):
    # given
    duplicate = make_patient(last_name="Smith", first_name="Jonah", birth_date=BORN)
    _merge(duplicate, office.jonah, rebuild_keys=True)
    # when
    result = search_patients(duplicate.mrn)
    # then
    assert [h.patient.pk for h in result.hits] == [office.jonah.pk]
    assert result.message == MERGED_MRN


def test_an_exact_identifier_ranks_before_the_same_digits_read_as_a_date():
    # given an MRN whose digits also read as 03/14/1983, and a patient born that day
    MrnCounter.objects.update_or_create(pk=1, defaults={"next_number": 314198})
    by_mrn = make_patient(last_name="Zimmer", first_name="Zed")
    by_date = make_patient(last_name="Abbott", first_name="Amy", birth_date=dt.date(1983, 3, 14))
    assert by_mrn.mrn == "03141983"
    # when
    result = search_patients("03141983")
    # then
    assert [(h.patient.pk, h.matched) for h in result.hits] == [
        (by_mrn.pk, "mrn"),
        (by_date.pk, "dob"),
    ]


def test_active_patients_rank_before_inactive_and_deceased():
    # given
    ada = make_patient(last_name="Lindqvist", first_name="Ada", status="inactive")
    bo = make_patient(
        last_name="Lindqvist",
        first_name="Bo",
        status="deceased",
        deceased_date=dt.date(2020, 1, 2),
    )
    cy = make_patient(last_name="Lindqvist", first_name="Cy")
    # when / then
    assert [h.patient.pk for h in search_patients("lindqvist").hits] == [cy.pk, ada.pk, bo.pk]
    active_only = search_patients("lindqvist", include_inactive=False)
    assert [h.patient.pk for h in active_only.hits] == [cy.pk]


def test_names_then_identifiers_narrow_and_say_so_when_nothing_fits(office):
    # when the phone matches but the name typed with it does not
    result = search_patients("brown 555-201-7788")
    # then the phone's matches are shown, with why
    assert names(result) == ["Smith, Anna", "Smith, Jonah"]
    assert result.message == (
        "Nobody matches everything you typed; showing matches by phone number only."
    )


def test_result_limit_keeps_the_first_in_name_order():
    # given
    for first in ("Uma", "Ian", "Eve", "Oda", "Ada", "Ali", "Bea", "Cal", "Dot", "Fay", "Gus"):
        make_patient(last_name="Limitson", first_name=first)
    # when
    result = search_patients("limitson", limit=5)
    # then
    assert [h.patient.first_name for h in result.hits] == ["Ada", "Ali", "Bea", "Cal", "Dot"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", TOO_SHORT),
        ("   ", TOO_SHORT),
        ("j", TOO_SHORT),
        ("%", TOO_SHORT),
        ("_", TOO_SHORT),
        ("\\", TOO_SHORT),
        ("!!!", TOO_SHORT),
        ("😀", TOO_SHORT),
        ("a" * 400, TRUNCATED),
        ("'; DROP TABLE patients_patient; --", ""),
        ("<script>alert(1)</script>", ""),
        ("02/30/1982", NOT_A_DATE),
        ("smith 02/30/1982", NOT_A_DATE),
        ("03/14/2090", FUTURE_DATE),
    ],
)
def test_malformed_input_gives_a_safe_answer_and_changes_nothing(office, text, message):
    # given
    before = (Patient.objects.count(), PatientSearchKey.objects.count())
    # when
    result = search_patients(text)
    # then
    assert (result.hits, result.message) == ([], message)
    assert (Patient.objects.count(), PatientSearchKey.objects.count()) == before


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # searching changes nothing
)
@given(text=st.text(max_size=500))
def test_any_text_gives_a_bounded_answer(office, text):
    result = search_patients(text, limit=5)
    assert len(result.hits) <= 5
    assert len({h.patient.pk for h in result.hits}) == len(result.hits)
    assert all(h.patient.status != "merged" for h in result.hits)
    assert isinstance(result.message, str)


def test_wildcards_are_plain_characters(office):
    assert names(search_patients("%smith%")) == ["Smith, Anna", "Smith, Jonah", "Smithers, Joan"]
    assert search_patients("_mith").hits == []


def test_a_name_search_is_three_statements_whatever_the_hits(django_assert_max_num_queries):
    # given ten patients with two phones each, half with an open alert
    for i in range(10):
        patient = make_patient(
            last_name="Querycount",
            first_name=f"Pat{chr(97 + i)}",
            phones=[
                {"kind": "mobile", "number": f"(555) 410-00{i:02d}"},
                {"kind": "home", "number": f"(555) 420-00{i:02d}"},
            ],
        )
        if i % 2:
            services.add_alert(patient, acting_user=None, kind="other", message="Check ID")
    # when
    with django_assert_max_num_queries(3):
        result = search_patients("querycount", limit=10)
        shown = [
            (h.has_alert, h.primary_phone.display if h.primary_phone else "") for h in result.hits
        ]
    # then
    assert [flag for flag, _ in shown] == [bool(i % 2) for i in range(10)]
    assert shown[0][1] == "(555) 410-0000"


def test_identifier_search_with_a_name_is_a_handful_of_statements(
    office, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert names(search_patients("jonah 555-201-7788")) == ["Smith, Jonah"]
    with django_assert_max_num_queries(3):
        assert names(search_patients(office.jonah.mrn)) == ["Smith, Jonah"]


def test_fallbacks_stay_bounded(office, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        assert names(search_patients("jo smi"))[0] == "Smith, Jonah"
    with django_assert_max_num_queries(5):
        assert names(search_patients("smyth jo")) == ["Smith, Jonah"]


def test_resolved_alerts_do_not_flag_the_hit(office):
    alert = services.add_alert(office.jonah, acting_user=None, kind="other", message="Check ID")
    assert [h.has_alert for h in search_patients("smith jo").hits] == [True]
    services.resolve_alert(alert, acting_user=None)
    assert [h.has_alert for h in search_patients("smith jo").hits] == [False]


def test_year_alone_lists_patients_born_that_year(office):
    result = search_patients("1982")
    assert (sorted(names(result)), result.kinds) == (["Smith, Jonah", "Smithers, Joan"], ("year",))


def test_two_digit_year_is_never_in_the_future(office):
    # given a baby born this January 2nd, typed with a two-digit year
    today = timezone.localdate()
    baby = make_patient(last_name="Newborn", first_name="Nia", birth_date=dt.date(today.year, 1, 2))
    typed = f"1/2/{today.year % 100:02d}"
    # when / then (on January 1st that date is still ahead: a century earlier, nobody)
    expected = [baby.pk] if today >= dt.date(today.year, 1, 2) else []
    assert [h.patient.pk for h in search_patients(typed).hits] == expected


# ---- plans (SQLite only: PostgreSQL's planner rightly seq-scans tiny tables) -----------------


def _plan(text: str) -> list[str]:
    if connection.vendor != "sqlite":
        pytest.skip("plans are checked on SQLite; PostgreSQL's are checked by the benchmark")
    return explain_search(text)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("smith jo", "USING COVERING INDEX patient_search_key (key>? AND key<?)"),
        ("smith 1982", "USING COVERING INDEX patient_search_key (key>? AND key<?)"),
        ("555-201-7788", "USING INDEX patient_phone_digits (digits=?)"),
        ("201-7788", "USING INDEX patient_phone_local (local_digits=?)"),
        ("3/14/82", "USING INDEX patient_birth_date (birth_date=?)"),
        ("123-45-6789", "(ssn_digest=?)"),
    ],
)
def test_searches_use_the_indexes(office, text, index):
    lines = _plan(text)
    assert any(index in line for line in lines), lines
    assert not [line for line in lines if line.startswith("SCAN")], lines


def test_mrn_search_uses_the_unique_index(office):
    lines = _plan(office.jonah.mrn)
    assert any("INDEX" in line and "(mrn=?)" in line for line in lines), lines
    assert not [line for line in lines if line.startswith("SCAN")], lines


def test_explain_returns_the_plan_lines_on_either_database(office):
    # when
    lines = explain_search("smith jo")
    # then there is a plan line for each statement the search ran (3 statements)
    assert len(lines) >= 3
    assert all(isinstance(line, str) and line for line in lines)
