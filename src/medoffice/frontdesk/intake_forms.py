"""What the intake context says about a patient's forms, in the desk's terms.

The front desk reads intake only through ``medoffice.intake.queries`` (``forms_due``,
``forms_due_for``, ``pending_review_count``) and links to its pages ``intake:patient_forms`` and
``intake:kiosk_start``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from medoffice.intake import queries
from medoffice.intake.queries import DueForm


@dataclass(frozen=True)
class FormsStatus:
    """Forms due for one patient, and filled forms waiting for the desk's review."""

    due: list[DueForm] = field(default_factory=list)
    pending_review: int = 0

    @property
    def complete(self) -> bool:
        return not self.due


def forms_status(patient_id: int, *, on: dt.date) -> FormsStatus:
    return FormsStatus(
        due=queries.forms_due(patient_id, on=on),
        pending_review=queries.pending_review_count(patient_id),
    )


def forms_due_for(patient_ids: Iterable[int], *, on: dt.date) -> dict[int, FormsStatus]:
    """One bulk call for a list page; patients with nothing due map to an empty list."""
    ids = sorted(set(patient_ids))
    due = queries.forms_due_for(ids, on=on) if ids else {}
    return {pk: FormsStatus(due=list(due.get(pk, []))) for pk in ids}


def url(name: str, patient_id: int) -> str:
    """``intake:patient_forms`` / ``intake:kiosk_start`` for the patient."""
    return reverse(f"intake:{name}", args=[patient_id])
