"""Prior authorizations: the request (services with units and dates, diagnoses), how and when it
went to the payer, the decision, and the appointments it covers.

Units used are counted from the linked appointments still in a countable status, like referral
visits. The raw X12 278 request and response are PHI and are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from medoffice.authorizations.choices import AuthorizationStatus, SubmittedVia
from medoffice.core.fields import EncryptedTextField
from medoffice.scheduling.choices import HOLDING_TIME

COUNTABLE = HOLDING_TIME  # appointments using units (cancelled and no-show give them back)

USER = settings.AUTH_USER_MODEL
MAX_UNITS = 9999


class PriorAuthorization(models.Model):
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    coverage = models.ForeignKey(
        "insurance.Coverage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payer = models.ForeignKey(
        "insurance.Payer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The kind of visit it is for (booking warnings match on it).",
    )
    requesting_provider = models.ForeignKey(
        "practice.Provider", on_delete=models.PROTECT, related_name="+"
    )
    servicing_provider = models.ForeignKey(
        "practice.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who performs the service (blank: the requesting provider).",
    )
    status = models.CharField(
        max_length=10, choices=AuthorizationStatus.choices, default=AuthorizationStatus.DRAFT
    )
    certification_number = models.CharField("authorization number", max_length=50, blank=True)
    submitted_via = models.CharField(max_length=6, choices=SubmittedVia.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    payer_reference = models.CharField(
        max_length=50, blank=True, help_text="The payer's case or call reference."
    )
    trace_number = models.CharField(max_length=30, blank=True, help_text="Our 278 TRN")
    denial_reason = models.CharField(max_length=300, blank=True)
    payer_message = models.CharField(
        max_length=300, blank=True, help_text="The last thing the payer or the exchange said."
    )
    retry_may_help = models.BooleanField(default=False)
    raw_278_request = EncryptedTextField(blank=True, default="")
    raw_278_response = EncryptedTextField(blank=True, default="")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "status"], name="prior_auth_patient"),
            models.Index(fields=["status", "effective_to"], name="prior_auth_status_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="prior_auth_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(certification_number=""),
                name="prior_auth_approved_has_number",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="cancelled") | ~Q(submitted_via=""),
                name="prior_auth_submitted_says_how",
            ),
            models.UniqueConstraint(
                fields=["payer", "certification_number"],
                condition=~Q(certification_number=""),
                name="prior_auth_number_once_per_payer",
            ),
            models.UniqueConstraint(
                fields=["trace_number"], condition=~Q(trace_number=""), name="prior_auth_trace"
            ),
        ]

    def __str__(self) -> str:
        return f"Prior authorization {self.certification_number or self.pk}"

    @property
    def label(self) -> str:
        """ "Prior authorization 123456" (or its id): no PHI."""
        if self.certification_number:
            return f"Prior authorization {self.certification_number}"
        return f"Prior authorization #{self.pk}"

    @property
    def units_approved_total(self) -> int:
        """What the payer granted over every line (``approved_units`` when annotated)."""
        found = getattr(self, "approved_units", None)
        if found is None:
            found = sum(line.units_approved or 0 for line in self.services.all())
        return int(found)

    @property
    def units_used(self) -> int:
        """Units of linked appointments in a countable status (``used_units`` when annotated)."""
        found = getattr(self, "used_units", None)
        if found is None:
            found = sum(
                link.units for link in self.appointments.filter(appointment__status__in=COUNTABLE)
            )
        return int(found)

    @property
    def units_left(self) -> int:
        return max(0, self.units_approved_total - self.units_used)


class AuthorizationService(models.Model):
    """One requested service line: a CPT/HCPCS code, units, dates, and what the payer granted."""

    authorization = models.ForeignKey(
        PriorAuthorization, on_delete=models.CASCADE, related_name="services"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField("CPT/HCPCS", max_length=5)
    description = models.CharField(max_length=120, blank=True)
    units_requested = models.PositiveSmallIntegerField(default=1)
    units_approved = models.PositiveSmallIntegerField(null=True, blank=True)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    decision = models.CharField(
        max_length=3, blank=True, help_text="The 278 HCR01 for this line (A1, A3, A4 ...)."
    )

    class Meta:
        ordering = ["authorization_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "position"], name="authorization_service_position"
            ),
            models.CheckConstraint(
                condition=Q(units_requested__gte=1, units_requested__lte=MAX_UNITS),
                name="authorization_units_requested_1_9999",
            ),
            models.CheckConstraint(
                condition=Q(units_approved__isnull=True)
                | Q(units_approved__gte=0, units_approved__lte=MAX_UNITS),
                name="authorization_units_approved_0_9999",
            ),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True)
                | Q(from_date__isnull=True)
                | Q(to_date__gte=F("from_date")),
                name="authorization_service_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^([0-9]{4}[0-9FT]|[A-Z][0-9]{4})$"),
                name="authorization_service_cpt_hcpcs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} x{self.units_requested}"


class AuthorizationDiagnosis(models.Model):
    """An ICD-10-CM code of the request, in order (the first is the principal diagnosis)."""

    authorization = models.ForeignKey(
        PriorAuthorization, on_delete=models.CASCADE, related_name="diagnoses"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField("ICD-10-CM", max_length=8)

    class Meta:
        ordering = ["authorization_id", "position"]
        verbose_name_plural = "authorization diagnoses"
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "position"], name="authorization_diagnosis_position"
            ),
            models.UniqueConstraint(
                fields=["authorization", "code"], name="authorization_diagnosis_once"
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"),
                name="authorization_diagnosis_icd10cm_form",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AuthorizationAppointment(models.Model):
    """An appointment the authorization covers; ``units`` it uses while it counts."""

    authorization = models.ForeignKey(
        PriorAuthorization, on_delete=models.CASCADE, related_name="appointments"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.CASCADE, related_name="+"
    )
    units = models.PositiveSmallIntegerField(default=1)
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["authorization_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "appointment"], name="authorization_appointment_once"
            ),
            models.CheckConstraint(
                condition=Q(units__gte=1, units__lte=MAX_UNITS), name="authorization_link_units"
            ),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.appointment_id} on authorization {self.authorization_id}"
