"""Clearinghouses: eligibility (270/271) and prior authorization (278) transport, one interface.

``connect(settings)`` returns the ``Clearinghouse`` for ``settings.kind`` ("core_http", "folder",
"sftp"); its calls return ``Exchange`` values or raise ``ClearinghouseError`` with a status for the
desk and whether a retry can help.
"""

from medoffice.integrations.clearinghouses.base import (
    STATUSES,
    Clearinghouse,
    ClearinghouseError,
    ClearinghouseSettings,
    Exchange,
    ResultHandler,
    Status,
    connect,
    kinds,
    register,
)
from medoffice.integrations.clearinghouses.core_envelope import PayloadType

__all__ = [
    "STATUSES",
    "Clearinghouse",
    "ClearinghouseError",
    "ClearinghouseSettings",
    "Exchange",
    "PayloadType",
    "ResultHandler",
    "Status",
    "connect",
    "kinds",
    "register",
]
