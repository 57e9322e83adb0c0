"""Eligibility checks as sent and answered, the nightly batches, and X12 control numbers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.core.fields import EncryptedTextField
from medoffice.insurance.choices import CheckSource, CheckStatus
from medoffice.insurance.models.coverages import Coverage
from medoffice.insurance.models.payers import Clearinghouse

USER = settings.AUTH_USER_MODEL


class ControlNumber(models.Model):
    """The last control number used per sequence (ISA13, GS06, ST02 per clearinghouse).

    Taken under ``select_for_update`` so two requests never share one, and never reset.
    """

    sequence = models.CharField(max_length=60, unique=True)
    last_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_value__gte=0, last_value__lte=999_999_999),
                name="control_number_fits_isa13",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} at {self.last_value}"


class EligibilityBatch(models.Model):
    """One nightly batch of 270s for a day's appointments."""

    service_date = models.DateField()
    clearinghouse = models.ForeignKey(Clearinghouse, on_delete=models.PROTECT, related_name="+")
    payload_id = models.CharField(max_length=64, blank=True)
    interchange_control_number = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    acknowledgment = models.CharField(max_length=1, blank=True, help_text="999 AK9 status")
    error_message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Eligibility batch {self.pk} for {self.service_date}"


class EligibilityCheck(models.Model):
    """One 270 for one coverage and date of service, and what came back.

    The raw X12 and the readable summary are PHI and are encrypted at rest; the few figures the
    desk and the estimate need (copay, what is left of the deductible) sit in numeric columns.
    """

    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="checks")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.ForeignKey(
        EligibilityBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    service_date = models.DateField()
    service_types = models.CharField(max_length=80, default="30")
    source = models.CharField(max_length=10, choices=CheckSource.choices)
    status = models.CharField(
        max_length=10, choices=CheckStatus.choices, default=CheckStatus.QUEUED
    )
    trace_number = models.CharField(max_length=30, unique=True)
    interchange_control_number = models.BigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(
        max_length=300, blank=True, help_text="Plain words for the desk: why it failed, what to do."
    )
    retry_may_help = models.BooleanField(default=False)
    raw_270 = EncryptedTextField(blank=True, default="")
    raw_271 = EncryptedTextField(blank=True, default="")
    summary_json = EncryptedTextField(blank=True, default="")
    active = models.BooleanField(null=True)
    copay = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    coinsurance_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    deductible_remaining = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    out_of_pocket_remaining = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    other_payer_named = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["coverage", "-requested_at"], name="check_coverage_latest"),
            models.Index(fields=["patient", "-requested_at"], name="check_patient_latest"),
            models.Index(fields=["service_date", "status"], name="check_day_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(coinsurance_percent__isnull=True)
                | Q(coinsurance_percent__gte=0, coinsurance_percent__lte=100),
                name="check_coinsurance_0_100",
            ),
        ]
        permissions = [("check_eligibility", "Can run eligibility checks")]

    def __str__(self) -> str:
        return f"Eligibility check {self.pk}"
