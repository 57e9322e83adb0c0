"""Errors of the scheduling context; views and the API turn them into messages and 409s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class SlotUnavailable(Exception):
    """The time cannot be booked: taken, blocked, outside the provider's sessions, ...

    ``conflicts`` lists the appointments in the way (ids), when that is the reason.
    """

    def __init__(self, message: str, *, conflicts: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.conflicts = list(conflicts)


class InvalidTransition(Exception):
    """An appointment cannot move to that status from where it is."""


class BookingRefused(Exception):
    """The booking is not allowed for a reason other than time (type, patient, location)."""
