"""Writing to the audit trail. The audit work fills in the body; this signature is the contract.

Call ``record`` from every service that reads or writes PHI or security settings. It joins the
caller's transaction, so a rolled-back write leaves no audit entry and vice versa.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest


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
) -> Any:
    """Append one entry: who (actor), did what (action), to which record (target), from where."""
    return None
