"""Choices of the front desk."""

from django.db import models


class DisplayMode(models.TextChoices):
    FIRST_NAME_INITIAL = "first_initial", "First name and last initial (Jonah S.)"
    TICKET = "ticket", "Ticket number only (A-12)"


class CardImageKind(models.TextChoices):
    INSURANCE_FRONT = "insurance_front", "Insurance card, front"
    INSURANCE_BACK = "insurance_back", "Insurance card, back"
    PHOTO_ID = "photo_id", "Photo ID"


class CaptureSource(models.TextChoices):
    UPLOAD = "upload", "Uploaded file"
    WEBCAM = "webcam", "Desk camera"


class ExcuseKind(models.TextChoices):
    WORK = "work", "Work"
    SCHOOL = "school", "School"


class IntervalUnit(models.TextChoices):
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Not booked yet"
    BOOKED = "booked", "Booked"


class BoardStatus(models.TextChoices):
    """Where a checked-in visit is, as the waiting-room board shows it."""

    ARRIVED = "arrived", "Waiting"
    ROOMED = "roomed", "Roomed"
    WITH_PROVIDER = "with_provider", "With provider"
    READY_FOR_CHECKOUT = "ready_for_checkout", "Ready for check-out"
    CHECKED_OUT = "checked_out", "Checked out"
