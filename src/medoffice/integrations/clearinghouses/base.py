"""The one interface every clearinghouse module implements, its settings, results and errors.

A clearinghouse carries X12 text to payers and brings their answers back; it never reads the X12
(that is ``medoffice.interchange.x12``). Every call has a timeout, and every failure is a
``ClearinghouseError`` whose ``status`` the desk sees and whose ``retry_may_help`` says whether
trying again later is worth it.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

Status = Literal[
    "timeout",
    "unreachable",
    "auth_failed",
    "refused",
    "payer_error",
    "bad_response",
    "not_configured",
]
STATUSES: tuple[Status, ...] = (
    "timeout",
    "unreachable",
    "auth_failed",
    "refused",
    "payer_error",
    "bad_response",
    "not_configured",
)


class ClearinghouseError(Exception):
    """A request that did not get a usable answer, in words for the desk (never PHI or a trace).

    ``status`` is one of ``STATUSES``; ``attempts`` counts the tries made (retries included);
    ``error_code`` is the clearinghouse's own code when it sent one (a CORE ErrorCode such as
    ``UnAuthorized``), else "".
    """

    def __init__(
        self,
        status: Status,
        message: str,
        *,
        retry_may_help: bool,
        attempts: int = 0,
        duration_ms: float = 0.0,
        error_code: str = "",
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown clearinghouse status {status!r}")
        super().__init__(message)
        self.status: Status = status
        self.message = message
        self.retry_may_help = retry_may_help
        self.attempts = attempts
        self.duration_ms = duration_ms
        self.error_code = error_code

    def __repr__(self) -> str:
        return (
            f"ClearinghouseError(status={self.status!r}, message={self.message!r}, "
            f"retry_may_help={self.retry_may_help}, attempts={self.attempts})"
        )


@dataclass(frozen=True)
class ClearinghouseSettings:
    """One clearinghouse contract as configured for the practice (secrets kept out of repr)."""

    kind: str  # "core_http", "folder", "sftp" (or a kind added with ``register``)
    name: str
    endpoint_url: str = ""
    username: str = ""
    password: str = dataclasses.field(default="", repr=False)
    sender_id: str = ""  # our submitter ID (CORE SenderID, ISA06)
    receiver_id: str = ""  # theirs (CORE ReceiverID, ISA08)
    timeout_seconds: float = 10.0
    retries: int = 2
    batch_folder: str = ""
    sftp_host: str = ""
    sftp_port: int = 22
    sftp_username: str = ""
    sftp_password: str = dataclasses.field(default="", repr=False)
    sftp_path: str = ""
    sftp_known_hosts: str = ""  # a known_hosts file holding the server's key ("" = the system's)
    ca_file: str = ""  # PEM bundle trusted for the endpoint's TLS certificate ("" = system CAs)
    verify_tls: bool = True
    backoff_seconds: float = 0.2  # first pause between retries; doubles per retry, capped at 2 s


@dataclass(frozen=True)
class Exchange:
    """One payload that came back: a real-time answer or a collected batch result."""

    payload: str  # the X12 text as received
    payload_type: str  # CORE PayloadType, e.g. X12_271_Response_005010X279A1
    payload_id: str  # CORE PayloadID (or the batch file's id)
    attempts: int
    duration_ms: float
    error_code: str = ""  # set when this result could not be read (payload then "")
    error_message: str = ""


ResultHandler = Callable[[Exchange], None]


class Clearinghouse(Protocol):
    """What the insurance context calls; one module per clearinghouse implements it."""

    settings: ClearinghouseSettings

    def exchange_realtime(self, x12: str, *, payload_type: str) -> Exchange:
        """Send one request (a 270 or 278) and wait for its answer (a 271, 278 or 999)."""
        ...

    def submit_batch(self, x12: str, *, payload_type: str, name: str) -> str:
        """Hand over a batch file; returns its payload id."""
        ...

    def collect_batch_results(self, *, handle: ResultHandler | None = None) -> list[Exchange]:
        """Fetch the answers waiting for us (999s, 271s).

        With ``handle``, each result is passed to it before it is marked as taken, so a result
        whose handling raises stays waiting (for the drop folders) and the error propagates.
        """
        ...


Factory = Callable[[ClearinghouseSettings], Clearinghouse]

_MODULES: dict[str, str] = {
    "core_http": "medoffice.integrations.clearinghouses.core_http",
    "folder": "medoffice.integrations.clearinghouses.folder_drop",
    "sftp": "medoffice.integrations.clearinghouses.sftp_drop",
}
_FACTORIES: dict[str, Factory] = {}


def register(kind: str, factory: Factory) -> None:
    """Add a clearinghouse kind (a module of its own exposing ``build(settings)``)."""
    _FACTORIES[kind] = factory


def kinds() -> tuple[str, ...]:
    return tuple(sorted({*_MODULES, *_FACTORIES}))


def connect(settings: ClearinghouseSettings) -> Clearinghouse:
    """The clearinghouse client for ``settings.kind``; ``not_configured`` when it cannot be made."""
    factory = _FACTORIES.get(settings.kind)
    if factory is None:
        module_name = _MODULES.get(settings.kind)
        if module_name is None:
            raise ClearinghouseError(
                "not_configured",
                f"Clearinghouse {settings.name!r} has an unknown kind {settings.kind!r}.",
                retry_may_help=False,
            )
        module = importlib.import_module(module_name)
        factory = module.build
        _FACTORIES[settings.kind] = factory
    return factory(settings)


def check_limits(settings: ClearinghouseSettings) -> None:
    """Refuse timeouts and retry counts that would hang the desk's screen."""
    if not 0 < settings.timeout_seconds <= 120:
        raise ClearinghouseError(
            "not_configured",
            f"Clearinghouse {settings.name!r}: the timeout must be between 0 and 120 seconds.",
            retry_may_help=False,
        )
    if not 0 <= settings.retries <= 5:
        raise ClearinghouseError(
            "not_configured",
            f"Clearinghouse {settings.name!r}: retries must be between 0 and 5.",
            retry_may_help=False,
        )
