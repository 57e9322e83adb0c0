"""The duplicates worklist: which pairs show, in which order, and how much it reads."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.patients import duplicates_scan
from medoffice.patients.duplicates import person_facts, person_of
from medoffice.patients.duplicates_scan import likely_duplicate_pairs
from medoffice.patients.merging import merge_patients
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

BORN = dt.date(1984, 6, 2)
PHONE = [{"kind": "home", "number": "(555) 404-1212"}]  # her phone did not change


def pair_ids(worklist: duplicates_scan.Worklist) -> list[tuple[int, int]]:
    return [(p.keep.pk, p.other.pk) for p in worklist.pairs]


def test_maiden_name_pair_shows_with_its_reasons():
    # given the same woman under two last names, and an unrelated person born the same day
    kept = make_patient(last_name="Lopez", first_name="Maria", birth_date=BORN, phones=PHONE)
    other = make_patient(last_name="Smith", first_name="Maria", birth_date=BORN, phones=PHONE)
    make_patient(last_name="Okafor", first_name="Chidi", birth_date=BORN)
    # when
    worklist = likely_duplicate_pairs()
    # then
    assert pair_ids(worklist) == [(kept.pk, other.pk)]
    assert worklist.total == 1
    assert worklist.pairs[0].points == 70
    assert worklist.pairs[0].reasons == (
        "Same date of birth",
        "Similar first name, different last name (a name change?)",
        "Same phone number",
    )


def test_same_ssn_pairs_show_even_with_different_birth_dates():
    first = make_patient(last_name="Ray", first_name="Jo", ssn="123-45-6789")
    second = make_patient(last_name="Wu", first_name="Lee", ssn="123456789")
    worklist = likely_duplicate_pairs()
    assert pair_ids(worklist) == [(first.pk, second.pk)]
    assert worklist.pairs[0].reasons[0] == "Same SSN"


def test_pairs_are_sorted_by_score_and_paged():
    # given a strong pair (same name, birth date, phone) and a weaker one (name change)
    weak = [
        make_patient(last_name="Lopez", first_name="Maria", birth_date=BORN, phones=PHONE),
        make_patient(last_name="Smith", first_name="Maria", birth_date=BORN, phones=PHONE),
    ]
    phone = [{"kind": "home", "number": "(555) 201-7788"}]
    other_day = dt.date(1990, 1, 5)
    strong = [
        make_patient(last_name="Baker", first_name="Tom", birth_date=other_day, phones=phone),
        make_patient(last_name="Baker", first_name="Thomas", birth_date=other_day, phones=phone),
    ]
    # when
    first_page = likely_duplicate_pairs(limit=1)
    second_page = likely_duplicate_pairs(limit=1, offset=1)
    # then
    assert pair_ids(first_page) == [(strong[0].pk, strong[1].pk)]
    assert first_page.pairs[0].points == 90
    assert pair_ids(second_page) == [(weak[0].pk, weak[1].pk)]
    assert (first_page.total, second_page.total) == (2, 2)


def test_merged_records_leave_the_worklist():
    kept = make_patient(last_name="Lopez", first_name="Maria", birth_date=BORN, phones=PHONE)
    other = make_patient(last_name="Smith", first_name="Maria", birth_date=BORN, phones=PHONE)
    merge_patients(survivor=kept, duplicate=other, acting_user=None, reason="Same person twice")
    assert likely_duplicate_pairs().total == 0


def test_crowded_birth_dates_are_counted_not_compared(monkeypatch):
    monkeypatch.setattr(duplicates_scan, "CROWDED", 2)
    for _ in range(3):
        make_patient(last_name="Doe", first_name="Jan", birth_date=dt.date(1950, 1, 1))
    worklist = likely_duplicate_pairs()
    assert (worklist.total, worklist.crowded_dates) == (0, 1)


def test_reads_only_shared_birth_dates_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    # given ten records born on different days and two pairs sharing one
    for n in range(10):
        make_patient(birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=n * 400))
    for name, number in (("Maria", "(555) 404-1212"), ("Ana", "(555) 404-1313")):
        phones = [{"kind": "home", "number": number}]
        make_patient(last_name="Lopez", first_name=name, birth_date=BORN, phones=phones)
        make_patient(last_name="Smith", first_name=name, birth_date=BORN, phones=phones)
    # then: crowded dates, facts (records, phones, previous names), the page's records
    with django_assert_num_queries(5):
        worklist = likely_duplicate_pairs()
    assert worklist.total == 2
    shown = {p.pk for pair in worklist.pairs for p in (pair.keep, pair.other)}
    assert len(shown) == 4


def test_facts_read_as_rows_equal_what_registration_compares():
    # given a record with every compared fact
    patient = make_patient(
        last_name="Lopez",
        first_name="Maria",
        email="Maria@Example.com",
        ssn="123-45-6789",
        phones=[
            {"kind": "home", "number": "(555) 201-2000"},
            {"kind": "work", "number": "5552013000"},
        ],
        previous_names=[{"kind": "maiden", "last_name": "Garcia"}],
    )
    loaded = Patient.objects.prefetch_related("phones", "previous_names").get(pk=patient.pk)
    # then the scan's facts are exactly duplicates.person_of's
    facts = person_facts(Patient.objects.filter(pk=patient.pk))
    assert facts == {patient.pk: person_of(loaded)}
