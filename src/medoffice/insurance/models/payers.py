"""Clearinghouses, payers and their plans: the practice's insurance address book."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from medoffice.core.fields import EncryptedTextField
from medoffice.insurance.choices import ClearinghouseKind, PlanType


class Clearinghouse(models.Model):
    """Where eligibility and authorization requests go: one per contract, pluggable by kind."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=ClearinghouseKind.choices)
    endpoint_url = models.URLField(blank=True, help_text="CAQH CORE real-time endpoint (HTTPS).")
    username = models.CharField(max_length=100, blank=True)
    password = EncryptedTextField(blank=True, default="")
    sender_id = models.CharField("our submitter ID (ISA06)", max_length=15)
    receiver_id = models.CharField("their receiver ID (ISA08)", max_length=15)
    batch_folder = models.CharField(max_length=300, blank=True)
    sftp_host = models.CharField(max_length=200, blank=True)
    sftp_port = models.PositiveIntegerField(default=22)
    sftp_username = models.CharField(max_length=100, blank=True)
    sftp_password = EncryptedTextField(blank=True, default="")
    sftp_path = models.CharField(max_length=300, blank=True)
    timeout_seconds = models.DecimalField(max_digits=5, decimal_places=1, default=10)
    retries = models.PositiveSmallIntegerField(default=2)
    test_mode = models.BooleanField(default=False, help_text="Send ISA15 = T (test) files.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timeout_seconds__gt=0, timeout_seconds__lte=120),
                name="clearinghouse_timeout_0_120",
            ),
            models.CheckConstraint(condition=Q(retries__lte=5), name="clearinghouse_retries_5"),
        ]

    def __str__(self) -> str:
        return self.name


class Payer(models.Model):
    """An insurance company or program, with its electronic payer ID."""

    name = models.CharField(max_length=120)
    payer_id = models.CharField("payer ID", max_length=20, blank=True)
    address_line1 = models.CharField(max_length=120, blank=True)
    address_line2 = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    clearinghouse = models.ForeignKey(
        Clearinghouse, null=True, blank=True, on_delete=models.PROTECT, related_name="payers"
    )
    member_id_pattern = models.CharField(
        max_length=120,
        blank=True,
        help_text="A regular expression member IDs must match (blank: any); Medicare: MBI rules.",
    )
    checks_eligibility = models.BooleanField("answers eligibility checks (270/271)", default=True)
    accepts_278 = models.BooleanField("takes prior authorizations by X12 278", default=False)
    authorization_phone = models.CharField(max_length=20, blank=True)
    authorization_fax = models.CharField(max_length=20, blank=True)
    portal_url = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["payer_id"], condition=~Q(payer_id=""), name="payer_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InsurancePlan(models.Model):
    """A payer's product: what kind of plan it is and what it demands before a visit."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="plans")
    name = models.CharField(max_length=120)
    plan_type = models.CharField(max_length=14, choices=PlanType.choices)
    requires_referral = models.BooleanField(
        default=False, help_text="Specialist visits need a referral from the PCP."
    )
    requires_prior_authorization = models.BooleanField(
        default=False, help_text="Services marked as needing one must be authorized first."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["payer__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["payer", "name"], name="plan_name_per_payer"),
        ]

    def __str__(self) -> str:
        return f"{self.payer.name} — {self.name}"
