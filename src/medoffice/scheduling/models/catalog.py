"""What can be booked: appointment types, their durations and needs, and rooms and equipment."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from medoffice.patients.choices import Language
from medoffice.practice import validators as pv
from medoffice.scheduling.choices import ResourceKind


class Resource(models.Model):
    """A room or a piece of equipment that an appointment may need for its whole length."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    location = models.ForeignKey(
        "practice.Location", on_delete=models.PROTECT, related_name="resources"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="resource_name_per_location")
        ]

    def __str__(self) -> str:
        return self.name


class AppointmentType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=30, unique=True)
    default_minutes = models.PositiveSmallIntegerField()
    color = models.CharField(max_length=7, default="#4a7fb0", validators=[pv.validate_color])
    providers = models.ManyToManyField(
        "practice.Provider",
        blank=True,
        related_name="appointment_types",
        help_text="Who may see this type; none chosen means every provider.",
    )
    needs_referral = models.BooleanField(default=False)
    needs_prior_authorization = models.BooleanField(default=False)
    new_patients_only = models.BooleanField(default=False)
    service_type_codes = models.CharField(
        max_length=60,
        blank=True,
        help_text="X12 service type codes to ask in eligibility checks, e.g. 98,BZ (insurance).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_minutes__gte=5, default_minutes__lte=480),
                name="appointment_type_minutes_5_480",
            ),
            models.CheckConstraint(
                condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="appointment_type_color_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AppointmentTypeDuration(models.Model):
    """A provider's own length for a type (a new patient takes Dr. Okafor 60 minutes)."""

    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.CASCADE, related_name="durations"
    )
    provider = models.ForeignKey("practice.Provider", on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment_type", "provider"], name="type_duration_once_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=480), name="type_duration_minutes_5_480"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} with {self.provider}: {self.minutes} min"


class AppointmentTypeInstruction(models.Model):
    """Preparation instructions for the patient, in one language."""

    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.CASCADE, related_name="instructions"
    )
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment_type", "language"], name="type_instruction_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} ({self.language})"


class AppointmentTypeResource(models.Model):
    """A kind of resource the type needs (any free one of that kind at the location)."""

    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.CASCADE, related_name="resource_needs"
    )
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment_type", "kind"], name="type_resource_kind_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} needs {self.get_kind_display()}"
