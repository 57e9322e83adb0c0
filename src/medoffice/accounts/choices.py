"""Roles of the office, each a permission set (a Django group)."""

from django.db import models


class Role(models.TextChoices):
    FRONT_DESK = "frontdesk", "Front desk"
    BILLING = "billing", "Billing"
    CLINICAL = "clinical", "Clinical"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Administrator"
