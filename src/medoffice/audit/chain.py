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


SLOT_BYTES = 512  # one disk sector: a slot is written whole or not at all


def _slot_bytes(data: dict[str, Any]) -> bytes:
    body = json.dumps(data, sort_keys=True, separators=(",", ":"))
    check = hashlib.sha256(body.encode()).hexdigest()
    line = json.dumps({"head": data, "check": check}, sort_keys=True, separators=(",", ":"))
    raw = line.encode()
    if len(raw) >= SLOT_BYTES:
        raise ValueError("checkpoint too large for its slot")
    return raw.ljust(SLOT_BYTES - 1, b" ") + b"\n"


def _slot_data(raw: bytes) -> dict[str, Any] | None:
    try:
        outer = json.loads(raw.decode())
        data = outer["head"]
        body = json.dumps(data, sort_keys=True, separators=(",", ":"))
    except (ValueError, KeyError, TypeError):
        return None
    if hashlib.sha256(body.encode()).hexdigest() != outer.get("check"):
        return None
    return data if isinstance(data, dict) else None


def write_checkpoint_file(data: dict[str, Any]) -> None:
    """Write the head into one of two sector-sized slots (by id parity) and sync it.

    Cheaper than a new file and a rename per commit (every audited commit writes it), and a torn
    or interrupted write spoils only one slot: the reader takes the newest slot whose checksum
    holds, at worst the previous head, which lags and so never raises a false alarm.
    """
    path = checkpoint_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        slot = int(data.get("last_id") or 0) % 2
        os.pwrite(fd, _slot_bytes(data), slot * SLOT_BYTES)
        os.fdatasync(fd)
    finally:
        os.close(fd)


def read_checkpoint_file() -> dict[str, Any] | None:
    """The newest intact head written, or None when there is none."""
    path = checkpoint_path()
    if path is None or not path.exists():
        return None
    raw = path.read_bytes()
    slots = [
        _slot_data(raw[n : n + SLOT_BYTES])
        for n in range(0, min(len(raw), 2 * SLOT_BYTES), SLOT_BYTES)
    ]
    found = [data for data in slots if data is not None]
    if not found:
        return None
    return max(found, key=lambda data: int(data.get("last_id") or 0))
