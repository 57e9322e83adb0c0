"""Every foreign key to Patient, in any installed app, must say what a merge does with it.

This is how later apps (scheduling, billing, insurance) are held to register what they own: a new
ForeignKey or OneToOneField to ``patients.Patient`` fails here until its app calls
``merge_registry.register(...)`` from ``AppConfig.ready()``.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from medoffice.patients import merge_registry
from medoffice.patients.models import Patient


def foreign_keys_to_patient() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            is_link = isinstance(field, models.ForeignKey | models.OneToOneField)
            if is_link and field.related_model is Patient and field.concrete:
                found.append((model._meta.label, field.name))
    return sorted(found)


def unregistered() -> list[str]:
    return [
        f"{label}.{field}"
        for label, field in foreign_keys_to_patient()
        if not merge_registry.is_registered(label, field)
    ]


def test_the_walk_finds_the_registry_own_links():
    found = foreign_keys_to_patient()
    assert ("patients.PatientPhone", "patient") in found
    assert ("patients.Patient", "guarantor") in found
    assert ("patients.PatientMerge", "duplicate") in found


def test_every_foreign_key_to_patient_is_registered():
    missing = unregistered()
    assert missing == [], (
        "Foreign keys to patients.Patient that a merge would leave behind; register each from "
        "its app's AppConfig.ready() with merge_registry.register(label, field, action=...): "
        + ", ".join(missing)
    )


def test_a_forgotten_registration_is_named(monkeypatch):
    monkeypatch.delitem(merge_registry._REGISTRY, "patients.patientalert.patient")
    assert unregistered() == ["patients.PatientAlert.patient"]


def test_every_registration_names_a_real_foreign_key_to_patient():
    links = {f"{label.lower()}.{field}" for label, field in foreign_keys_to_patient()}
    stale = [r.key for r in merge_registry.references() if r.key not in links]
    assert stale == []


def test_the_registry_moves_children_and_keeps_history():
    actions = {r.key: r.action for r in merge_registry.references()}
    assert actions["patients.patientphone.patient"] == "move"
    assert actions["patients.patient.guarantor"] == "move"
    assert actions["patients.patientmerge.survivor"] == "keep"
    assert actions["patients.patientsearchkey.patient"] == "keep"
