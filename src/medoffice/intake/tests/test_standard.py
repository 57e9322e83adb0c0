"""The standard forms: installed once, idempotent, and upgraded in place only while unsigned."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from medoffice.intake import queries
from medoffice.intake.models import FormTemplate, Question
from medoffice.intake.standard import STANDARD_FORMS, install_standard_forms
from medoffice.intake.tests.factories import signed_forms
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

upgrade = importlib.import_module(
    "medoffice.intake.migrations.0003_record_field_emergency_contact"
).map_emergency_contact


def test_the_standard_set_is_shipped_published_and_installing_again_adds_nothing():
    assert [t.code for t in FormTemplate.objects.all()] == [f["code"] for f in STANDARD_FORMS]
    assert all(queries.published_version(f["code"]) for f in STANDARD_FORMS)
    assert install_standard_forms() == 0
    assert FormTemplate.objects.count() == len(STANDARD_FORMS)


def _old_registration() -> None:
    version = queries.published_version("registration")
    version.questions.filter(key="emergency_relationship").delete()
    version.questions.filter(key__startswith="emergency_").update(maps_to="")


def test_an_unsigned_registration_gets_the_emergency_contact_mapping():
    _old_registration()
    upgrade(apps, None)
    version = queries.published_version("registration")
    keys = list(version.questions.values_list("key", flat=True))
    assert keys[-2:] == ["emergency_relationship", "signature"]
    assert version.questions.get(key="emergency_phone").maps_to == "emergency.phone"


def test_a_signed_registration_is_left_as_signed():
    signed_forms(make_patient(), ["registration"])
    _old_registration()
    upgrade(apps, None)
    assert not Question.objects.filter(key="emergency_relationship").exists()
