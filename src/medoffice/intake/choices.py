"""Statuses and kinds of the intake context."""

from django.db import models


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    YES_NO = "yes_no", "Yes / no"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    DATE = "date", "Date"
    NUMBER = "number", "Number"
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    ACKNOWLEDGMENT = "acknowledgment", "Acknowledgment checkbox"
    SIGNATURE = "signature", "Signature"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class Renewal(models.TextChoices):
    NONE = "none", "Once"
    ACKNOWLEDGMENT = "acknowledgment", "Acknowledged again after the period"
    EXPIRES = "expires", "Expires after the period"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class Channel(models.TextChoices):
    KIOSK = "kiosk", "Kiosk at the desk"
    LINK = "link", "Secure link"


class SignatureKind(models.TextChoices):
    DRAWN = "drawn", "Drawn"
    TYPED = "typed", "Typed"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPLIED = "applied", "Applied to the record"
    REVIEWED = "reviewed", "Reviewed, nothing applied"


class RecordField(models.TextChoices):
    """Where an answer can be applied: a patient record field or a reviewed-history section."""

    FIRST_NAME = "first_name", "First name"
    MIDDLE_NAME = "middle_name", "Middle name"
    LAST_NAME = "last_name", "Last name"
    PREFERRED_NAME = "preferred_name", "Preferred name"
    BIRTH_DATE = "birth_date", "Birth date"
    EMAIL = "email", "E-mail"
    MOBILE_PHONE = "phone.mobile", "Mobile phone"
    HOME_PHONE = "phone.home", "Home phone"
    ADDRESS_LINE1 = "address.line1", "Home address: street"
    ADDRESS_LINE2 = "address.line2", "Home address: apartment, suite"
    ADDRESS_CITY = "address.city", "Home address: city"
    ADDRESS_STATE = "address.state", "Home address: state"
    ADDRESS_ZIP = "address.zip_code", "Home address: ZIP code"
    EMERGENCY_NAME = "emergency.name", "Emergency contact: name"
    EMERGENCY_PHONE = "emergency.phone", "Emergency contact: phone"
    EMERGENCY_RELATIONSHIP = "emergency.relationship", "Emergency contact: relationship"
    CONDITIONS = "history.conditions", "History: conditions"
    MEDICATIONS = "history.medications", "History: medications"
    ALLERGIES = "history.allergies", "History: allergies"
    SURGERIES = "history.surgeries", "History: surgeries"
    FAMILY_HISTORY = "history.family_history", "History: family history"
    SOCIAL_HISTORY = "history.social_history", "History: social history"


HISTORY_SECTIONS = (
    "conditions",
    "medications",
    "allergies",
    "surgeries",
    "family_history",
    "social_history",
)
