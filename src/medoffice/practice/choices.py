"""Choices of the practice context."""

from django.db import models


class Specialty(models.TextChoices):
    FAMILY_MEDICINE = "family_medicine", "Family medicine"
    INTERNAL_MEDICINE = "internal_medicine", "Internal medicine"
    PEDIATRICS = "pediatrics", "Pediatrics"
    CARDIOLOGY = "cardiology", "Cardiology"
    DERMATOLOGY = "dermatology", "Dermatology"
    OBSTETRICS_GYNECOLOGY = "obstetrics_gynecology", "Obstetrics and gynecology"
    NURSE_PRACTITIONER = "nurse_practitioner", "Nurse practitioner"
    PHYSICIAN_ASSISTANT = "physician_assistant", "Physician assistant"
    PHYSICAL_THERAPY = "physical_therapy", "Physical therapy"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"
