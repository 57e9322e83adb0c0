"""What the intake context says about a patient's forms, behind one small adapter.

The front desk reads intake only through ``medoffice.intake.queries`` (``forms_due``,
``forms_due_for``, ``pending_review_count``) and links to its pages ``intake:patient_forms`` and
``intake:kiosk_start``. While an installation has no intake module the desk says so ("forms are
not tracked here yet") instead of claiming that nothing is due.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class FormsStatus:
    """Forms due for one patient; ``tracked`` False when intake is not installed."""

    tracked: bool
    due: list[Any] = field(default_factory=list)  # intake's DueForm: template_code, name, reason
    pending_review: int = 0

    @property
    def complete(self) -> bool:
        return self.tracked and not self.due


def _queries() -> ModuleType | None:
    try:
        module = importlib.import_module("medoffice.intake.queries")
    except ImportError:
        return None
    needed = ("forms_due", "forms_due_for", "pending_review_count")
    return module if all(hasattr(module, name) for name in needed) else None


def forms_status(patient_id: int, *, on: dt.date) -> FormsStatus:
    queries = _queries()
    if queries is None:
        return FormsStatus(tracked=False)
    return FormsStatus(
        tracked=True,
        due=list(queries.forms_due(patient_id, on=on)),
        pending_review=int(queries.pending_review_count(patient_id)),
    )


def forms_due_for(patient_ids: Iterable[int], *, on: dt.date) -> dict[int, FormsStatus]:
    """One bulk call for a list page; patients with nothing due map to an empty list."""
    ids = sorted(set(patient_ids))
    queries = _queries()
    if queries is None:
        return {pk: FormsStatus(tracked=False) for pk in ids}
    due = queries.forms_due_for(ids, on=on) if ids else {}
    return {pk: FormsStatus(tracked=True, due=list(due.get(pk, []))) for pk in ids}


def url(name: str, patient_id: int) -> str | None:
    """``intake:patient_forms`` / ``intake:kiosk_start`` for the patient, if intake has them."""
    try:
        return reverse(f"intake:{name}", args=[patient_id])
    except NoReverseMatch:
        return None
