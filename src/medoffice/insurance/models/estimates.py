"""What a visit costs: allowed amounts (until the billing fee schedule exists), the services an
appointment type plans, and Good Faith Estimates issued to uninsured or self-pay patients."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.core.fields import EncryptedTextField
from medoffice.insurance.models.payers import InsurancePlan

USER = settings.AUTH_USER_MODEL


class AllowedAmount(models.Model):
    """What a plan allows for a procedure code; with no plan, the practice's self-pay price."""

    code = models.CharField("CPT/HCPCS", max_length=5)
    description = models.CharField(max_length=120, blank=True)
    plan = models.ForeignKey(
        InsurancePlan, null=True, blank=True, on_delete=models.CASCADE, related_name="allowed"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "plan"], condition=Q(plan__isnull=False), name="allowed_per_plan"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(plan__isnull=True), name="self_pay_price_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allowed_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"


class PlannedService(models.Model):
    """A procedure an appointment type usually bills (a new-patient visit: 99204)."""

    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("CPT/HCPCS", max_length=5)
    units = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["appointment_type_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment_type", "code"], name="planned_service_once"
            ),
            models.CheckConstraint(
                condition=Q(units__gte=1, units__lte=99), name="planned_units_1_99"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} x{self.units}"


class GoodFaithEstimate(models.Model):
    """A No Surprises Act Good Faith Estimate, as issued (the PDF is kept, encrypted)."""

    number = models.CharField(max_length=20, unique=True)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_date = models.DateField()
    lines = models.JSONField(help_text="[{code, description, units, amount}]")
    total = models.DecimalField(max_digits=10, decimal_places=2)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = EncryptedTextField(help_text="base64 PDF, encrypted")
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="gfe_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Good Faith Estimate {self.number}"
