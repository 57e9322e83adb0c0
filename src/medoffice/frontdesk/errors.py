"""Errors of the front desk; views show the message, the API answers 409 or 422."""


class DeskRefused(Exception):
    """The desk cannot do that now (already checked in, not today, wrong step)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoFollowUpSlot(DeskRefused):
    """No open slot in (or after) the week the follow-up lands on."""
