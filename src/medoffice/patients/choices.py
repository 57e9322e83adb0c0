"""Choices of the patient registry, coded after FHIR R4 / US Core where a code system exists."""

from django.db import models


class PatientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DECEASED = "deceased", "Deceased"
    MERGED = "merged", "Merged into another record"


class Sex(models.TextChoices):
    """Legal sex as on the patient's ID and insurance card (claims need it); FHIR gender."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "X / other"
    UNKNOWN = "unknown", "Unknown"


class GenderIdentity(models.TextChoices):
    """US Core gender identity value set (SNOMED CT and HL7 null flavors)."""

    MALE = "446151000124109", "Identifies as male"
    FEMALE = "446141000124107", "Identifies as female"
    NON_BINARY = "33791000087105", "Identifies as non-binary"
    TRANS_MALE = "407377005", "Transgender male"
    TRANS_FEMALE = "407376001", "Transgender female"
    OTHER = "OTH", "Other"
    DECLINED = "ASKU", "Chose not to answer"


class Pronouns(models.TextChoices):
    HE = "he", "he/him"
    SHE = "she", "she/her"
    THEY = "they", "they/them"
    OTHER = "other", "other (ask)"


class Race(models.TextChoices):
    """OMB race categories (CDC Race & Ethnicity code set, US Core race extension)."""

    AMERICAN_INDIAN = "1002-5", "American Indian or Alaska Native"
    ASIAN = "2028-9", "Asian"
    BLACK = "2054-5", "Black or African American"
    PACIFIC_ISLANDER = "2076-8", "Native Hawaiian or Other Pacific Islander"
    WHITE = "2106-3", "White"
    OTHER = "2131-1", "Other race"
    DECLINED = "ASKU", "Chose not to answer"


class Ethnicity(models.TextChoices):
    HISPANIC = "2135-2", "Hispanic or Latino"
    NOT_HISPANIC = "2186-5", "Not Hispanic or Latino"
    DECLINED = "ASKU", "Chose not to answer"


class Language(models.TextChoices):
    """Preferred language (BCP 47), the languages US offices meet most."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"
    CHINESE = "zh", "Chinese"
    VIETNAMESE = "vi", "Vietnamese"
    TAGALOG = "tl", "Tagalog"
    ARABIC = "ar", "Arabic"
    KOREAN = "ko", "Korean"
    RUSSIAN = "ru", "Russian"
    FRENCH = "fr", "French"
    HAITIAN_CREOLE = "ht", "Haitian Creole"
    PORTUGUESE = "pt", "Portuguese"
    POLISH = "pl", "Polish"
    HINDI = "hi", "Hindi"
    SOMALI = "so", "Somali"
    ASL = "ase", "American Sign Language"
    OTHER = "und", "Other"


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", "Mobile"
    HOME = "home", "Home"
    WORK = "work", "Work"


class AddressUse(models.TextChoices):
    HOME = "home", "Home"
    MAILING = "mailing", "Mailing"
    TEMPORARY = "temp", "Temporary"
    OLD = "old", "Previous"


class PreviousNameKind(models.TextChoices):
    MAIDEN = "maiden", "Maiden name"
    PREVIOUS = "previous", "Previous legal name"
    ALIAS = "alias", "Also known as"


class Relationship(models.TextChoices):
    """Relationship of a contact or guarantor to the patient (HL7 RoleCode subset)."""

    SELF = "self", "Self"
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    SPOUSE = "spouse", "Spouse"
    PARTNER = "partner", "Domestic partner"
    CHILD = "child", "Child"
    SIBLING = "sibling", "Sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    GUARDIAN = "guardian", "Legal guardian"
    CAREGIVER = "caregiver", "Caregiver"
    FRIEND = "friend", "Friend"
    OTHER = "other", "Other"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    MAIL = "mail", "Letter"
    PORTAL = "portal", "Patient portal"


class AlertKind(models.TextChoices):
    INTERPRETER = "interpreter", "Needs interpreter"
    COLLECTIONS = "collections", "Balance in collections"
    FINANCIAL = "financial", "Financial"
    BEHAVIOR = "behavior", "Behavior / safety"
    ACCESSIBILITY = "accessibility", "Accessibility"
    PRIVACY = "privacy", "Privacy / restricted record"
    CLINICAL = "clinical", "Clinical"
    OTHER = "other", "Other"


class AlertSeverity(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"
