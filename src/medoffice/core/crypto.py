"""Encryption of sensitive fields at rest, and keyed digests for looking them up.

Keys live outside the database: ``MEDOFFICE_FIELD_KEYS`` (comma-separated Fernet keys, the first
encrypts, all decrypt, so keys rotate) and ``MEDOFFICE_LOOKUP_KEY`` (HMAC key of the digests that
let an encrypted value be found by equality, e.g. an SSN). Unset, they are generated once into
``MEDOFFICE_FIELD_KEY_FILE``. See docs/adr/0004-field-encryption.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {"fernet": [Fernet.generate_key().decode()], "lookup": os.urandom(32).hex()}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".field-keys-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps(content).encode())
        os.close(fd)
        with contextlib.suppress(FileExistsError):  # two processes racing: the first wins
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def _file_keys() -> dict[str, object]:
    path = Path(str(settings.MEDOFFICE_FIELD_KEY_FILE))
    if not path.exists():
        _create_key_file(path)
    try:
        data: dict[str, object] = json.loads(path.read_text())
    except ValueError as exc:
        raise ImproperlyConfigured(f"Field key file {path} is not valid JSON.") from exc
    return data


@lru_cache(maxsize=1)
def _keys() -> tuple[MultiFernet, bytes]:
    configured = [k.strip() for k in str(settings.MEDOFFICE_FIELD_KEYS or "").split(",") if k]
    lookup = str(settings.MEDOFFICE_LOOKUP_KEY or "")
    if not configured or not lookup:
        data = _file_keys()
        configured = configured or [str(k) for k in data.get("fernet", []) or []]  # type: ignore[attr-defined]
        lookup = lookup or str(data.get("lookup", ""))
    if not configured or len(lookup) < 32:
        raise ImproperlyConfigured("Set MEDOFFICE_FIELD_KEYS and MEDOFFICE_LOOKUP_KEY.")
    try:
        fernet = MultiFernet([Fernet(k.encode()) for k in configured])
    except ValueError as exc:
        raise ImproperlyConfigured("MEDOFFICE_FIELD_KEYS holds an invalid Fernet key.") from exc
    return fernet, lookup.encode()


def clear_cache(**_kwargs: object) -> None:
    _keys.cache_clear()


setting_changed.connect(clear_cache, dispatch_uid="medoffice.core.crypto.clear_cache")


def encrypt(plaintext: str) -> str:
    return _keys()[0].encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured key decrypts this value.") from exc


def lookup_digest(kind: str, normalized: str) -> str:
    """A keyed, deterministic digest: equal inputs give equal digests, nothing reveals the input."""
    message = f"{kind}:{normalized}".encode()
    return hmac.new(_keys()[1], message, hashlib.sha256).hexdigest()
