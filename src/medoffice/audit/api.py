"""JSON API of the audit trail, mounted at /api/audit/ (read-only)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from medoffice.api.pagination import MedofficePagination
from medoffice.api.security import require
from medoffice.audit import queries

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    action: str
    outcome: str
    target_type: str
    target_id: str
    patient_id: int | None
    fields: list[str]
    ip_address: str | None
    request_id: str
    emergency: bool
    entry_hash: str


@router.get("/entries", response=list[AuditEntryOut], url_name="audit_entries")
@paginate(MedofficePagination)
def list_entries(
    request: HttpRequest,
    actor_id: int | None = None,
    patient_id: int | None = None,
    action: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Any:
    """Audit entries newest first; ``start``/``end`` are whole days in the practice's time zone."""
    require(request, "accounts.view_audit_report")
    return queries.search_entries(
        actor_id=actor_id, patient_id=patient_id, action=action, start=start, end=end
    )
