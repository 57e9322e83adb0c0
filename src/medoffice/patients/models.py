"""The patient record, shaped after FHIR US Core Patient, and what hangs off it.

Write only through ``patients.services``: it keeps the search keys, phone digits and SSN digest in
step with the record and writes the audit trail.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.core.fields import EncryptedTextField, SortKeyField
from medoffice.core.phones import display as phone_display
from medoffice.patients import choices as c
from medoffice.patients.rules.names import KEY_MAX
from medoffice.practice import validators as pv


class MrnCounter(models.Model):
    """One row holding the next MRN sequence number; taken under a row lock."""

    next_number = models.PositiveIntegerField(default=1000001)

    def __str__(self) -> str:
        return f"next MRN #{self.next_number}"


class ResponsibleParty(models.Model):
    """A guarantor who is not a patient of the practice (e.g. a parent seen elsewhere)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=16, blank=True, help_text="E.164, e.g. +15552017788")
    email = models.EmailField(blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True, validators=[pv.validate_state])
    zip_code = models.CharField(
        "ZIP code", max_length=10, blank=True, validators=[pv.validate_zip_code]
    )
    employer = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "responsible parties"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Patient(models.Model):
    mrn = models.CharField("MRN", max_length=12, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=c.PatientStatus.choices, default=c.PatientStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    # Names (legal name as on the ID; preferred first name for greeting)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    suffix = models.CharField(max_length=10, blank=True, help_text="Jr, Sr, III")
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What the patient likes to be called"
    )

    birth_date = models.DateField()
    sex = models.CharField(
        "legal sex", max_length=8, choices=c.Sex.choices, help_text="As on ID and insurance"
    )
    gender_identity = models.CharField(max_length=20, choices=c.GenderIdentity.choices, blank=True)
    pronouns = models.CharField(max_length=8, choices=c.Pronouns.choices, blank=True)
    deceased_date = models.DateField(null=True, blank=True)

    email = models.EmailField(blank=True)
    preferred_language = models.CharField(
        max_length=8, choices=c.Language.choices, default=c.Language.ENGLISH
    )
    interpreter_needed = models.BooleanField(default=False)
    race = models.JSONField(default=list, blank=True, help_text="OMB race codes")
    ethnicity = models.CharField(max_length=8, choices=c.Ethnicity.choices, blank=True)

    ssn = EncryptedTextField("SSN", blank=True, default="")
    ssn_last4 = models.CharField(max_length=4, blank=True, default="")
    ssn_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)

    photo = models.FileField(upload_to="patients/photos/", blank=True, max_length=200)

    primary_care_provider = models.ForeignKey(
        "practice.Provider",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_care_patients",
    )
    referring_provider = models.ForeignKey(
        "practice.ReferringProvider",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_patients",
    )

    # Guarantor: the patient (self), another patient, or a responsible party who is not one.
    guarantor_relationship = models.CharField(
        max_length=12, choices=c.Relationship.choices, default=c.Relationship.SELF
    )
    guarantor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="dependents"
    )
    responsible_party = models.OneToOneField(
        ResponsibleParty, null=True, blank=True, on_delete=models.PROTECT, related_name="patient"
    )

    # Communication preferences
    preferred_contact_method = models.CharField(
        max_length=8, choices=c.ContactMethod.choices, default=c.ContactMethod.PHONE
    )
    appointment_reminders = models.BooleanField(default=True)
    email_consent = models.BooleanField("may email", default=False)
    mail_consent = models.BooleanField("may send letters", default=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "birth_date", "pk"]
        permissions = [("merge_patient", "Merge duplicate patient records and undo merges")]
        indexes = [
            models.Index(fields=["birth_date"], name="patient_birth_date"),
            models.Index(fields=["email"], name="patient_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mrn__regex=r"^[0-9]{8}$"), name="patient_mrn_8_digits"
            ),
            models.CheckConstraint(
                condition=Q(ssn_last4="") | Q(ssn_last4__regex=r"^[0-9]{4}$"),
                name="patient_ssn_last4_digits",
            ),
            models.CheckConstraint(
                condition=Q(status=c.PatientStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=c.PatientStatus.MERGED) & Q(merged_into__isnull=True)),
                name="patient_merged_has_target",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        guarantor_relationship=c.Relationship.SELF,
                        guarantor__isnull=True,
                        responsible_party__isnull=True,
                    )
                    | (
                        ~Q(guarantor_relationship=c.Relationship.SELF)
                        & (
                            Q(guarantor__isnull=False, responsible_party__isnull=True)
                            | Q(guarantor__isnull=True, responsible_party__isnull=False)
                        )
                    )
                ),
                name="patient_one_guarantor",
            ),
            models.CheckConstraint(
                condition=Q(deceased_date__isnull=True)
                | Q(status=c.PatientStatus.DECEASED)
                | Q(status=c.PatientStatus.MERGED),
                name="patient_deceased_date_means_deceased",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (MRN {self.mrn})"

    @property
    def display_name(self) -> str:
        """ "Smith, Jonah A." as the desk reads it (preferred name in quotes when set)."""
        first = self.first_name
        if self.preferred_name and self.preferred_name != self.first_name:
            first = f'{first} "{self.preferred_name}"'
        middle = f" {self.middle_name[0]}." if self.middle_name else ""
        suffix = f" {self.suffix}" if self.suffix else ""
        return f"{self.last_name}{suffix}, {first}{middle}"

    @property
    def greeting_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def ssn_masked(self) -> str:
        return f"***-**-{self.ssn_last4}" if self.ssn_last4 else ""

    @property
    def is_searchable(self) -> bool:
        return self.status != c.PatientStatus.MERGED


class PatientSearchKey(models.Model):
    """One folded name phrase of a patient (see ``rules.names``); rebuilt on every name change."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="search_keys")
    key = SortKeyField(max_length=KEY_MAX)
    birth_date = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "birth_date", "patient"], name="patient_search_key"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["patient", "key"], name="patient_search_key_once"),
        ]

    def __str__(self) -> str:
        return self.key


class PatientPhone(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(max_length=8, choices=c.PhoneKind.choices)
    number = models.CharField(max_length=16, help_text="E.164, e.g. +15552017788")
    extension = models.CharField(max_length=8, blank=True)
    digits = models.CharField(max_length=10, editable=False)
    local_digits = models.CharField(max_length=7, editable=False)
    is_primary = models.BooleanField(default=False)
    sms_consent = models.BooleanField("may text", default=False)
    voicemail_consent = models.BooleanField("may leave voicemail", default=False)

    class Meta:
        ordering = ["-is_primary", "pk"]
        indexes = [
            models.Index(fields=["digits"], name="patient_phone_digits"),
            models.Index(fields=["local_digits"], name="patient_phone_local"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^\+1[0-9]{10}$"), name="patient_phone_e164"
            ),
            models.CheckConstraint(
                condition=Q(extension="") | Q(extension__regex=r"^[0-9]{1,8}$"),
                name="patient_phone_extension_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display}"

    @property
    def display(self) -> str:
        text = phone_display(self.number)
        return f"{text} ext. {self.extension}" if self.extension else text


class PatientAddress(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="addresses")
    use = models.CharField(max_length=8, choices=c.AddressUse.choices, default=c.AddressUse.HOME)
    line1 = models.CharField("street", max_length=200)
    line2 = models.CharField("apartment, suite", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, validators=[pv.validate_state])
    zip_code = models.CharField("ZIP code", max_length=10, validators=[pv.validate_zip_code])
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "pk"]
        verbose_name_plural = "patient addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__regex=r"^[A-Z]{2}$"), name="patient_address_state"
            ),
            models.CheckConstraint(
                condition=Q(zip_code__regex=r"^[0-9]{5}(-[0-9]{4})?$"),
                name="patient_address_zip",
            ),
        ]

    def __str__(self) -> str:
        line2 = f", {self.line2}" if self.line2 else ""
        return f"{self.line1}{line2}, {self.city}, {self.state} {self.zip_code}"


class PreviousName(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="previous_names")
    kind = models.CharField(max_length=10, choices=c.PreviousNameKind.choices)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    until = models.DateField(null=True, blank=True, help_text="Used until this date")

    class Meta:
        ordering = ["-until", "pk"]

    def __str__(self) -> str:
        first = f", {self.first_name}" if self.first_name else ""
        return f"{self.last_name}{first} ({self.get_kind_display()})"


class EmergencyContact(models.Model):
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=12, choices=c.Relationship.choices)
    phone = models.CharField(max_length=16, help_text="E.164")
    alternate_phone = models.CharField(max_length=16, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phone__regex=r"^\+1[0-9]{10}$"), name="emergency_contact_phone_e164"
            ),
            models.CheckConstraint(
                condition=~Q(relationship="self"), name="emergency_contact_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


class PatientAlert(models.Model):
    """A note the desk must see wherever the patient appears (the alert banner)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=c.AlertKind.choices)
    severity = models.CharField(
        max_length=8, choices=c.AlertSeverity.choices, default=c.AlertSeverity.WARNING
    )
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["patient", "resolved_at"], name="patient_alert_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"

    @property
    def active(self) -> bool:
        return self.resolved_at is None


class PatientMerge(models.Model):
    """One merge of a duplicate record into the surviving one, with what moved (to undo it)."""

    survivor = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_absorbed")
    reason = models.TextField()
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved = models.JSONField(default=dict, help_text='{"app.model.field": [ids moved], ...}')
    created = models.JSONField(default=dict, help_text='{"app.model": [ids the merge added]}')
    duplicate_state = models.JSONField(default=dict, help_text="The duplicate's fields before")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(survivor=models.F("duplicate")), name="patient_merge_two_records"
            ),
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=Q(undone_at__isnull=True),
                name="patient_merge_once_while_active",
            ),
        ]

    def __str__(self) -> str:
        return f"merge #{self.pk}: {self.duplicate_id} into {self.survivor_id}"

    @property
    def active(self) -> bool:
        return self.undone_at is None
