"""Reads of the intake context that views and other contexts (front desk, chart prep) may use.

These do not audit: the caller knows whether it shows PHI to a person. ``forms_due`` names only
form names and plain reasons, no answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from medoffice.intake import choices as c
from medoffice.intake.models import FormTemplate, FormVersion, Submission
from medoffice.intake.rules.due import DueRule
from medoffice.intake.rules.due import forms_due as due_by_rules


@dataclass(frozen=True)
class DueForm:
    """A form the patient owes: ``reason`` in plain words ("new patient",
    "yearly acknowledgment due", "consent expired on 2026-03-01")."""

    template_code: str
    name: str
    reason: str


def due_rules() -> list[DueRule]:
    """The rules of the active templates that have a published version (one query)."""
    templates = FormTemplate.objects.filter(
        is_active=True, versions__status=c.VersionStatus.PUBLISHED
    ).order_by("position", "name", "pk")
    return [
        DueRule(
            code=t.code,
            name=t.name,
            for_new_patients=t.for_new_patients,
            renewal=t.renewal,  # type: ignore[arg-type]
            months=t.renew_after_months,
        )
        for t in templates
    ]


def last_signed_dates(patient_ids: Iterable[int]) -> dict[int, dict[str, dt.date]]:
    """Per patient, the local date of the latest signed submission of each template (one query)."""
    ids = list(patient_ids)
    found: dict[int, dict[str, dt.date]] = {pk: {} for pk in ids}
    rows = (
        Submission.objects.filter(patient_id__in=ids)
        .values("patient_id", "version__template__code")
        .annotate(last=Max("signed_at"))
        .order_by()
    )
    for row in rows:
        found[row["patient_id"]][row["version__template__code"]] = timezone.localdate(row["last"])
    return found


def forms_due_for(patient_ids: Iterable[int], *, on: dt.date) -> dict[int, list[DueForm]]:
    """Forms due for each patient on a day, in two queries whatever the number of patients."""
    ids = list(dict.fromkeys(patient_ids))
    if not ids:
        return {}
    rules = due_rules()
    signed = last_signed_dates(ids)
    return {
        pk: [DueForm(d.code, d.name, d.reason) for d in due_by_rules(rules, signed[pk], on)]
        for pk in ids
    }


def forms_due(patient_id: int, *, on: dt.date) -> list[DueForm]:
    return forms_due_for([patient_id], on=on)[patient_id]


def pending_review_count(patient_id: int) -> int:
    """Completed submissions the desk has not reviewed or applied yet."""
    return Submission.objects.filter(
        patient_id=patient_id, review_status=c.ReviewStatus.PENDING
    ).count()


def pending_review_counts(patient_ids: Iterable[int]) -> dict[int, int]:
    """``pending_review_count`` for many patients in one query."""
    ids = list(patient_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        Submission.objects.filter(patient_id__in=ids, review_status=c.ReviewStatus.PENDING)
        .values("patient_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["patient_id"]] = row["n"]
    return counts


def published_version(code: str) -> FormVersion | None:
    return (
        FormVersion.objects.filter(template__code=code, status=c.VersionStatus.PUBLISHED)
        .select_related("template")
        .first()
    )


def templates_with_versions() -> QuerySet[FormTemplate]:
    return FormTemplate.objects.prefetch_related("versions")


def submissions_of(patient_id: int) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(patient_id=patient_id)
        .select_related("version__template", "reviewed_by")
        .order_by("-signed_at", "-pk")
    )


def active_templates() -> QuerySet[FormTemplate]:
    """Templates staff may ask for: active, with a published version."""
    return (
        FormTemplate.objects.filter(is_active=True, versions__status=c.VersionStatus.PUBLISHED)
        .distinct()
        .order_by("position", "name", "pk")
    )
