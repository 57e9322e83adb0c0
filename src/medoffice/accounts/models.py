"""Staff accounts, roles and the catalogue of access rights."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """One login per person (HIPAA 164.312(a)(2)(i): unique user identification)."""

    display_name = models.CharField(max_length=150, blank=True)

    class Meta:
        db_table = "accounts_user"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class AccessRight(models.Model):
    """Holds the custom permissions that are not tied to one model's CRUD.

    Roles (Django groups) are sets of these plus model permissions; every view and API
    endpoint names the one it needs.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("administer_users", "Manage staff logins, roles and API tokens"),
            ("manage_practice", "Change practice, location, provider and staff set-up"),
            ("view_practice", "See practice, location and provider set-up"),
            ("view_audit_report", "Read and export the audit trail"),
            ("emergency_access", "Open a record outside normal permissions with a reason"),
            ("review_emergency_access", "Review emergency-access events"),
            ("view_jobs", "See background jobs and their failures"),
            ("manage_security", "Set security policy such as MFA per role"),
            ("use_api", "Call the JSON API"),
        ]

    def __str__(self) -> str:
        return "access right"


class RolePolicy(models.Model):
    """Security policy of one role (group): whether its members must use a second factor."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="policy")
    mfa_required = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.group.name}: MFA {'required' if self.mfa_required else 'optional'}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only the SHA-256 of the raw token is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, unique=True)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class EmergencyAccess(models.Model):
    """A "break the glass" grant: one user, one record, one hour, reviewed afterwards."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="emergency_grants")
    reason = models.TextField()
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    patient_id = models.BigIntegerField(null=True, blank=True)
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_type} {self.target_id}"
