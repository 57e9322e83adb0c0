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
