"""Statuses and kinds of referrals and prior authorizations, in the office's words."""

from __future__ import annotations

from django.db import models


class Direction(models.TextChoices):
    INCOMING = "incoming", "Incoming (a PCP refers the patient to us)"
    OUTGOING = "outgoing", "Outgoing (we refer the patient to a specialist)"


class ReferralStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"


class AuthorizationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PENDING = "pending", "Pending with the payer"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# Where the desk may move an authorization by hand (the 278 answer and the daily expiry job
# follow the same map).
AUTHORIZATION_FLOW: dict[str, tuple[str, ...]] = {
    AuthorizationStatus.DRAFT: (AuthorizationStatus.SUBMITTED, AuthorizationStatus.CANCELLED),
    AuthorizationStatus.SUBMITTED: (
        AuthorizationStatus.PENDING, AuthorizationStatus.APPROVED, AuthorizationStatus.DENIED,
        AuthorizationStatus.CANCELLED,
    ),
    AuthorizationStatus.PENDING: (
        AuthorizationStatus.APPROVED, AuthorizationStatus.DENIED, AuthorizationStatus.CANCELLED,
    ),
    AuthorizationStatus.APPROVED: (AuthorizationStatus.EXPIRED, AuthorizationStatus.CANCELLED),
    AuthorizationStatus.DENIED: (),
    AuthorizationStatus.EXPIRED: (),
    AuthorizationStatus.CANCELLED: (),
}  # fmt: skip

# Still open with the payer: the worklist shows these.
OPEN_STATUSES = (AuthorizationStatus.SUBMITTED, AuthorizationStatus.PENDING)
# The request may still be edited.
EDITABLE_STATUSES = (AuthorizationStatus.DRAFT,)


class SubmittedVia(models.TextChoices):
    X12 = "x12", "Electronic (X12 278)"
    FAX = "fax", "Fax"
    PORTAL = "portal", "Payer portal"
    PHONE = "phone", "Phone"


class Decision(models.TextChoices):
    """What the desk records by hand from a phone call or the portal."""

    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    PENDING = "pending", "Pending (payer still reviewing)"


class AlertKind(models.TextChoices):
    AUTHORIZATION_EXPIRING = "authorization_expiring", "Authorization ends soon"
    AUTHORIZATION_UNITS = "authorization_units", "Authorization units nearly used"
    REFERRAL_VISITS = "referral_visits", "Referral visits nearly used"
    REFERRAL_ENDING = "referral_ending", "Referral ends soon"


class NeedKey(models.TextChoices):
    REFERRAL = "referral", "Referral"
    PRIOR_AUTH = "prior_auth", "Prior authorization"
