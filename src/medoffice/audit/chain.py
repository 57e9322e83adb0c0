"""Hashing of audit entries and the out-of-database checkpoint."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "outcome",
    "target_type",
    "target_id",
    "patient_id",
    "fields",
    "detail",
    "ip_address",
    "user_agent",
    "request_id",
    "emergency",
    "prev_hash",
)

_key_cache: dict[tuple[str, str], bytes] = {}


def _read_or_create_key_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, secrets.token_hex(32).encode())
            os.close(fd)
            # Atomic create-if-missing: when two processes race, the first link wins.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"Audit key file {path} is too short.")
    return key.encode()


def audit_key() -> bytes:
    configured = str(getattr(settings, "MEDOFFICE_AUDIT_KEY", "") or "")
    key_file = str(getattr(settings, "MEDOFFICE_AUDIT_KEY_FILE", "") or "")
    cache_key = (configured, key_file)
    if cache_key not in _key_cache:
        if configured:
            _key_cache[cache_key] = configured.encode()
        elif key_file:
            _key_cache[cache_key] = _read_or_create_key_file(Path(key_file))
        else:
            raise ImproperlyConfigured("Set MEDOFFICE_AUDIT_KEY or MEDOFFICE_AUDIT_KEY_FILE.")
    return _key_cache[cache_key]


def canonical_content(values: dict[str, Any]) -> bytes:
    """Stable bytes for one entry: same on SQLite and PostgreSQL after a round trip."""
    content = {name: values[name] for name in HASHED_FIELDS}
    occurred = content["occurred_at"]
    content["occurred_at"] = occurred.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content["target_id"] = str(content["target_id"] or "")
    content["emergency"] = bool(content["emergency"])
    content["ip_address"] = content["ip_address"] or ""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def compute_hash(values: dict[str, Any]) -> str:
    return hmac.new(audit_key(), canonical_content(values), hashlib.sha256).hexdigest()


def checkpoint_path() -> Path | None:
    path = getattr(settings, "MEDOFFICE_AUDIT_CHECKPOINT_FILE", None)
    return Path(path) if path else None


def write_checkpoint_file(data: dict[str, Any]) -> None:
    path = checkpoint_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-checkpoint-")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_checkpoint_file() -> dict[str, Any] | None:
    path = checkpoint_path()
    if path is None or not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data
