"""Writing to and checking the audit trail.

Call ``record`` from every service that reads or writes PHI or security settings. It joins the
caller's transaction, so a rolled-back write leaves no audit entry and vice versa.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from medoffice.audit import chain
from medoffice.audit.choices import AuditAction
from medoffice.audit.context import current_request
from medoffice.audit.models import AuditEntry

ADVISORY_LOCK_ID = 0x6D65_6461_7564  # "medaud": serializes appends on PostgreSQL
USER_AGENT_MAX = 255


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _actor_from(actor: Any, request: HttpRequest | None) -> Any:
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
    # SQLite: IMMEDIATE transactions already let only one writer in at a time.


def record(
    action: str,
    *,
    actor: Any = None,
    target: Any = None,
    target_type: str = "",
    target_id: str | int | None = None,
    patient_id: int | None = None,
    fields: Iterable[str] = (),
    detail: Mapping[str, Any] | None = None,
    outcome: str = "success",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry: who (actor), did what (action), to which record (target), from where."""
    request = request if request is not None else current_request.get()
    actor = _actor_from(actor, request)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target.pk if target_id is None else target_id
    entry = AuditEntry(
        occurred_at=timezone.now(),
        actor=actor,
        actor_username=getattr(actor, "username", "") if actor is not None else "",
        action=str(action),
        outcome=str(outcome),
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        patient_id=patient_id,
        fields=sorted({str(name) for name in fields}),
        detail=dict(detail or {}),
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[
            :USER_AGENT_MAX
        ],
        request_id=str(getattr(request, "request_id", "") or "") if request is not None else "",
        emergency=str(action) == AuditAction.EMERGENCY_ACCESS,
    )
    # savepoint=False: inside a caller's transaction a failed append fails that transaction
    # anyway, and the SAVEPOINT/RELEASE pair costs two statements per audited write.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = _chain_head()
        entry.id = (last[0] + 1) if last else 1
        entry.prev_hash = last[1] if last else chain.GENESIS_HASH
        entry.entry_hash = chain.compute_hash(_values(entry))
        entry.save()
        transaction.on_commit(lambda: _checkpoint_entry(entry))
    return entry


def _chain_head() -> tuple[int, str] | None:
    """The last entry's id and hash (plain SQL: every audited write reads it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, entry_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _checkpoint_entry(entry: AuditEntry) -> None:
    """The head this commit made, without reading it back (ids are contiguous from 1)."""
    chain.write_checkpoint_file(_checkpoint_data(entry.id, entry.entry_hash))


def _checkpoint_data(last_id: int, last_hash: str) -> dict[str, Any]:
    return {
        "last_id": last_id,
        "last_hash": last_hash,
        "count": last_id,
        "written_at": timezone.now().isoformat(),
    }


def _values(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in chain.HASHED_FIELDS}


def write_checkpoint() -> dict[str, Any]:
    """Record the chain's current head outside the database, so a cut-off tail is noticed."""
    last = AuditEntry.objects.order_by("-id").values("id", "entry_hash").first()
    data = _checkpoint_data(last["id"], last["entry_hash"]) if last else _checkpoint_data(0, "")
    if not last:
        data["last_hash"] = chain.GENESIS_HASH
    chain.write_checkpoint_file(data)
    return data


def verify_chain() -> VerifyResult:
    """Walk the chain oldest first; report the first entry that does not fit."""
    point = chain.read_checkpoint_file() or {}
    point_id = int(point.get("last_id") or 0)
    point_hash_found = None
    expected_prev = chain.GENESIS_HASH
    checked = 0
    rows = AuditEntry.objects.order_by("id").values(*chain.HASHED_FIELDS, "entry_hash")
    for row in rows.iterator(chunk_size=2000):
        if chain.compute_hash(row) != row["entry_hash"]:
            return VerifyResult(False, checked, row["id"], "altered: content does not match hash")
        if row["prev_hash"] != expected_prev:
            problem = "broken link: an entry before it was removed, inserted or moved"
            return VerifyResult(False, checked, row["id"], problem)
        expected_prev = row["entry_hash"]
        checked += 1
        if row["id"] == point_id:
            point_hash_found = row["entry_hash"]
    if point_id and (
        point_hash_found != point.get("last_hash") or checked < int(point.get("count") or 0)
    ):
        problem = "tail cut: entries named in the checkpoint are missing"
        return VerifyResult(False, checked, point_id, problem)
    return VerifyResult(True, checked)
