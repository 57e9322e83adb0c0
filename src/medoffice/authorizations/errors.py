"""Refusals of the authorizations context; views show the message, the API answers 409 or 422."""

from __future__ import annotations


class AuthorizationRefused(Exception):
    """A write was refused; ``message`` says why in plain words (no PHI). The API answers 409."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class VisitNotCounted(AuthorizationRefused):
    """An appointment cannot count against this referral (none left, out of range, wrong
    provider or specialty)."""


class SubmissionFailed(AuthorizationRefused):
    """The 278 could not be exchanged or read; nothing was recorded as submitted."""

    def __init__(self, message: str, *, retry_may_help: bool = False) -> None:
        super().__init__(message)
        self.retry_may_help = retry_may_help
