"""The contract other contexts read: forms_due, forms_due_for, pending_review_count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.intake import queries
from medoffice.intake.queries import DueForm
from medoffice.intake.tests.factories import signed_forms
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

ALL_NEW = [
    DueForm("registration", "Patient registration", "new patient"),
    DueForm(
        "npp-acknowledgment",
        "Notice of Privacy Practices acknowledgment",
        "yearly acknowledgment due",
    ),
    DueForm("consent-to-treat", "Consent to treat", "new patient"),
    DueForm("financial-policy", "Financial policy", "new patient"),
    DueForm("medical-history", "Medical history", "new patient"),
]
EVERY_CODE = [d.template_code for d in ALL_NEW]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


def test_a_new_patient_owes_the_whole_standard_set():
    # given a patient who never signed anything
    patient = make_patient()
    # when / then
    assert queries.forms_due(patient.pk, on=dt.date(2026, 5, 1)) == ALL_NEW


def test_signed_forms_are_no_longer_due_until_npp_and_consent_renew():
    # given every form signed on 2025-03-01
    patient = make_patient()
    signed_forms(patient, EVERY_CODE, at=_at(dt.date(2025, 3, 1)))
    # when checked within the year, then nothing is due
    assert queries.forms_due(patient.pk, on=dt.date(2026, 2, 28)) == []
    # when checked a year later, then the NPP and the consent are due again
    assert queries.forms_due(patient.pk, on=dt.date(2026, 3, 2)) == [
        ALL_NEW[1],
        DueForm("consent-to-treat", "Consent to treat", "consent expired on 2026-03-01"),
    ]


def test_forms_due_for_many_patients_takes_two_queries():
    # given ten patients, half of them with every form signed
    patients = [make_patient() for _ in range(10)]
    for patient in patients[:5]:
        signed_forms(patient, EVERY_CODE)
    ids = [p.pk for p in patients]
    # when
    with CaptureQueriesContext(connection) as ctx:
        due = queries.forms_due_for(ids, on=dt.date.today())
    # then
    assert len(ctx.captured_queries) == 2
    assert [len(due[pk]) for pk in ids] == [0] * 5 + [5] * 5
    assert queries.forms_due_for([], on=dt.date.today()) == {}


def test_pending_review_count_counts_signed_forms_not_reviewed():
    patient = make_patient()
    assert queries.pending_review_count(patient.pk) == 0
    signed_forms(patient, ["npp-acknowledgment", "financial-policy"])
    assert queries.pending_review_count(patient.pk) == 2
    assert queries.pending_review_counts([patient.pk]) == {patient.pk: 2}
