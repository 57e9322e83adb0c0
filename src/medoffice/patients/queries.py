"""Reads of the patient registry that views and other contexts may use.

These do not audit: the caller knows whether it shows PHI to a person and calls
``services.audit_read`` / ``services.audit_search`` when it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from medoffice.patients import choices as c
from medoffice.patients.models import Patient, PatientAlert, PatientMerge, PatientPhone

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class BannerAlert:
    """One line of the alert banner; ``alert_id`` is None for alerts derived from the record."""

    kind: str
    label: str
    message: str
    severity: str
    alert_id: int | None = None


def patient_detail_queryset() -> QuerySet[Patient]:
    return Patient.objects.select_related(
        "primary_care_provider",
        "referring_provider",
        "guarantor",
        "responsible_party",
        "merged_into",
    ).prefetch_related(
        "phones",
        "addresses",
        "previous_names",
        "emergency_contacts",
        Prefetch("alerts", queryset=PatientAlert.objects.filter(resolved_at__isnull=True)),
    )


def get_patient(patient_id: int) -> Patient | None:
    return patient_detail_queryset().filter(pk=patient_id).order_by().first()


def get_patient_row(patient_id: int) -> Patient | None:
    """Identity only (id, MRN, status, merge): for writes that need the id. Nothing encrypted
    is read (or decrypted) until a deferred field is used."""
    return (
        Patient.objects.only("id", "mrn", "status", "merged_into_id").filter(pk=patient_id).first()
    )


def get_by_mrn(mrn: str) -> Patient | None:
    return Patient.objects.filter(mrn=mrn).first()


def list_patients(*, status: str | None = None) -> QuerySet[Patient]:
    """Patients of one status, or every record that was not merged away."""
    qs = (
        Patient.objects.filter(status=status)
        if status
        else Patient.objects.exclude(status=c.PatientStatus.MERGED)
    )
    return qs.prefetch_related(
        Prefetch("phones", queryset=PatientPhone.objects.order_by("-is_primary", "pk"))
    )


def dependents_of(patient: Patient) -> QuerySet[Patient]:
    return patient.dependents.exclude(status=c.PatientStatus.MERGED).order_by("birth_date", "pk")


def merges_of(patient: Patient) -> QuerySet[PatientMerge]:
    return PatientMerge.objects.filter(survivor=patient).select_related(
        "duplicate", "merged_by", "undone_by"
    )


def banner_alerts(patient: Patient) -> list[BannerAlert]:
    """What the banner shows: alerts staff entered, then what the record itself says."""
    shown: list[BannerAlert] = []
    if patient.status == c.PatientStatus.MERGED:
        shown.append(
            BannerAlert(
                "merged",
                "Merged",
                "This record was merged; use the kept record.",
                c.AlertSeverity.CRITICAL,
            )
        )
    if patient.status == c.PatientStatus.DECEASED:
        when = f" on {patient.deceased_date:%m/%d/%Y}" if patient.deceased_date else ""
        shown.append(
            BannerAlert(
                "deceased", "Deceased", f"The patient died{when}.", c.AlertSeverity.CRITICAL
            )
        )
    if patient.interpreter_needed:
        language = c.Language(patient.preferred_language).label
        shown.append(
            BannerAlert(
                c.AlertKind.INTERPRETER,
                "Needs interpreter",
                f"{language} interpreter needed.",
                c.AlertSeverity.WARNING,
            )
        )
    for alert in patient.alerts.all():
        if alert.resolved_at is None:
            shown.append(
                BannerAlert(
                    alert.kind, alert.get_kind_display(), alert.message, alert.severity, alert.pk
                )
            )
    return sorted(shown, key=lambda a: SEVERITY_ORDER.get(a.severity, 3))
