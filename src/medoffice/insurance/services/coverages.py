"""Every write to a patient's coverages: add, change, end, remove (entered in error), reorder,
and the card pictures; plus the audited reads of them.

Each function takes ``acting_user=``, runs in one transaction and writes one audit entry per
coverage touched, with the patient's id and the names of the fields written (never their values).
Field problems raise ``ValidationError`` keyed by field; refusals about the record as a whole
(a second active primary, a removed coverage) raise ``InsuranceRefused``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core import images
from medoffice.insurance.choices import (
    CardSide,
    CoverageOrder,
    CoverageStatus,
    SubscriberRelationship,
)
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import Coverage, CoverageCard, InsurancePlan
from medoffice.insurance.rules.member_ids import member_id_problem, normalize_member_id
from medoffice.patients.choices import PatientStatus

SUBSCRIBER_SEXES: dict[str, str] = {"F": "Female", "M": "Male", "U": "Unknown"}
CAPTURE_SOURCES = ("upload", "webcam")
SUBSCRIBER_NAMES = ("subscriber_last_name", "subscriber_first_name", "subscriber_middle_name")
SUBSCRIBER_FIELDS = (
    "subscriber_patient",
    *SUBSCRIBER_NAMES,
    "subscriber_birth_date",
    "subscriber_sex",
)
EDITABLE = (
    "plan",
    "order",
    "member_id",
    "group_number",
    "relationship",
    *SUBSCRIBER_FIELDS,
    "effective_date",
    "end_date",
    "notes",
)
TEXT_LIMITS = {
    "group_number": 40,
    "subscriber_last_name": 100,
    "subscriber_first_name": 100,
    "subscriber_middle_name": 100,
    "notes": 300,
}
DEFAULTS: dict[str, Any] = {
    "order": CoverageOrder.PRIMARY,
    "group_number": "",
    "relationship": SubscriberRelationship.SELF,
    "subscriber_patient": None,
    "subscriber_last_name": "",
    "subscriber_first_name": "",
    "subscriber_middle_name": "",
    "subscriber_birth_date": None,
    "subscriber_sex": "",
    "end_date": None,
    "notes": "",
}


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _key(value: Any) -> Any:
    """Records compare by primary key, everything else by value."""
    return value.pk if hasattr(value, "_meta") else value


# ---- validation ---------------------------------------------------------------------------


def _text(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    for name, limit in TEXT_LIMITS.items():
        text = str(values.get(name) or "").strip()
        values[name] = text
        if len(text) > limit:
            errors.setdefault(name, []).append(f"At most {limit} characters.")


def _check_plan(values: dict[str, Any], errors: dict[str, list[str]], *, new_plan: bool) -> None:
    plan = values.get("plan")
    if not isinstance(plan, InsurancePlan):
        errors.setdefault("plan", []).append("Choose the plan.")
    elif new_plan and not (plan.active and plan.payer.active):
        errors.setdefault("plan", []).append("This plan is no longer offered; choose another.")


def _check_member_id(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    plan = values.get("plan")
    if not isinstance(plan, InsurancePlan):
        return
    raw = str(values.get("member_id") or "")
    problem = member_id_problem(raw, plan_type=plan.plan_type, pattern=plan.payer.member_id_pattern)
    if problem:
        errors.setdefault("member_id", []).append(problem)
    else:
        values["member_id"] = normalize_member_id(raw, plan_type=plan.plan_type)


def _check_subscriber(
    values: dict[str, Any], errors: dict[str, list[str]], *, patient_id: int
) -> None:
    relationship = values.get("relationship") or SubscriberRelationship.SELF
    values["relationship"] = relationship
    if relationship not in SubscriberRelationship.values:
        errors.setdefault("relationship", []).append("Choose the patient's relationship.")
        return
    if relationship == SubscriberRelationship.SELF:
        for name in SUBSCRIBER_FIELDS:  # the patient is the subscriber: nothing else to keep
            values[name] = DEFAULTS[name]
        return
    values["subscriber_sex"] = str(values.get("subscriber_sex") or "").upper()
    if values["subscriber_sex"] not in ("", *SUBSCRIBER_SEXES):
        errors.setdefault("subscriber_sex", []).append("Choose female, male or unknown.")
    born = values.get("subscriber_birth_date")
    if born is not None and born > timezone.localdate():
        errors.setdefault("subscriber_birth_date", []).append("The date is in the future.")
    subscriber = values.get("subscriber_patient")
    if subscriber is not None:
        if subscriber.pk == patient_id:
            errors.setdefault("subscriber_patient", []).append(
                "The subscriber is another person here; choose Self when the patient holds "
                "the plan."
            )
        elif subscriber.status == PatientStatus.MERGED:
            errors.setdefault("subscriber_patient", []).append(
                "That record was merged into another; choose the kept record."
            )
        for name in (*SUBSCRIBER_NAMES, "subscriber_birth_date", "subscriber_sex"):
            values[name] = DEFAULTS[name]  # the subscriber's own record holds them
        return
    missing = "Needed when the subscriber is another person (or choose a patient here)."
    for name in ("subscriber_last_name", "subscriber_first_name", "subscriber_birth_date"):
        if not values.get(name):
            errors.setdefault(name, []).append(missing)


def _check_dates(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    starts, ends = values.get("effective_date"), values.get("end_date")
    if not isinstance(starts, dt.date):
        errors.setdefault("effective_date", []).append("Enter the date the coverage starts.")
    elif isinstance(ends, dt.date) and ends < starts:
        errors.setdefault("end_date", []).append("The end date is before the effective date.")


def _validated(values: dict[str, Any], *, patient_id: int, new_plan: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    _text(values, errors)
    if values.get("order") not in CoverageOrder.values:
        errors.setdefault("order", []).append("Choose primary, secondary or tertiary.")
    _check_plan(values, errors, new_plan=new_plan)
    _check_member_id(values, errors)
    _check_subscriber(values, errors, patient_id=patient_id)
    _check_dates(values, errors)
    if errors:
        raise ValidationError(errors)
    return values


def _order_taken(patient_id: int, order: int, *, exclude: int | None = None) -> Coverage | None:
    rows = Coverage.objects.filter(patient_id=patient_id, order=order, status=CoverageStatus.ACTIVE)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.select_related("plan__payer").first()


def _refuse_taken(patient_id: int, order: int, *, exclude: int | None = None) -> None:
    found = _order_taken(patient_id, order, exclude=exclude)
    if found is None:
        return
    label = CoverageOrder(order).label.lower()
    raise InsuranceRefused(
        f"The patient already has an active {label} coverage ({found.plan.payer.name} "
        f"{found.plan.name}). End or remove it first, or give this one another order."
    )


def _save(coverage: Coverage, *, update_fields: list[str] | None = None) -> None:
    """Save under a savepoint: a race past the order check still ends as a clear refusal."""
    try:
        with transaction.atomic():
            coverage.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise InsuranceRefused(
            "Another coverage of this order was saved at the same moment; reload and check."
        ) from exc


def _audit(
    action: str, coverage: Coverage, acting_user: Any, fields: Sequence[str], **detail: Any
) -> None:
    record(
        action,
        actor=acting_user,
        target=coverage,
        patient_id=coverage.patient_id,
        fields=fields,
        detail=detail or None,
    )


# ---- writes -------------------------------------------------------------------------------


def add_coverage(
    patient: Any,
    *,
    acting_user: Any,
    plan: InsurancePlan,
    member_id: str,
    effective_date: dt.date,
    order: int = CoverageOrder.PRIMARY,
    **fields: Any,
) -> Coverage:
    """Put ``plan`` on the patient's file at ``order``; ``fields`` are the other coverage fields
    (group_number, relationship, subscriber_patient or subscriber_* name/birth date/sex,
    end_date, notes). Refused when that order already has an active coverage."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"add_coverage() got unexpected fields: {sorted(unknown)}")
    if patient.status == PatientStatus.MERGED:
        raise InsuranceRefused("This record was merged into another; use the kept record.")
    values = {
        **DEFAULTS,
        **fields,
        "plan": plan,
        "member_id": member_id,
        "effective_date": effective_date,
        "order": order,
    }
    values = _validated(values, patient_id=patient.pk, new_plan=True)
    with transaction.atomic():
        _refuse_taken(patient.pk, values["order"])
        coverage = Coverage(patient=patient, created_by=_user(acting_user), **values)
        _save(coverage)
        written = [name for name in EDITABLE if _key(values[name]) not in ("", None)]
        _audit(AuditAction.CREATE, coverage, acting_user, written)
    return coverage


def _locked(coverage: Coverage | int) -> Coverage:
    pk = coverage if isinstance(coverage, int) else coverage.pk
    return Coverage.objects.select_for_update().select_related("plan__payer").get(pk=pk)


def change_coverage(coverage: Coverage, *, acting_user: Any, **changes: Any) -> Coverage:
    """Change the fields given (any of ``EDITABLE``); answers the coverage as saved."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"change_coverage() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        current = _locked(coverage)
        if current.status == CoverageStatus.REMOVED:
            raise InsuranceRefused(
                "This coverage was removed as entered in error; add it again instead."
            )
        values = {name: getattr(current, name) for name in EDITABLE}
        values.update(changes)
        new_plan = _key(values["plan"]) != current.plan_id
        values = _validated(values, patient_id=current.patient_id, new_plan=new_plan)
        changed = [n for n in EDITABLE if _key(values[n]) != _key(getattr(current, n))]
        if not changed:
            return current
        if "order" in changed and current.status == CoverageStatus.ACTIVE:
            _refuse_taken(current.patient_id, values["order"], exclude=current.pk)
        for name in changed:
            setattr(current, name, values[name])
        _save(current, update_fields=[*changed, "updated_at"])
        _audit(AuditAction.UPDATE, current, acting_user, changed)
    return current


def end_coverage(coverage: Coverage, *, acting_user: Any, end_date: dt.date) -> Coverage:
    """The coverage is over as of ``end_date`` (today or earlier): status ended, its order free.

    A coverage that will end later keeps its future end date through ``change_coverage``.
    """
    with transaction.atomic():
        current = _locked(coverage)
        if current.status != CoverageStatus.ACTIVE:
            raise InsuranceRefused(
                f"This coverage is already {current.get_status_display().lower()}."
            )
        if not isinstance(end_date, dt.date):
            raise ValidationError({"end_date": ["Enter the last day of coverage."]})
        if end_date < current.effective_date:
            raise ValidationError({"end_date": ["The end date is before the effective date."]})
        if end_date > timezone.localdate():
            future = (
                "The end date is in the future: edit the coverage to record it, and end it then."
            )
            raise ValidationError({"end_date": [future]})
        current.end_date = end_date
        current.status = CoverageStatus.ENDED
        _save(current, update_fields=["end_date", "status", "updated_at"])
        _audit(AuditAction.UPDATE, current, acting_user, ["end_date", "status"], status="ended")
    return current


def remove_coverage(coverage: Coverage, *, acting_user: Any) -> Coverage:
    """Entered in error: status removed. The row stays for the audit trail and past checks."""
    with transaction.atomic():
        current = _locked(coverage)
        if current.status == CoverageStatus.REMOVED:
            raise InsuranceRefused("This coverage was already removed.")
        current.status = CoverageStatus.REMOVED
        _save(current, update_fields=["status", "updated_at"])
        _audit(AuditAction.UPDATE, current, acting_user, ["status"], status="removed")
    return current


def reorder_coverages(
    patient: Any, coverage_ids: Sequence[int], *, acting_user: Any
) -> list[Coverage]:
    """Give the patient's active coverages the order of ``coverage_ids`` (first = primary).

    Every active coverage is listed once. The one-active-per-order constraint holds at every
    statement, so the rows step aside (status ended) inside the transaction before taking their
    new places; nobody else ever sees that state.
    """
    wanted = [int(pk) for pk in coverage_ids]
    with transaction.atomic():
        active = list(
            Coverage.objects.select_for_update()
            .filter(patient_id=patient.pk, status=CoverageStatus.ACTIVE)
            .order_by("order")
        )
        by_id = {c.pk: c for c in active}
        if len(wanted) != len(set(wanted)) or set(wanted) != set(by_id):
            raise InsuranceRefused(
                "List each of the patient's active coverages once; the page may be out of date."
            )
        moved = [pk for n, pk in enumerate(wanted, start=1) if by_id[pk].order != n]
        if not moved:
            return [by_id[pk] for pk in wanted]
        now = timezone.now()
        Coverage.objects.filter(pk__in=moved).update(status=CoverageStatus.ENDED)
        for n, pk in enumerate(wanted, start=1):
            if pk in moved:
                Coverage.objects.filter(pk=pk).update(
                    order=n, status=CoverageStatus.ACTIVE, updated_at=now
                )
                by_id[pk].order, by_id[pk].updated_at = n, now
                _audit(AuditAction.UPDATE, by_id[pk], acting_user, ["order"])
    return [by_id[pk] for pk in wanted]


# ---- card pictures ------------------------------------------------------------------------


def attach_card(
    coverage: Coverage,
    side: str,
    *,
    acting_user: Any,
    upload: Any = None,
    data_url: str = "",
    source: str = "upload",
) -> CoverageCard:
    """Keep the card's ``side`` (front or back) from an uploaded file or the desk camera's data
    URL, re-encoded as a clean JPEG and encrypted at rest; replaces an earlier picture."""
    if side not in CardSide.values:
        raise ValidationError({"side": ["Choose the card front or back."]})
    if source not in CAPTURE_SOURCES:
        source = "upload"
    jpeg, width, height = images.reencode(images.picture_bytes(upload=upload, data_url=data_url))
    with transaction.atomic():
        current = _locked(coverage)
        if current.status == CoverageStatus.REMOVED:
            raise InsuranceRefused("This coverage was removed as entered in error.")
        card, _ = CoverageCard.objects.update_or_create(
            coverage=current,
            side=side,
            defaults={
                "jpeg": base64.b64encode(jpeg).decode(),
                "width": width,
                "height": height,
                "captured_at": timezone.now(),
                "captured_by": _user(acting_user),
            },
        )
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=card,
            patient_id=current.patient_id,
            fields=[f"card_{side}"],
            detail={"source": source},
        )
    return card


def card_bytes(coverage: Coverage, side: str, *, acting_user: Any) -> bytes | None:
    """The decrypted JPEG of one side, audited as a read; None when there is none."""
    card = CoverageCard.objects.filter(coverage_id=coverage.pk, side=side).first()
    if card is None:
        return None
    record(
        AuditAction.READ,
        actor=acting_user,
        target=card,
        patient_id=coverage.patient_id,
        detail={"what": f"card {side}"},
    )
    return base64.b64decode(card.jpeg)


# ---- audited reads ------------------------------------------------------------------------


def audit_read(patient_id: int, *, acting_user: Any, what: str, target: Any = None) -> None:
    """A page or API answer showed the patient's coverages (member IDs are PHI)."""
    record(
        AuditAction.READ,
        actor=acting_user,
        target=target,
        target_type="" if target is not None else "patients.patient",
        target_id=None if target is not None else patient_id,
        patient_id=patient_id,
        detail={"what": what},
    )


def audit_shown(coverages: Sequence[Coverage], *, acting_user: Any, what: str) -> None:
    """One read entry per patient whose coverages a list showed."""
    for patient_id in sorted({c.patient_id for c in coverages}):
        audit_read(patient_id, acting_user=acting_user, what=what)


def values_of(coverage: Coverage) -> Mapping[str, Any]:
    """The editable fields as they stand (for forms)."""
    return {name: getattr(coverage, name) for name in EDITABLE}
