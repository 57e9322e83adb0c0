"""Kind "folder": batch files in a local or mounted folder the clearinghouse's agent picks up.

``<batch_folder>/outbound/`` gets our batches (written under a temporary name, flushed to disk and
renamed), ``<batch_folder>/inbound/`` holds their answers, ``<batch_folder>/processed/`` what we
have taken.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from medoffice.integrations.clearinghouses.base import ClearinghouseError, ClearinghouseSettings
from medoffice.integrations.clearinghouses.drop import DropClearinghouse, FileTransport


@contextlib.contextmanager
def _translated(name: str, doing: str) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise ClearinghouseError(
            "unreachable",
            f"{name}: the batch folder could not be {doing} ({type(error).__name__}). "
            "Check that the folder exists and is shared with this server.",
            retry_may_help=True,
        ) from None


class LocalTransport:
    """A ``FileTransport`` on this machine's file system."""

    def __init__(self, root: Path, *, name: str = "batch folder") -> None:
        self.root = root
        self.name = name

    def ensure_folder(self, folder: str) -> None:
        with _translated(self.name, "created"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)

    def list_files(self, folder: str) -> list[str]:
        with _translated(self.name, "read"):
            return sorted(entry.name for entry in os.scandir(self.root / folder) if entry.is_file())

    def read(self, folder: str, name: str) -> bytes:
        with _translated(self.name, "read"):
            return (self.root / folder / name).read_bytes()

    def write(self, folder: str, name: str, data: bytes) -> None:
        with _translated(self.name, "written"):
            path = self.root / folder / name
            with path.open("xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())

    def rename(self, folder: str, name: str, new_folder: str, new_name: str) -> None:
        with _translated(self.name, "written"):
            target_folder = self.root / new_folder
            os.replace(self.root / folder / name, target_folder / new_name)
            _sync_folder(target_folder)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some network file systems
        pass
    finally:
        os.close(descriptor)


def build(settings: ClearinghouseSettings) -> DropClearinghouse:
    if not settings.batch_folder:
        raise ClearinghouseError(
            "not_configured",
            f"Clearinghouse {settings.name!r} has no batch folder. "
            "Ask the manager to fix its set-up.",
            retry_may_help=False,
        )
    transport = LocalTransport(Path(settings.batch_folder), name=settings.name)

    @contextlib.contextmanager
    def open_transport() -> Iterator[FileTransport]:
        yield transport

    return DropClearinghouse(settings, open_transport)
