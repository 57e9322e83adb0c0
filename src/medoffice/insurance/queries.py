"""Reads of the insurance context that other contexts may use (front desk, authorizations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from medoffice.insurance.choices import CoverageStatus
from medoffice.insurance.models import Coverage, EligibilityCheck, InsurancePlan


def coverages_for(patient_ids: Iterable[int], *, on: dt.date | None = None) -> QuerySet[Coverage]:
    """Several patients' active coverages in one query, by patient then order; with ``on``, only
    those in force that day."""
    rows = Coverage.objects.filter(patient_id__in=list(patient_ids), status=CoverageStatus.ACTIVE)
    if on is not None:
        rows = rows.filter(effective_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
    return rows.select_related("plan__payer", "subscriber_patient").order_by("patient_id", "order")


def primary_coverages(patient_ids: Iterable[int], *, on: dt.date) -> dict[int, Coverage]:
    """Each patient's primary coverage in force on ``on`` (one query)."""
    found: dict[int, Coverage] = {}
    for row in coverages_for(patient_ids, on=on):
        found.setdefault(row.patient_id, row)
    return found


def latest_checks_of(
    coverage_ids: Iterable[int], *, service_date: dt.date | None = None
) -> dict[int, EligibilityCheck]:
    """Each coverage's most recent check (for ``service_date`` when given), in one query."""
    rows = EligibilityCheck.objects.filter(coverage_id__in=list(coverage_ids))
    if service_date is not None:
        rows = rows.filter(service_date=service_date)
    found: dict[int, EligibilityCheck] = {}
    for row in rows.order_by("coverage_id", "-requested_at"):
        found.setdefault(row.coverage_id, row)
    return found


def coverages_of(patient_id: int, *, on: dt.date | None = None) -> QuerySet[Coverage]:
    """The patient's active coverages in order; with ``on``, only those in force that day."""
    return coverages_for([patient_id], on=on)


def primary_coverage(patient_id: int, *, on: dt.date | None = None) -> Coverage | None:
    return coverages_of(patient_id, on=on).first()


def get_coverage(coverage_id: int) -> Coverage | None:
    return Coverage.objects.select_related("plan__payer", "patient").filter(pk=coverage_id).first()


def latest_check(coverage_id: int) -> EligibilityCheck | None:
    return (
        EligibilityCheck.objects.filter(coverage_id=coverage_id).order_by("-requested_at").first()
    )


def plans(*, active_only: bool = True) -> QuerySet[InsurancePlan]:
    rows = InsurancePlan.objects.select_related("payer")
    return rows.filter(active=True, payer__active=True) if active_only else rows


def describe(coverage: Any) -> str:
    """'Primary: Acme Health PPO Gold' — no member ID (that is for the coverage page only)."""
    return f"{coverage.get_order_display()}: {coverage.plan.payer.name} {coverage.plan.name}"


STALE_AFTER_DAYS = 7


def is_stale(check: EligibilityCheck, *, on: dt.date | None = None) -> bool:
    """A result is stale once it is a week old, or when it was for another month of service
    (benefit figures move as claims are paid)."""
    from django.utils import timezone

    today = timezone.localdate()
    if (today - timezone.localdate(check.requested_at)).days > STALE_AFTER_DAYS:
        return True
    return on is not None and (on.year, on.month) != (
        check.service_date.year,
        check.service_date.month,
    )


def summary_of(check: EligibilityCheck) -> dict[str, Any]:
    """The readable 271; made from the raw 271 when a bulk store left it (or its table by
    service type) out."""
    import json

    from medoffice.insurance.services.eligibility import summary_for

    if check.summary_json:
        summary: dict[str, Any] = json.loads(check.summary_json)
        if summary.get("benefits") is None and check.raw_271:
            summary["benefits"] = summary_for(check, check.raw_271)[1]["benefits"]
        return summary
    if check.raw_271 and check.status in ("active", "inactive", "rejected"):
        return dict(summary_for(check, check.raw_271)[1])  # stored in bulk: read when shown
    return {}


def checks_of(patient_id: int, *, limit: int = 50) -> QuerySet[EligibilityCheck]:
    return (
        EligibilityCheck.objects.filter(patient_id=patient_id)
        .select_related("coverage__plan__payer", "requested_by")
        .order_by("-requested_at")[:limit]
    )


def get_check(check_id: int) -> EligibilityCheck | None:
    return (
        EligibilityCheck.objects.select_related("coverage__plan__payer", "patient", "requested_by")
        .filter(pk=check_id)
        .first()
    )


def card_context(check: EligibilityCheck, *, on: dt.date | None = None) -> dict[str, Any]:
    """What ``insurance/_benefits_card.html`` needs for one check."""
    return {
        "check": check,
        "summary": summary_of(check),
        "stale": is_stale(check, on=on),
        "coverage": check.coverage,
    }


def desk_context(appointment: Any) -> dict[str, Any]:
    """What ``insurance/_desk_eligibility.html`` needs: the visit's coverage, its latest check
    for the visit's day (or any), and the patient estimate."""
    from django.utils import timezone

    from medoffice.insurance.services.estimates import estimate_visit

    day = timezone.localdate(appointment.starts_at)
    coverage = primary_coverage(appointment.patient_id, on=day)
    check = latest_check(coverage.pk) if coverage is not None else None
    found = estimate_visit(
        appointment.patient_id, appointment.appointment_type_id, day,
        coverage=coverage, check=check,
    )  # fmt: skip
    context: dict[str, Any] = {
        "appointment": appointment,
        "visit_coverage": coverage,
        "visit_check": check,
        "visit_estimate": found,
    }
    if check is not None:
        context.update(card_context(check, on=day))
    return context


def eligibility_items(patient_ids: Iterable[int], day: dt.date) -> dict[int, tuple[str, str]]:
    """Per patient, chart prep's eligibility line: (label, "action" or "info"). Two queries."""
    ids = list(patient_ids)
    coverages = primary_coverages(ids, on=day)
    latest = latest_checks_of(c.pk for c in coverages.values())
    found: dict[int, tuple[str, str]] = {}
    for patient_id in ids:
        coverage = coverages.get(patient_id)
        if coverage is None:
            found[patient_id] = (
                "No coverage on file: ask for the card or treat as self-pay",
                "action",
            )
            continue
        check = latest.get(coverage.pk)
        if check is None:
            found[patient_id] = (f"Eligibility not checked ({coverage.plan.payer.name})", "action")
        elif is_stale(check, on=day):
            found[patient_id] = (
                f"Eligibility checked {check.requested_at:%m/%d/%Y}: stale, check again",
                "action",
            )
        elif check.status == "active":
            copay = f" · copay ${check.copay}" if check.copay is not None else ""
            found[patient_id] = (f"Coverage active ({coverage.plan.payer.name}){copay}", "info")
        else:
            found[patient_id] = (check.message or check.get_status_display(), "action")
    return found
