"""JSON API of patient merges, mounted at /api/patient-merges/: history, merge, undo, worklist.

Every operation needs ``patients.merge_patient``. A refused merge or undo answers 409 with the
refusal in plain words. Answers name patients, so they are audited like the pages: the ids a list
showed (never a query), and a read of both records for one merge.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from medoffice.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.patients import services
from medoffice.patients.duplicates_scan import likely_duplicate_pairs
from medoffice.patients.errors import MergeRefused
from medoffice.patients.merging import merge_patients, undo_merge
from medoffice.patients.models import Patient, PatientMerge

router = Router(tags=["patient merges"])

MERGE = "patients.merge_patient"
PROBLEMS = "https://medoffice.example/problems/"


# ---- schemas --------------------------------------------------------------------------------


class PatientRefOut(Schema):
    id: int
    mrn: str
    name: str
    birth_date: dt.date
    status: str

    @staticmethod
    def resolve_name(obj: Patient) -> str:
        return obj.display_name


class MergeOut(Schema):
    id: int
    survivor: PatientRefOut
    duplicate: PatientRefOut
    reason: str
    merged_at: dt.datetime
    merged_by: str | None
    moved: dict[str, int] = Field(description="Rows moved per reference, by count")
    added: dict[str, int] = Field(description="Rows the merge added (an alias name), by count")
    active: bool
    undone_at: dt.datetime | None
    undone_by: str | None
    undo_reason: str

    @staticmethod
    def resolve_merged_by(obj: PatientMerge) -> str | None:
        return obj.merged_by.username if obj.merged_by else None

    @staticmethod
    def resolve_undone_by(obj: PatientMerge) -> str | None:
        return obj.undone_by.username if obj.undone_by else None

    @staticmethod
    def resolve_moved(obj: PatientMerge) -> dict[str, int]:
        return {key: len(ids) for key, ids in obj.moved.items()}

    @staticmethod
    def resolve_added(obj: PatientMerge) -> dict[str, int]:
        return {key: len(ids) for key, ids in (obj.created or {}).items()}


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    survivor_id: int = Field(description="The record that is kept")
    duplicate_id: int = Field(description="The record merged into it")
    reason: str = Field(max_length=2000, description="Why they are one person (10+ characters)")


class UndoIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000, description="Why the merge is undone (10+ characters)")


class PairOut(Schema):
    keep: PatientRefOut = Field(description="The older record, usually the one kept")
    other: PatientRefOut
    points: int
    reasons: list[str]


class PairsOut(Schema):
    items: list[PairOut]
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    crowded_dates: int = Field(description="Birth dates shared by too many records to compare")


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


NOT_FOUND = {404: ProblemOut}


# ---- helpers --------------------------------------------------------------------------------


def _history() -> QuerySet[PatientMerge]:
    return PatientMerge.objects.select_related(
        "survivor", "duplicate", "merged_by", "undone_by"
    ).order_by("-merged_at", "-pk")


def _merge_or_404(merge_id: int) -> PatientMerge:
    found = _history().filter(pk=merge_id).first()
    if found is None:
        raise ProblemError(404, "Not found", f"No merge with id {merge_id}.")
    return found


def _patient_or_404(patient_id: int) -> Patient:
    found = Patient.objects.filter(pk=patient_id).first()
    if found is None:
        raise ProblemError(404, "Not found", f"No patient with id {patient_id}.")
    return found


def _refused(exc: MergeRefused) -> ProblemError:
    return ProblemError(409, "Merge refused", str(exc), type_=PROBLEMS + "merge-refused")


def _read_both(request: HttpRequest, merge: PatientMerge) -> None:
    for patient in (merge.survivor, merge.duplicate):
        services.audit_read(patient, acting_user=request.user, what="merge")


def _page_url(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"], query["offset"] = str(limit), str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class AuditedMergePages(MedofficePagination):
    """The house pagination, auditing the records named on the page it serves."""

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        ids = [pk for m in page["items"] for pk in (m.survivor_id, m.duplicate_id)]
        if ids:
            services.audit_search(
                list(dict.fromkeys(ids)), acting_user=request.user, kinds=(), source="api-merges"
            )
        return page


# ---- operations -----------------------------------------------------------------------------


@router.get("/candidates", response=PairsOut, url_name="merge_candidates")
def list_candidates(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> Any:
    """The duplicates worklist: pairs of live records that may be one person, best first."""
    require(request, MERGE)
    worklist = likely_duplicate_pairs(limit=limit, offset=offset)
    ids = [p.pk for pair in worklist.pairs for p in (pair.keep, pair.other)]
    if ids:
        services.audit_search(
            list(dict.fromkeys(ids)), acting_user=request.user, kinds=(), source="api-duplicates"
        )
    more = offset + limit < worklist.total
    return {
        "items": worklist.pairs,
        "count": worklist.total,
        "limit": limit,
        "offset": offset,
        "next": _page_url(request, limit, offset + limit) if more else None,
        "previous": _page_url(request, limit, max(offset - limit, 0)) if offset else None,
        "crowded_dates": worklist.crowded_dates,
    }


@router.get("", response=list[MergeOut], url_name="patient_merges")
@paginate(AuditedMergePages)
def list_merges(request: HttpRequest, patient_id: int | None = None) -> Any:
    """The merge history, newest first; ``patient_id`` keeps merges naming that record."""
    require(request, MERGE)
    merges = _history()
    if patient_id is not None:
        merges = merges.filter(Q(survivor_id=patient_id) | Q(duplicate_id=patient_id))
    return merges


@router.get("/{int:merge_id}", response={200: MergeOut, **NOT_FOUND}, url_name="patient_merge")
def get_merge(request: HttpRequest, merge_id: int) -> Any:
    require(request, MERGE)
    merge = _merge_or_404(merge_id)
    _read_both(request, merge)
    return merge


@router.post("", response={201: MergeOut, 409: ProblemOut, **NOT_FOUND})
def create_merge(request: HttpRequest, payload: MergeIn, response: HttpResponse) -> Any:
    """Merge the duplicate into the kept record; 409 says in words why it cannot be done."""
    require(request, MERGE)
    survivor = _patient_or_404(payload.survivor_id)
    duplicate = _patient_or_404(payload.duplicate_id)
    try:
        merge = merge_patients(
            survivor=survivor, duplicate=duplicate, acting_user=request.user, reason=payload.reason
        )
    except MergeRefused as exc:
        raise _refused(exc) from None
    response["Location"] = reverse("api:patient_merge", kwargs={"merge_id": merge.pk})
    return Status(201, _merge_or_404(merge.pk))


@router.post("/{int:merge_id}/undo", response={200: MergeOut, 409: ProblemOut, **NOT_FOUND})
def undo(request: HttpRequest, merge_id: int, payload: UndoIn) -> Any:
    """Undo a merge from its history (later merges of the kept record first)."""
    require(request, MERGE)
    merge = _merge_or_404(merge_id)
    try:
        undo_merge(merge, acting_user=request.user, reason=payload.reason)
    except MergeRefused as exc:
        raise _refused(exc) from None
    return _merge_or_404(merge_id)
