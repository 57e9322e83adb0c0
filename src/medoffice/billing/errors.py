"""Why a money action was refused; every message is fit to show the desk as it is."""


class BillingError(Exception):
    """A refused billing action; ``str(exc)`` is the message for the person at the desk."""


class AmountError(BillingError, ValueError):
    """An amount that is not a positive number of dollars and cents within limits."""


class DayClosedError(BillingError):
    """Postings into a closed day are refused; a manager must reopen it first."""


class DrawerError(BillingError):
    """No open drawer, a drawer already open, or a count that does not add up."""


class PaymentError(BillingError):
    """A payment whose tenders or allocations do not add up, or a declined card."""


class RefundError(BillingError):
    """A refund larger than what was paid, or approved by someone who may not."""


class DayCloseError(BillingError):
    """A day that cannot be closed yet: drawers uncounted, discrepancies unexplained."""


class PlanError(BillingError):
    """A payment plan whose instalments do not add up or that cannot change now."""


class CardTerminalError(BillingError):
    """The card terminal did not answer or refused; ``retryable``: may trying again help?"""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
