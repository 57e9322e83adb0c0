"""The visit at the desk: check-in and its checklist, card images, the desk's settings per
location, excuse notes and follow-up requests.

Appointments and their status stay in scheduling (moved only through
``scheduling.services.set_status``); a check-in points at its appointment and adds what the desk
records: when the patient arrived, how late, the ticket number on the waiting-room screen, the
checklist, and the one step scheduling has no status for (ready for check-out).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.core.fields import EncryptedTextField
from medoffice.frontdesk.choices import (
    CaptureSource,
    CardImageKind,
    DisplayMode,
    ExcuseKind,
    FollowUpStatus,
    IntervalUnit,
)

USER = settings.AUTH_USER_MODEL


class DeskSettings(models.Model):
    """Per location (or, with no location, the practice default): waits and the public screen."""

    location = models.OneToOneField(
        "practice.Location", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    wait_warning_minutes = models.PositiveSmallIntegerField(
        default=20, help_text="Waits longer than this show amber on the board"
    )
    wait_alert_minutes = models.PositiveSmallIntegerField(
        default=35, help_text="Waits longer than this show red on the board"
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        default=10, help_text="Arriving more than this after the appointment time flags late"
    )
    display_mode = models.CharField(
        max_length=14, choices=DisplayMode.choices, default=DisplayMode.FIRST_NAME_INITIAL
    )
    display_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    display_token_prefix = models.CharField(max_length=8, blank=True)
    display_token_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "desk settings"
        constraints = [
            models.UniqueConstraint(
                fields=["location"],
                condition=Q(location__isnull=True),
                name="desk_settings_one_practice_default",
            ),
            models.CheckConstraint(
                condition=Q(wait_warning_minutes__lte=models.F("wait_alert_minutes")),
                name="desk_settings_warning_before_alert",
            ),
        ]

    def __str__(self) -> str:
        return f"desk settings {self.location_id or 'practice'}"


class CheckIn(models.Model):
    """One visit at the desk, from arrival to check-out."""

    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="check_in"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("practice.Location", on_delete=models.PROTECT, related_name="+")
    arrival_date = models.DateField(help_text="The location's local day of arrival")
    arrived_at = models.DateTimeField()
    minutes_late = models.PositiveSmallIntegerField(default=0)
    late = models.BooleanField(default=False)
    ticket = models.PositiveSmallIntegerField(help_text="Number on the waiting-room screen")
    checked_in_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    demographics_confirmed_at = models.DateTimeField(null=True, blank=True)
    demographics_confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forms_complete_at = models.DateTimeField(
        null=True, blank=True, help_text="When the desk saw no intake form left due"
    )
    ready_for_checkout_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checked_out_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["arrived_at", "pk"]
        permissions = [
            ("use_desk", "Check patients in and out; run the waiting-room board"),
            ("issue_excuse_note", "Issue work and school excuse notes"),
            ("manage_desk_settings", "Set wait thresholds and the waiting-room screen"),
            ("view_wait_report", "See wait-time reports"),
        ]
        indexes = [
            models.Index(fields=["location", "arrival_date"], name="checkin_location_day"),
            models.Index(fields=["patient", "arrived_at"], name="checkin_patient_when"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "arrival_date", "ticket"], name="checkin_ticket_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk} (appointment {self.appointment_id})"

    @property
    def ticket_label(self) -> str:
        return f"A-{self.ticket}"


class DemographicsConfirmation(models.Model):
    """When the patient last confirmed name, address, phones and insurance holder at the desk."""

    patient = models.OneToOneField("patients.Patient", on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"demographics of patient {self.patient_id} confirmed {self.confirmed_at:%Y-%m-%d}"


class CardImage(models.Model):
    """An insurance card side or photo ID captured at check-in: a JPEG encrypted at rest."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="images")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=CardImageKind.choices)
    source = models.CharField(max_length=8, choices=CaptureSource.choices)
    jpeg = EncryptedTextField(help_text="base64 JPEG, encrypted")
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    captured_at = models.DateTimeField()
    captured_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_in", "kind"], name="card_image_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of check-in {self.check_in_id}"


class ExcuseNote(models.Model):
    """A work or school excuse note, signed by the provider named on it; the PDF as issued."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=6, choices=ExcuseKind.choices)
    visit_date = models.DateField()
    excused_from = models.DateField()
    excused_through = models.DateField()
    return_on = models.DateField()
    restrictions = models.CharField(max_length=300, blank=True)
    signature = models.CharField(max_length=200, help_text="The electronic signature line")
    pdf = EncryptedTextField(help_text="base64 PDF, encrypted")
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["patient", "issued_at"], name="excuse_patient_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(excused_from__lte=models.F("excused_through")),
                name="excuse_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(return_on__gt=models.F("excused_through")),
                name="excuse_return_after_excused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} excuse note {self.pk}"


class FollowUpRequest(models.Model):
    """ "Return in 3 months": asked at check-out, booked in the week it lands on."""

    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType", on_delete=models.PROTECT, related_name="+"
    )
    interval = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=6, choices=IntervalUnit.choices)
    target_date = models.DateField()
    week_starts = models.DateField()
    status = models.CharField(
        max_length=6, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    booked_appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=366), name="follow_up_interval_1_366"
            )
        ]

    def __str__(self) -> str:
        return f"follow-up in {self.interval} {self.unit} (appointment {self.appointment_id})"
