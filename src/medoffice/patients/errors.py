"""Errors of the patient registry that callers (views, API, import) turn into messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medoffice.patients.duplicates import Candidate


class PossibleDuplicates(Exception):
    """Registration stopped: these existing records may be the same person.

    Retry with ``acknowledged_duplicates`` naming every candidate's id once the desk has checked.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        super().__init__(f"{len(candidates)} possible duplicate record(s)")
        self.candidates = list(candidates)


class MergeRefused(Exception):
    """A merge or its undo cannot be done; the message says why in the office's words."""
