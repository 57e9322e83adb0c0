"""Referrals: incoming (a PCP sends the patient to one of our providers, with visits authorized)
and outgoing (we send the patient to an outside specialist, with a letter and a fax packet).

Visits used are never stored: they are counted from the linked appointments still in a countable
status (booked through checked out), so a cancelled or no-show visit gives its visit back without
any hook in scheduling.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from medoffice.authorizations.choices import Direction, ReferralStatus
from medoffice.practice import validators as pv
from medoffice.scheduling.choices import HOLDING_TIME

# A visit counts while its appointment holds its time (booked through checked out); cancelled
# and no-show appointments give their visit back.
COUNTABLE = HOLDING_TIME

USER = settings.AUTH_USER_MODEL
MAX_VISITS = 999


class Referral(models.Model):
    direction = models.CharField(max_length=8, choices=Direction.choices)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    coverage = models.ForeignKey(
        "insurance.Coverage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(
        "referral number", max_length=40, blank=True, help_text="As the plan or the PCP gave it."
    )
    referring_provider = models.ForeignKey(
        "practice.ReferringProvider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Incoming: the outside clinician who refers (from the address book).",
    )
    referring_name = models.CharField("referring provider", max_length=200, blank=True)
    referring_npi = models.CharField(
        "referring provider NPI", max_length=10, blank=True, validators=[pv.validate_npi]
    )
    to_provider = models.ForeignKey(
        "practice.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Incoming: our provider the patient is referred to (blank: any of ours).",
    )
    to_specialist = models.ForeignKey(
        "practice.ReferringProvider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Outgoing: the outside specialist we refer to.",
    )
    from_provider = models.ForeignKey(
        "practice.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Outgoing: our provider who refers (signs the letter).",
    )
    specialty = models.CharField(max_length=100, blank=True)
    reason = models.CharField("reason for referral", max_length=300, blank=True)
    diagnosis_codes = models.JSONField(default=list, blank=True, help_text="ICD-10-CM, in order")
    visits_authorized = models.PositiveSmallIntegerField(default=1)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=9, choices=ReferralStatus.choices, default=ReferralStatus.ACTIVE
    )
    cancel_reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    letter_made_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["patient", "direction", "status"], name="referral_patient"),
            models.Index(fields=["status", "end_date"], name="referral_status_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="referral_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(visits_authorized__gte=1, visits_authorized__lte=MAX_VISITS),
                name="referral_visits_1_999",
            ),
            models.CheckConstraint(
                condition=Q(referring_npi="") | Q(referring_npi__regex=r"^[0-9]{10}$"),
                name="referral_npi_10_digits",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["incoming", "outgoing"]), name="referral_direction"
            ),
            models.CheckConstraint(
                condition=Q(direction="incoming") | Q(to_provider__isnull=True),
                name="referral_outgoing_has_no_internal_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="referral_cancel_has_reason",
            ),
            models.UniqueConstraint(
                fields=["patient", "direction", "number"],
                condition=~Q(number="") & Q(status="active"),
                name="referral_number_once_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.number or self.pk}"

    @property
    def label(self) -> str:
        """ "Referral R-123" (or its id when it has no number): no PHI."""
        return f"Referral {self.number}" if self.number else f"Referral #{self.pk}"

    @property
    def visits_used(self) -> int:
        """Linked appointments in a countable status (``used_visits`` when annotated)."""
        found = getattr(self, "used_visits", None)
        if found is None:
            found = self.visits.filter(appointment__status__in=COUNTABLE).count()
        return int(found)

    @property
    def visits_left(self) -> int:
        return max(0, self.visits_authorized - self.visits_used)


class ReferralVisit(models.Model):
    """An appointment counted against a referral (one referral per appointment)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="visits")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.CASCADE, related_name="+"
    )
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["referral_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appointment"], name="referral_visit_once"),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.appointment_id} on referral {self.referral_id}"
