"""Statuses and kinds of the insurance context, in the office's words."""

from __future__ import annotations

from django.db import models


class PlanType(models.TextChoices):
    HMO = "hmo", "HMO"
    PPO = "ppo", "PPO"
    EPO = "epo", "EPO"
    POS = "pos", "POS"
    MEDICARE = "medicare", "Medicare"
    MEDICARE_ADVANTAGE = "medicare_adv", "Medicare Advantage"
    MEDICAID = "medicaid", "Medicaid"
    MEDICAID_MANAGED = "medicaid_mco", "Medicaid managed care"
    TRICARE = "tricare", "Tricare"
    WORKERS_COMP = "workers_comp", "Workers' compensation"
    SELF_PAY = "self_pay", "Self-pay"
    OTHER = "other", "Other commercial"


class CoverageOrder(models.IntegerChoices):
    PRIMARY = 1, "Primary"
    SECONDARY = 2, "Secondary"
    TERTIARY = 3, "Tertiary"


class SubscriberRelationship(models.TextChoices):
    """X12 individual relationship codes (INS02 / the 2000D INS02 the 270 carries)."""

    SELF = "18", "Self"
    SPOUSE = "01", "Spouse"
    CHILD = "19", "Child"
    OTHER = "G8", "Other relationship"


class CoverageStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    REMOVED = "removed", "Removed (entered in error)"


class ClearinghouseKind(models.TextChoices):
    CORE_HTTP = "core_http", "CAQH CORE real-time (HTTPS)"
    FOLDER = "folder", "Batch folder"
    SFTP = "sftp", "Batch SFTP drop"


class CheckStatus(models.TextChoices):
    """Where an eligibility check stands; each ends in words the desk can act on."""

    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent, waiting for the payer"
    ACTIVE = "active", "Coverage active"
    INACTIVE = "inactive", "Coverage not active"
    REJECTED = "rejected", "Payer rejected the check"
    ERROR = "error", "Could not check"


FINAL_CHECK_STATUSES = (
    CheckStatus.ACTIVE,
    CheckStatus.INACTIVE,
    CheckStatus.REJECTED,
    CheckStatus.ERROR,
)


class CheckSource(models.TextChoices):
    REAL_TIME = "real_time", "Real-time"
    BATCH = "batch", "Nightly batch"
    MANUAL = "manual", "Entered by hand (phone or portal)"


class CardSide(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"
