"""Errors of the intake context, with messages fit to show to staff or patients."""

from __future__ import annotations


class IntakeError(Exception):
    """A refused intake action; ``str(error)`` is a sentence for the person who asked."""


class NothingDue(IntakeError):
    pass


class RequestClosed(IntakeError):
    """The kiosk session or link can no longer be used (expired, revoked or completed)."""

    def __init__(self, state: str) -> None:
        super().__init__(f"This form link is {state}.")
        self.state = state


class AnswersInvalid(IntakeError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Some answers need attention.")
        self.errors = errors
