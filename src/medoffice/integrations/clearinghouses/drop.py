"""Batch drops shared by the folder and SFTP kinds: outbound/, inbound/ and processed/ folders.

We write each batch into ``outbound/`` under a temporary name and rename it when complete, so the
clearinghouse never picks up half a file. Their answers appear in ``inbound/``; each is read,
handed to the caller and only then renamed into ``processed/`` — a crash or an error before that
rename leaves it in ``inbound/`` to be read next time, and once renamed it is never read again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from medoffice.integrations.clearinghouses.base import (
    ClearinghouseError,
    ClearinghouseSettings,
    Exchange,
    ResultHandler,
)
from medoffice.integrations.clearinghouses.core_envelope import PayloadType

logger = logging.getLogger(__name__)

OUTBOUND = "outbound"
INBOUND = "inbound"
PROCESSED = "processed"
TEMP_PREFIX = ".part-"
MAX_RESULT_BYTES = 50 * 1024 * 1024

RESPONSE_TYPES = {
    "271": PayloadType.X12_271_RESPONSE,
    "278": PayloadType.X12_278_RESPONSE,
    "999": PayloadType.X12_999_RESPONSE,
}


class FileTransport(Protocol):
    """The few file operations a drop needs, on folders relative to the drop's root."""

    def ensure_folder(self, folder: str) -> None: ...

    def list_files(self, folder: str) -> list[str]: ...

    def read(self, folder: str, name: str) -> bytes: ...

    def write(self, folder: str, name: str, data: bytes) -> None:
        """Write (and flush to disk) a new file; the caller renames it into place."""
        ...

    def rename(self, folder: str, name: str, new_folder: str, new_name: str) -> None:
        """Atomically move a file (both folders on one file system)."""
        ...


TransportOpener = Callable[[], AbstractContextManager[FileTransport]]


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned[:80] or "batch"


def sniff_payload_type(text: str) -> str:
    """The CORE PayloadType of an X12 answer by its ST01 (a peek; the X12 package reads it)."""
    body = text.lstrip()
    if not body.startswith("ISA") or len(body) < 106:
        return ""
    element, terminator = body[3], body[105]
    match = re.search(re.escape(f"{terminator}") + r"\s*ST" + re.escape(element) + r"(\d{3})", body)
    return RESPONSE_TYPES.get(match.group(1), "") if match else ""


class DropClearinghouse:
    """A ``Clearinghouse`` that only takes batch files, over any ``FileTransport``."""

    def __init__(self, settings: ClearinghouseSettings, open_transport: TransportOpener) -> None:
        self.settings = settings
        self._open = open_transport

    def exchange_realtime(self, x12: str, *, payload_type: str) -> Exchange:
        raise ClearinghouseError(
            "not_configured",
            f"{self.settings.name} takes batch files only; it cannot answer while you wait. "
            "Send the check in the next batch, or set up a real-time clearinghouse.",
            retry_may_help=False,
        )

    def submit_batch(self, x12: str, *, payload_type: str, name: str) -> str:
        payload_id = str(uuid.uuid4())
        final = f"{safe_name(name)}.{payload_id}.x12"
        temporary = f"{TEMP_PREFIX}{payload_id}"
        with self._open() as transport:
            transport.ensure_folder(OUTBOUND)
            transport.write(OUTBOUND, temporary, x12.encode("utf-8"))
            transport.rename(OUTBOUND, temporary, OUTBOUND, final)
        logger.info("batch %s dropped for %s", final, self.settings.name)
        return payload_id

    def collect_batch_results(self, *, handle: ResultHandler | None = None) -> list[Exchange]:
        results: list[Exchange] = []
        with self._open() as transport:
            transport.ensure_folder(INBOUND)
            transport.ensure_folder(PROCESSED)
            for name in transport.list_files(INBOUND):
                if name.startswith("."):
                    continue  # still being written by the clearinghouse, or not a result
                result = _result(name, transport.read(INBOUND, name))
                if handle is not None:
                    handle(result)  # raising leaves the file in inbound/ for next time
                stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
                transport.rename(INBOUND, name, PROCESSED, f"{stamp}-{name}")
                results.append(result)
        return results


def _result(name: str, data: bytes) -> Exchange:
    payload_id = name.rsplit(".", 1)[0] if "." in name else name
    problem = ""
    text = ""
    if len(data) > MAX_RESULT_BYTES:
        problem = "is too large to be an answer"
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problem = "is not text"
    payload_type = sniff_payload_type(text) if text else ""
    if not problem and not payload_type:
        problem = "is not a 271, 278 or 999"
    if problem:
        return Exchange(
            payload="",
            payload_type="",
            payload_id=payload_id,
            attempts=1,
            duration_ms=0.0,
            error_code="bad_response",
            error_message=f"The result file {name!r} {problem}; it was set aside in processed/.",
        )
    return Exchange(
        payload=text,
        payload_type=payload_type,
        payload_id=payload_id,
        attempts=1,
        duration_ms=0.0,
    )
