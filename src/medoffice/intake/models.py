"""Intake forms: templates with versioned questions, requests (kiosk or link), signed submissions,
and the patient's reviewed medical history.

Write only through ``intake.services``: it hashes tokens, renders the signed PDF, applies answers
through ``patients.services`` and writes the audit trail. Answers, signatures, PDFs and the history
are PHI and stored encrypted (``EncryptedTextField``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.core.fields import EncryptedTextField
from medoffice.intake import choices as c


class FormTemplate(models.Model):
    """A form the office uses (registration, consent to treat, ...); its questions live in
    versions so a signed submission stays tied to exactly the text the patient saw."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    is_standard = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(default=True)
    for_new_patients = models.BooleanField(
        default=False, help_text="Due for every patient who has not completed it yet"
    )
    renewal = models.CharField(max_length=16, choices=c.Renewal.choices, default=c.Renewal.NONE)
    renew_after_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Acknowledged again, or expires, after this many months"
    )
    position = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name", "pk"]
        permissions = [("manage_forms", "Build and publish intake forms")]
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal=c.Renewal.NONE, renew_after_months__isnull=True)
                | (~Q(renewal=c.Renewal.NONE) & Q(renew_after_months__gte=1)),
                name="intake_template_renewal_period",
            )
        ]

    def __str__(self) -> str:
        return self.name


class FormVersion(models.Model):
    """One wording of a template. Drafts are edited; publishing freezes a version."""

    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=c.VersionStatus.choices, default=c.VersionStatus.DRAFT
    )
    intro = models.TextField(blank=True, help_text="Text shown above the questions")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="intake_version_number"),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="published"),
                name="intake_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="draft"), name="intake_one_draft_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class Question(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40, help_text="Stable name, kept across versions")
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=c.QuestionKind.choices)
    required = models.BooleanField(default=False)
    options = models.JSONField(default=list, blank=True, help_text="Choices, one per entry")
    show_if_key = models.SlugField(max_length=40, blank=True)
    show_if_value = models.CharField(max_length=200, blank=True)
    maps_to = models.CharField(max_length=32, choices=c.RecordField.choices, blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="intake_question_key"),
        ]

    def __str__(self) -> str:
        return self.label


class FormRequest(models.Model):
    """Forms asked of one patient at once: a kiosk session at the desk or a secure link.

    Only the SHA-256 of the token is stored; the token itself is shown once (link) or kept in
    the kiosk device's session.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="intake_requests"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(max_length=8, choices=c.Channel.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["patient", "created_at"], name="intake_request_patient")]

    def __str__(self) -> str:
        return f"form request #{self.pk}"


class RequestedForm(models.Model):
    """One form of a request, in the order the patient fills them."""

    request = models.ForeignKey(FormRequest, on_delete=models.CASCADE, related_name="forms")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["request", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="intake_form_once"),
        ]

    def __str__(self) -> str:
        return f"{self.version} in request #{self.request_id}"


class Submission(models.Model):
    """A completed, signed form: answers, signature, the PDF, and the desk's review."""

    requested_form = models.OneToOneField(
        RequestedForm, on_delete=models.PROTECT, related_name="submission"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="intake_submissions"
    )
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    answers_data = EncryptedTextField(default="")
    signature_kind = models.CharField(max_length=8, choices=c.SignatureKind.choices)
    signature_data = EncryptedTextField(
        default="", help_text="The drawn signature (PNG, base64) or the typed name"
    )
    signer_name = models.CharField(max_length=200)
    signer_relationship = models.CharField(max_length=40, default="self")
    signed_at = models.DateTimeField()
    pdf_data = EncryptedTextField(default="", help_text="The signed form's PDF (base64)")
    review_status = models.CharField(
        max_length=10, choices=c.ReviewStatus.choices, default=c.ReviewStatus.PENDING
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_fields = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "review_status"], name="intake_submission_review"),
            models.Index(fields=["patient", "version"], name="intake_submission_version"),
        ]

    def __str__(self) -> str:
        return f"form #{self.pk}"

    @property
    def answers(self) -> dict[str, Any]:
        return json.loads(self.answers_data) if self.answers_data else {}

    @answers.setter
    def answers(self, value: dict[str, Any]) -> None:
        self.answers_data = json.dumps(value, sort_keys=True)

    @property
    def pdf(self) -> bytes:
        return base64.b64decode(self.pdf_data) if self.pdf_data else b""

    @pdf.setter
    def pdf(self, value: bytes) -> None:
        self.pdf_data = base64.b64encode(value).decode("ascii")


class PatientHistory(models.Model):
    """The medical history as last reviewed by staff from a signed form (one row per patient)."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="intake_history"
    )
    conditions = EncryptedTextField(blank=True, default="")
    medications = EncryptedTextField(blank=True, default="")
    allergies = EncryptedTextField(blank=True, default="")
    surgeries = EncryptedTextField(blank=True, default="")
    family_history = EncryptedTextField(blank=True, default="")
    social_history = EncryptedTextField(blank=True, default="")
    source = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "patient histories"

    def __str__(self) -> str:
        return f"history of patient #{self.patient_id}"
