"""Finding possible duplicates: what is found, and that it is found through indexes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.patients.duplicates import find_duplicates
from medoffice.patients.rules.duplicates import Person
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

BORN = dt.date(1984, 6, 2)


def test_each_shared_fact_brings_its_candidates():
    # given one record per kind of match, and a merged record that must never come back
    same_name_day = make_patient(last_name="Okafor", first_name="Chidi", birth_date=BORN)
    same_ssn = make_patient(last_name="Ray", first_name="Jo", ssn="123-45-6789")
    same_phone_and_name = make_patient(
        last_name="Baker", first_name="Tom", phones=[{"kind": "home", "number": "555 201 7788"}]
    )
    # when
    found = find_duplicates(
        Person(
            "Okafor", "Chidi", BORN, phones=frozenset({"5552017788"}),
            ssn_digest=same_ssn.ssn_digest,
        )
    )  # fmt: skip
    # then the name-and-day match leads, the SSN match follows; a shared phone alone is not enough
    assert found[0].patient.pk == same_name_day.pk
    assert {c.patient.pk for c in found} == {same_name_day.pk, same_ssn.pk}
    assert same_phone_and_name.pk not in {c.patient.pk for c in found}  # Tom is not Chidi


def test_excluded_records_are_not_candidates_of_themselves():
    me = make_patient(last_name="Okafor", first_name="Chidi", birth_date=BORN)
    assert find_duplicates(Person("Okafor", "Chidi", BORN), exclude=[me.pk]) == []


def test_the_candidate_lookup_is_one_indexed_statement():
    make_patient(last_name="Okafor", first_name="Chidi", birth_date=dt.date(1990, 1, 1))
    person = Person("Nobody", "Here", BORN, phones=frozenset({"5559990000"}), email="n@x.test")
    with CaptureQueriesContext(connection) as captured:
        assert find_duplicates(person) == []
    assert len(captured.captured_queries) == 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "SCAN patients_patient" not in plan.replace("SCAN patients_patient USING", "")
        assert "patient_birth_date" in plan
        assert "patient_phone_digits" in plan
