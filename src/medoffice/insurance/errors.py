"""Refusals of the insurance context, each with a message the desk can act on."""

from __future__ import annotations


class InsuranceRefused(Exception):
    """A write was refused; ``message`` says why in plain words (no PHI)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EligibilityUnavailable(InsuranceRefused):
    """The check could not be made (no payer ID, no clearinghouse, payer does not answer 270s)."""
