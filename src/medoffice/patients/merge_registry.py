"""What points at a patient, and what a merge does with it.

Every model with a foreign key to ``patients.Patient`` must be registered here, from its app's
``AppConfig.ready()``: ``register("scheduling.Appointment", "patient")``. A merge moves the rows of
each ``move`` reference from the duplicate to the surviving record and remembers their ids, so the
merge can be undone; ``keep`` references stay with the duplicate (search keys are rebuilt, merge
history stays where it happened). A test fails when a foreign key to Patient is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["move", "keep"]


@dataclass(frozen=True)
class PatientReference:
    model_label: str  # "app_label.ModelName", lower or mixed case
    field: str  # name of the foreign key field pointing at Patient
    action: Action = "move"
    why: str = ""

    @property
    def key(self) -> str:
        return f"{self.model_label.lower()}.{self.field}"


_REGISTRY: dict[str, PatientReference] = {}


def register(model_label: str, field: str, *, action: Action = "move", why: str = "") -> None:
    reference = PatientReference(model_label, field, action, why)
    _REGISTRY[reference.key] = reference


def references() -> list[PatientReference]:
    return sorted(_REGISTRY.values(), key=lambda r: r.key)


def is_registered(model_label: str, field: str) -> bool:
    return f"{model_label.lower()}.{field}" in _REGISTRY


def register_own_references() -> None:
    """The patient registry's own references (called from PatientsConfig.ready)."""
    for label in (
        "patients.PatientPhone",
        "patients.PatientAddress",
        "patients.PreviousName",
        "patients.EmergencyContact",
        "patients.PatientAlert",
    ):
        register(label, "patient")
    register("patients.Patient", "guarantor", why="dependents follow their guarantor")
    register(
        "patients.Patient",
        "merged_into",
        action="keep",
        why="earlier merges stay pointing where they were made",
    )
    register("patients.PatientSearchKey", "patient", action="keep", why="rebuilt after a merge")
    register("patients.PatientMerge", "survivor", action="keep", why="merge history")
    register("patients.PatientMerge", "duplicate", action="keep", why="merge history")
