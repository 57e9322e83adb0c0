"""Merging two records of one person: signed forms and requests follow the person (and come
back on undo); the kept record's reviewed history stands."""

from __future__ import annotations

import pytest
from django.utils import timezone

from medoffice.intake.models import FormRequest, PatientHistory, Submission
from medoffice.intake.tests.factories import signed_forms
from medoffice.patients.merging import merge_patients, undo_merge
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db
REASON = "Same person: registered twice at the kiosk"


def test_signed_forms_follow_the_person_and_return_on_undo() -> None:
    # given a duplicate record with signed forms and a reviewed history, and the kept record's
    kept = make_patient(first_name="Avery", last_name="Quill")
    duplicate = make_patient(first_name="Avery", last_name="Quil")
    forms = signed_forms(duplicate, ["npp-acknowledgment", "consent-to-treat"])
    now = timezone.now()
    PatientHistory.objects.create(patient=kept, allergies="Penicillin: hives", reviewed_at=now)
    PatientHistory.objects.create(patient=duplicate, allergies="None known", reviewed_at=now)
    # when
    merge = merge_patients(survivor=kept, duplicate=duplicate, acting_user=None, reason=REASON)
    # then
    assert set(Submission.objects.filter(patient=kept)) == set(forms)
    assert FormRequest.objects.filter(patient=kept).count() == 1
    assert PatientHistory.objects.get(patient=kept).allergies == "Penicillin: hives"
    assert PatientHistory.objects.get(patient=duplicate).allergies == "None known"
    # and when the merge is undone
    undo_merge(merge, acting_user=None, reason="Two people after all")
    assert set(Submission.objects.filter(patient=duplicate)) == set(forms)
    assert not Submission.objects.filter(patient=kept).exists()
