"""Payment plans and patient statements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.billing.choices import (
    CollectionsFlag,
    PlanFrequency,
    PlanStatus,
    StatementDelivery,
)
from medoffice.billing.models.ledger import money_field


class PaymentPlan(models.Model):
    """A balance split into scheduled instalments; what is paid is derived from its payments."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    total = money_field()
    frequency = models.CharField(max_length=8, choices=PlanFrequency.choices)
    first_due = models.DateField()
    status = models.CharField(max_length=9, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("manage_payment_plans", "Set up and cancel payment plans")]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="plan_total_positive"),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="plan_one_active_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"payment plan {self.pk} ({self.status})"


class Instalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = money_field()
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_number_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"instalment {self.number} due {self.due_on}"


class StatementRun(models.Model):
    """One statement cycle (monthly, or on demand for one patient)."""

    statement_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    message = models.CharField(max_length=500, blank=True, help_text="printed on every statement")
    minimum_balance = money_field(default=0)

    class Meta:
        ordering = ["-statement_date", "-id"]
        permissions = [("manage_statements", "Run and send patient statements")]

    def __str__(self) -> str:
        return f"statements of {self.statement_date}"


class Statement(models.Model):
    """One patient's statement as it was printed: the figures are kept, not recomputed."""

    run = models.ForeignKey(
        StatementRun, null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    statement_date = models.DateField()
    due_on = models.DateField()
    balance_due = money_field()
    pending_insurance = money_field()
    current = money_field("0-30 days")
    days_31_60 = money_field("31-60 days")
    days_61_90 = money_field("61-90 days")
    days_91_120 = money_field("91-120 days")
    days_over_120 = money_field("over 120 days")
    collections_flag = models.CharField(max_length=8, choices=CollectionsFlag.choices, blank=True)
    message = models.CharField(max_length=500, blank=True)
    content = models.JSONField(default=dict, help_text="addressee, lines and totals as printed")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_via = models.CharField(max_length=8, choices=StatementDelivery.choices, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-statement_date", "-id"]
        indexes = [models.Index(fields=["patient", "statement_date"], name="statement_patient")]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "patient"],
                condition=Q(run__isnull=False),
                name="statement_once_per_run",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | ~Q(sent_via=""), name="statement_sent_has_how"
            ),
        ]

    def __str__(self) -> str:
        return f"statement {self.pk} of {self.statement_date}"
