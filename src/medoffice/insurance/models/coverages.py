"""A patient's coverages, in order (primary, secondary, tertiary), and the card images."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from medoffice.core.fields import EncryptedTextField
from medoffice.insurance.choices import (
    CardSide,
    CoverageOrder,
    CoverageStatus,
    SubscriberRelationship,
)
from medoffice.insurance.models.payers import InsurancePlan

USER = settings.AUTH_USER_MODEL


class Coverage(models.Model):
    """One plan covering one patient. The subscriber may be another person (a parent, a spouse),
    who need not be a patient of the practice."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(InsurancePlan, on_delete=models.PROTECT, related_name="coverages")
    order = models.PositiveSmallIntegerField(choices=CoverageOrder.choices)
    member_id = models.CharField("member ID", max_length=40)
    group_number = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(
        "patient's relationship to the subscriber",
        max_length=2,
        choices=SubscriberRelationship.choices,
        default=SubscriberRelationship.SELF,
    )
    subscriber_patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When the subscriber is also a patient here.",
    )
    subscriber_last_name = models.CharField(max_length=100, blank=True)
    subscriber_first_name = models.CharField(max_length=100, blank=True)
    subscriber_middle_name = models.CharField(max_length=100, blank=True)
    subscriber_birth_date = models.DateField(null=True, blank=True)
    subscriber_sex = models.CharField(max_length=1, blank=True)
    effective_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=CoverageStatus.choices, default=CoverageStatus.ACTIVE
    )
    notes = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["patient_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "order"],
                condition=Q(status="active"),
                name="one_active_coverage_per_order",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("effective_date")),
                name="coverage_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=~Q(member_id=""), name="coverage_has_member_id"),
            models.CheckConstraint(
                condition=Q(order__gte=1, order__lte=3), name="coverage_order_1_3"
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"], name="coverage_patient_status")]

    def __str__(self) -> str:
        return f"{self.get_order_display()} coverage {self.pk}"


class CoverageCard(models.Model):
    """A side of the insurance card: a JPEG encrypted at rest (it shows the member ID)."""

    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="cards")
    side = models.CharField(max_length=5, choices=CardSide.choices)
    jpeg = EncryptedTextField(help_text="base64 JPEG, encrypted")
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    captured_at = models.DateTimeField()
    captured_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coverage", "side"], name="coverage_card_once_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} of coverage {self.coverage_id}"
