"""Appointments, their history, recurring series, the waitlist and the no-show model.

No two appointments holding time may overlap for one provider or one resource unless booked as
an overbook: enforced by exclusion constraints on PostgreSQL and by triggers on SQLite (see the
migration and docs/adr/0008-no-double-booking.md), not only by the booking service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.scheduling.choices import (
    AppointmentEventKind,
    AppointmentStatus,
    CancelReason,
    WaitlistStatus,
)


class AppointmentSeries(models.Model):
    """Appointments booked together by a recurrence (every 8 weeks, weekly PT until June)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointment_series"
    )
    provider = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("practice.Location", on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType", on_delete=models.PROTECT, related_name="+"
    )
    rrule = models.CharField(max_length=200, help_text="RFC 5545 RRULE")
    first_starts_at = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "appointment series"

    def __str__(self) -> str:
        return f"series {self.pk} ({self.rrule})"


class Appointment(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    provider = models.ForeignKey(
        "practice.Provider", on_delete=models.PROTECT, related_name="appointments"
    )
    location = models.ForeignKey(
        "practice.Location", on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType", on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=14, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    overbook = models.BooleanField(
        default=False, help_text="Booked on top of another appointment, within the session limit"
    )
    reason = models.CharField("reason for visit", max_length=200, blank=True)
    note = models.CharField("note for the desk", max_length=300, blank=True)
    series = models.ForeignKey(
        AppointmentSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    cancel_reason = models.CharField(max_length=12, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(max_length=200, blank=True)
    booked_at = models.DateTimeField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    no_show_risk = models.DecimalField(
        max_digits=4, decimal_places=3, null=True, blank=True, help_text="0.000-1.000"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        permissions = [
            ("manage_schedule", "Set up appointment types, sessions, blocks and exceptions"),
            ("manage_calendar_feeds", "Create and revoke calendar subscription links"),
        ]
        indexes = [
            models.Index(fields=["provider", "starts_at"], name="appointment_provider_when"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_when"),
            models.Index(fields=["location", "starts_at"], name="appointment_location_when"),
            models.Index(fields=["starts_at", "status"], name="appointment_when_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="appointment_starts_before_end",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="appointment_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"appointment {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def holds_time(self) -> bool:
        from medoffice.scheduling.choices import HOLDING_TIME

        return self.status in HOLDING_TIME


class AppointmentResource(models.Model):
    """A resource an appointment uses; ``holds_time`` follows the appointment's status."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="resource_uses"
    )
    resource = models.ForeignKey(
        "scheduling.Resource", on_delete=models.PROTECT, related_name="uses"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    holds_time = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["resource", "starts_at"], name="resource_use_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="resource_use_starts_before_end",
            ),
            models.UniqueConstraint(
                fields=["appointment", "resource"], name="resource_use_once_per_appointment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} for appointment {self.appointment_id}"


class AppointmentEvent(models.Model):
    """What happened to an appointment, when and by whom: its history and the visit timeline."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=AppointmentEventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["appointment", "at"], name="appointment_event_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class WaitlistEntry(models.Model):
    """A patient who wants an earlier slot; offered one when a cancellation frees a match."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        "practice.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    earliest_date = models.DateField()
    latest_date = models.DateField()
    weekdays = models.JSONField(default=list, blank=True, help_text="0=Monday..6; empty = any")
    earliest_time = models.TimeField(null=True, blank=True)
    latest_time = models.TimeField(null=True, blank=True)
    current_appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_starts_at = models.DateTimeField(null=True, blank=True)
    offered_provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    booked_appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        indexes = [
            models.Index(fields=["status", "earliest_date"], name="waitlist_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest_date__lte=models.F("latest_date")),
                name="waitlist_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"waitlist {self.pk} ({self.get_status_display()})"


class NoShowModel(models.Model):
    """A fitted no-show risk model: its coefficients, and how well it was calibrated."""

    fitted_at = models.DateTimeField()
    samples = models.PositiveIntegerField()
    base_rate = models.FloatField()
    intercept = models.FloatField()
    coefficients = models.JSONField(help_text="{feature name: coefficient}")
    calibration = models.JSONField(
        default=list, help_text="[{predicted, observed, count}] per risk band on held-out data"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-fitted_at"]

    def __str__(self) -> str:
        return f"no-show model of {self.fitted_at:%Y-%m-%d}"
