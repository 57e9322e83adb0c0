"""Kind "sftp": the same batch drop as "folder", on the clearinghouse's SFTP server.

The SSH connection uses paramiko, imported only when this kind is used (it is an optional
dependency: without it, ``build`` reports the clearinghouse as not configured). The server's host
key must be known (``sftp_known_hosts`` or the system's known_hosts); an unknown key is refused.
Every network step has the clearinghouse's timeout. The drop logic itself is ``drop.py`` and is
tested over any ``FileTransport``.
"""

from __future__ import annotations

import contextlib
import importlib
import posixpath
import socket
from collections.abc import Callable, Iterator
from typing import Any

from medoffice.integrations.clearinghouses.base import (
    ClearinghouseError,
    ClearinghouseSettings,
    check_limits,
)
from medoffice.integrations.clearinghouses.drop import DropClearinghouse, FileTransport


class ParamikoTransport:
    """A ``FileTransport`` over an open paramiko ``SFTPClient`` rooted at ``root``."""

    def __init__(self, sftp: Any, root: str) -> None:
        self._sftp = sftp
        self._root = root or "."

    def _path(self, folder: str, name: str = "") -> str:
        return posixpath.join(self._root, folder, *([name] if name else []))

    def ensure_folder(self, folder: str) -> None:
        try:
            self._sftp.stat(self._path(folder))
        except FileNotFoundError:
            self._sftp.mkdir(self._path(folder))

    def list_files(self, folder: str) -> list[str]:
        import stat

        return sorted(
            entry.filename
            for entry in self._sftp.listdir_attr(self._path(folder))
            if stat.S_ISREG(entry.st_mode or 0)
        )

    def read(self, folder: str, name: str) -> bytes:
        with self._sftp.open(self._path(folder, name), "rb") as handle:
            data: bytes = handle.read()
            return data

    def write(self, folder: str, name: str, data: bytes) -> None:
        with self._sftp.open(self._path(folder, name), "xb") as handle:
            handle.write(data)
            handle.flush()

    def rename(self, folder: str, name: str, new_folder: str, new_name: str) -> None:
        # posix-rename@openssh.com is atomic and replaces; plain SFTP rename refuses to replace.
        self._sftp.posix_rename(self._path(folder, name), self._path(new_folder, new_name))


def _load_paramiko() -> Any:
    try:
        return importlib.import_module("paramiko")
    except ImportError:
        return None


def _error(settings: ClearinghouseSettings, error: BaseException) -> ClearinghouseError:
    paramiko = _load_paramiko()
    name = settings.name
    if isinstance(error, TimeoutError | socket.timeout):
        return ClearinghouseError(
            "timeout",
            f"{name}: the SFTP server did not answer within {settings.timeout_seconds:g} "
            "seconds. Try again in a few minutes.",
            retry_may_help=True,
        )
    if paramiko is not None and isinstance(error, paramiko.AuthenticationException):
        return ClearinghouseError(
            "auth_failed",
            f"{name}: the SFTP server did not accept the user name or password. "
            "Ask the manager to check them.",
            retry_may_help=False,
        )
    if paramiko is not None and isinstance(error, paramiko.SSHException):
        return ClearinghouseError(
            "refused",
            f"{name}: the SFTP server's identity could not be confirmed or the session failed "
            f"({type(error).__name__}). Ask the manager to check its host key.",
            retry_may_help=False,
        )
    return ClearinghouseError(
        "unreachable",
        f"{name}: the SFTP server could not be reached or the drop folder could not be used "
        f"({type(error).__name__}). Try again later.",
        retry_may_help=True,
    )


def paramiko_opener(
    settings: ClearinghouseSettings,
) -> Callable[[], contextlib.AbstractContextManager[FileTransport]]:
    """Opens one SSH session per batch operation, closed afterwards."""
    paramiko = _load_paramiko()
    if paramiko is None:
        raise ClearinghouseError(
            "not_configured",
            f"Clearinghouse {settings.name!r} uses SFTP, which is not installed on this server "
            "(the paramiko package). Ask the administrator to install it.",
            retry_may_help=False,
        )

    @contextlib.contextmanager
    def open_transport() -> Iterator[FileTransport]:
        client = paramiko.SSHClient()
        try:
            try:
                if settings.sftp_known_hosts:
                    client.load_host_keys(settings.sftp_known_hosts)
                else:
                    client.load_system_host_keys()
                client.set_missing_host_key_policy(paramiko.RejectPolicy())
                client.connect(
                    settings.sftp_host,
                    port=settings.sftp_port,
                    username=settings.sftp_username,
                    password=settings.sftp_password or None,
                    timeout=settings.timeout_seconds,
                    banner_timeout=settings.timeout_seconds,
                    auth_timeout=settings.timeout_seconds,
                    allow_agent=False,
                    look_for_keys=False,
                )
                sftp = client.open_sftp()
                sftp.get_channel().settimeout(settings.timeout_seconds)
            except (OSError, paramiko.SSHException) as error:
                raise _error(settings, error) from None
            transport = ParamikoTransport(sftp, settings.sftp_path)
            yield _Guarded(transport, settings, paramiko.SSHException)
        finally:
            client.close()

    return open_transport


class _Guarded:
    """Turns a transport's network errors into ``ClearinghouseError`` (handlers' errors pass)."""

    def __init__(
        self, inner: FileTransport, settings: ClearinghouseSettings, ssh_error: type[Exception]
    ) -> None:
        self._inner = inner
        self._settings = settings
        self._errors: tuple[type[BaseException], ...] = (OSError, ssh_error)

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as error:
            raise _error(self._settings, error) from None

    def ensure_folder(self, folder: str) -> None:
        with self._guard():
            self._inner.ensure_folder(folder)

    def list_files(self, folder: str) -> list[str]:
        with self._guard():
            return self._inner.list_files(folder)

    def read(self, folder: str, name: str) -> bytes:
        with self._guard():
            return self._inner.read(folder, name)

    def write(self, folder: str, name: str, data: bytes) -> None:
        with self._guard():
            self._inner.write(folder, name, data)

    def rename(self, folder: str, name: str, new_folder: str, new_name: str) -> None:
        with self._guard():
            self._inner.rename(folder, name, new_folder, new_name)


def build(
    settings: ClearinghouseSettings,
    *,
    opener: Callable[[], contextlib.AbstractContextManager[FileTransport]] | None = None,
) -> DropClearinghouse:
    """The SFTP drop; ``opener`` stands in for the SSH session in tests."""
    check_limits(settings)
    if opener is None:
        if not settings.sftp_host or not settings.sftp_username:
            raise ClearinghouseError(
                "not_configured",
                f"Clearinghouse {settings.name!r} has no SFTP server or user name. "
                "Ask the manager to fix its set-up.",
                retry_may_help=False,
            )
        opener = paramiko_opener(settings)
    return DropClearinghouse(settings, opener)
