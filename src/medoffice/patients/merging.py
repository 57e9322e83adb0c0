"""Merging a duplicate patient record into the kept one, and undoing it from the merge history.

A merge moves every row registered in ``merge_registry`` with action "move" from the duplicate to
the kept record (the survivor) and writes down their ids in ``PatientMerge.moved``; the undo moves
back exactly those ids that still point at the survivor. The duplicate row itself stays, marked
``merged`` with ``merged_into`` set, so links printed or stored elsewhere still resolve
(``kept_record_of``). Both records are locked (in primary-key order, so two merges touching the
same records cannot deadlock) for the whole transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.patients import choices as c
from medoffice.patients import merge_registry
from medoffice.patients.errors import MergeRefused
from medoffice.patients.models import Patient, PatientMerge, PreviousName
from medoffice.patients.rules.names import fold
from medoffice.patients.services import rebuild_search_keys

MIN_REASON = 10
MAX_CHAIN = 50
BATCH = 500  # ids per UPDATE, well under SQLite's bound-parameter limit
ALIAS_LABEL = "patients.previousname"


@dataclass(frozen=True)
class RowsToMove:
    """What a merge would move for one reference, for the comparison page."""

    key: str
    label: str
    count: int


# ---- reading --------------------------------------------------------------------------------


def kept_record_of(patient: Patient) -> Patient:
    """The live record a (possibly merged) record now lives in, following chains of merges."""
    current = patient
    for _ in range(MAX_CHAIN):
        if current.status != c.PatientStatus.MERGED or current.merged_into_id is None:
            return current
        current = Patient.objects.get(pk=current.merged_into_id)
    return current


def _model_and_field(key: str) -> tuple[type[models.Model], str]:
    label, field = key.rsplit(".", 1)
    return apps.get_model(label), field


def _moving_references() -> list[merge_registry.PatientReference]:
    return [r for r in merge_registry.references() if r.action == "move"]


def _field_name(model: type[models.Model], field: str) -> str:
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def _label(model: type[models.Model], field: str) -> str:
    meta = model._meta
    plural = str(meta.verbose_name_plural)
    if field == "patient":
        return plural.capitalize()
    return f"{plural.capitalize()} (as {_field_name(model, field)})"


def rows_to_move(duplicate: Patient) -> list[RowsToMove]:
    """How many rows of each registered reference point at ``duplicate`` (one COUNT each)."""
    found = []
    for reference in _moving_references():
        model, field = _model_and_field(reference.key)
        count = model._default_manager.filter(**{field: duplicate.pk}).count()
        found.append(RowsToMove(reference.key, _label(model, field), count))
    return found


# ---- shared pieces --------------------------------------------------------------------------


def _lock_pair(first_id: int, second_id: int) -> dict[int, Patient]:
    """Lock both patient rows, lowest id first (a consistent order cannot deadlock)."""
    locked = {}
    for pk in sorted({first_id, second_id}):
        patient = Patient.objects.select_for_update().filter(pk=pk).first()
        if patient is None:
            raise MergeRefused(f"Patient record #{pk} does not exist.")
        locked[pk] = patient
    return locked


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise MergeRefused(
            f"Give a reason of at least {MIN_REASON} characters; it stays in the merge history."
        )
    return reason


def _user_or_none(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


@contextmanager
def _unique_rows_guard(model: type[models.Model]) -> Iterator[None]:
    """Turn a unique-constraint clash (a row allowed once per patient) into a plain refusal."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        name = model._meta.verbose_name
        raise MergeRefused(
            f"Both records have a {name} that may exist only once per patient; "
            "remove one of them first."
        ) from exc


def _update_in_batches(
    model: type[models.Model], ids: list[int], where: dict[str, Any], values: dict[str, Any]
) -> None:
    for start in range(0, len(ids), BATCH):
        model._default_manager.filter(pk__in=ids[start : start + BATCH], **where).update(**values)


def _has_primary_flag(model: type[models.Model]) -> bool:
    return any(f.name == "is_primary" for f in model._meta.get_fields())


def _primary_exists(model: type[models.Model], field: str, patient: Patient) -> bool:
    return model._default_manager.filter(**{field: patient.pk, "is_primary": True}).exists()


def _audit(action: str, merge: PatientMerge, acting_user: Any, counts: dict[str, Any]) -> None:
    """One entry per patient, so each record's own history shows the merge (ids, never values)."""
    detail = {
        "merge": merge.pk,
        "survivor": merge.survivor_id,
        "duplicate": merge.duplicate_id,
        **counts,
    }
    for patient_id in (merge.survivor_id, merge.duplicate_id):
        record(action, actor=acting_user, target=merge, patient_id=patient_id, detail=detail)


# ---- merge ----------------------------------------------------------------------------------


def merge_blocker(survivor: Patient, duplicate: Patient) -> str:
    """Why these two records cannot be merged as they stand ("" when they can)."""
    if survivor.pk == duplicate.pk:
        return "Choose two different records: a record cannot be merged into itself."
    for patient, role in ((duplicate, "record to merge"), (survivor, "record to keep")):
        if patient.status == c.PatientStatus.MERGED:
            return (
                f"The {role} (MRN {patient.mrn}) was already merged into another record; "
                "merge the record it was kept as instead."
            )
    return ""


def _move_reference(
    key: str, survivor: Patient, duplicate: Patient, demoted: dict[str, list[int]]
) -> list[int]:
    """Move one reference's rows; demote moved primaries if the survivor already has one."""
    model, field = _model_and_field(key)
    rows = model._default_manager.filter(**{field: duplicate.pk})
    ids = sorted(rows.values_list("pk", flat=True))
    if not ids:
        return []
    if model is Patient and survivor.pk in ids:
        raise MergeRefused(
            f"The record to keep (MRN {survivor.mrn}) names the other record in "
            f"“{_field_name(model, field)}”; change that first."
        )
    with _unique_rows_guard(model):
        if _has_primary_flag(model) and _primary_exists(model, field, survivor):
            primaries = sorted(rows.filter(is_primary=True).values_list("pk", flat=True))
            if primaries:
                _update_in_batches(model, primaries, {}, {"is_primary": False})
                demoted[key] = primaries
        _update_in_batches(model, ids, {field: duplicate.pk}, {field: survivor.pk})
    return ids


def _names_of(patient: Patient) -> set[tuple[str, str]]:
    names = {(fold(patient.last_name), fold(patient.first_name))}
    for old in PreviousName.objects.filter(patient=patient):
        names.add((fold(old.last_name), fold(old.first_name or patient.first_name)))
    return names


def _add_alias(survivor: Patient, duplicate: Patient) -> dict[str, list[int]]:
    """Keep the duplicate's legal name findable on the survivor (as "also known as")."""
    name = (fold(duplicate.last_name), fold(duplicate.first_name))
    if name in _names_of(survivor):
        return {}
    alias = PreviousName.objects.create(
        patient=survivor,
        kind=c.PreviousNameKind.ALIAS,
        last_name=duplicate.last_name,
        first_name=duplicate.first_name,
        middle_name=duplicate.middle_name,
    )
    return {ALIAS_LABEL: [alias.pk]}


@transaction.atomic
def merge_patients(
    *, survivor: Patient, duplicate: Patient, acting_user: Any, reason: str
) -> PatientMerge:
    """Merge ``duplicate`` into ``survivor``; raises ``MergeRefused`` with the reason in words."""
    reason = _check_reason(reason)
    locked = _lock_pair(survivor.pk, duplicate.pk)
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    blocker = merge_blocker(survivor, duplicate)
    if blocker:
        raise MergeRefused(blocker)
    demoted: dict[str, list[int]] = {}
    moved = {
        ref.key: _move_reference(ref.key, survivor, duplicate, demoted)
        for ref in _moving_references()
    }
    created = _add_alias(survivor, duplicate)
    state = {"status": duplicate.status, "merged_into": None, "primary_flags": demoted}
    duplicate.status = c.PatientStatus.MERGED
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    merge = PatientMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        reason=reason,
        merged_at=timezone.now(),
        merged_by=_user_or_none(acting_user),
        moved=moved,
        created=created,
        duplicate_state=state,
    )
    rebuild_search_keys(survivor)
    rebuild_search_keys(duplicate)
    counts = {key: len(ids) for key, ids in moved.items()}
    _audit(AuditAction.MERGE, merge, acting_user, {"moved": counts})
    return merge


# ---- undo -----------------------------------------------------------------------------------


def _check_undo(merge: PatientMerge, survivor: Patient, duplicate: Patient) -> None:
    if merge.undone_at is not None:
        raise MergeRefused(f"Merge #{merge.pk} was already undone.")
    if survivor.status == c.PatientStatus.MERGED:
        later = PatientMerge.objects.filter(duplicate=survivor, undone_at__isnull=True).first()
        which = f" (merge #{later.pk})" if later else ""
        raise MergeRefused(
            f"The kept record (MRN {survivor.mrn}) was itself merged into another record "
            f"since{which}; undo that merge first."
        )
    if duplicate.status != c.PatientStatus.MERGED or duplicate.merged_into_id != survivor.pk:
        raise MergeRefused(
            f"The merged record (MRN {duplicate.mrn}) is no longer marked as merged into "
            f"MRN {survivor.mrn} (its status is now “{duplicate.get_status_display()}”), "
            "so this merge cannot be undone automatically."
        )


def _return_rows(
    key: str, ids: list[int], demoted: list[int], survivor: Patient, duplicate: Patient
) -> list[int]:
    """Move back the recorded rows still on the survivor (rows deleted or moved since stay put).

    Demoted primary flags come back; if the undo took the survivor's only primary row (the desk
    made a moved row primary meanwhile), its lowest remaining row becomes primary.
    """
    model, field = _model_and_field(key)
    flagged = _has_primary_flag(model)
    had_primary = flagged and _primary_exists(model, field, survivor)
    back: list[int] = []
    for start in range(0, len(ids), BATCH):
        back += model._default_manager.filter(
            pk__in=ids[start : start + BATCH], **{field: survivor.pk}
        ).values_list("pk", flat=True)
    back.sort()
    with _unique_rows_guard(model):
        _update_in_batches(model, back, {field: survivor.pk}, {field: duplicate.pk})
    if flagged:
        flags = sorted(set(demoted) & set(back))
        _update_in_batches(model, flags, {field: duplicate.pk}, {"is_primary": True})
        if had_primary and not _primary_exists(model, field, survivor):
            rows = model._default_manager.filter(**{field: survivor.pk}).order_by("pk")
            first = rows.values_list("pk", flat=True).first()
            if first is not None:
                model._default_manager.filter(pk=first).update(is_primary=True)
    return back


def _delete_created(created: dict[str, list[int]]) -> None:
    for label, ids in created.items():
        model = apps.get_model(label)
        model._default_manager.filter(pk__in=ids).delete()


@transaction.atomic
def undo_merge(merge: PatientMerge, *, acting_user: Any, reason: str) -> PatientMerge:
    """Put the duplicate back as it was before ``merge``; raises ``MergeRefused`` when blocked."""
    reason = _check_reason(reason)
    locked = _lock_pair(merge.survivor_id, merge.duplicate_id)
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    survivor, duplicate = locked[merge.survivor_id], locked[merge.duplicate_id]
    _check_undo(merge, survivor, duplicate)
    state = merge.duplicate_state or {}
    demoted = state.get("primary_flags", {})
    returned: dict[str, int] = {}
    missing: dict[str, int] = {}
    for key, ids in merge.moved.items():
        back = _return_rows(key, ids, demoted.get(key, []), survivor, duplicate)
        returned[key] = len(back)
        if len(back) != len(ids):
            missing[key] = len(ids) - len(back)
    _delete_created(merge.created or {})
    duplicate.status = state.get("status", c.PatientStatus.ACTIVE)
    duplicate.merged_into = None
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = _user_or_none(acting_user)
    merge.undo_reason = reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    rebuild_search_keys(survivor)
    rebuild_search_keys(duplicate)
    _audit(AuditAction.UNMERGE, merge, acting_user, {"returned": returned, "gone": missing})
    return merge
