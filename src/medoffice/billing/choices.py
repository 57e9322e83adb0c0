"""Statuses and kinds of the patient side of billing, in the office's words."""

from django.db import models


class EntryKind(models.TextChoices):
    CHARGE = "charge", "Charge"
    PAYMENT = "payment", "Payment"
    ADJUSTMENT = "adjustment", "Adjustment"
    REFUND = "refund", "Refund"
    TRANSFER = "transfer", "Transfer"
    REVERSAL = "reversal", "Reversal"


class Bucket(models.TextChoices):
    """Who the amount is waiting on: the patient now, or insurance still deciding."""

    PATIENT = "patient", "Patient owes"
    INSURANCE = "insurance", "Pending with insurance"


class TenderMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CHECK = "check", "Check"
    CARD = "card", "Card"
    HSA = "hsa", "HSA/FSA card"


class PaymentPurpose(models.TextChoices):
    COPAY = "copay", "Copay"
    BALANCE = "balance", "Balance"
    PREPAYMENT = "prepayment", "Prepayment"
    PLAN = "plan", "Payment plan instalment"


class CardEntryMode(models.TextChoices):
    TERMINAL = "terminal", "Card terminal"
    MANUAL = "manual", "Keyed in from a standalone terminal"


class CardBrand(models.TextChoices):
    VISA = "visa", "Visa"
    MASTERCARD = "mastercard", "Mastercard"
    AMEX = "amex", "American Express"
    DISCOVER = "discover", "Discover"
    OTHER = "other", "Other"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager"
    POSTED = "posted", "Approved and refunded"
    DECLINED = "declined", "Declined"


class DrawerStatus(models.TextChoices):
    OPEN = "open", "Open"
    COUNTED = "counted", "Counted"
    CLOSED = "closed", "Closed with the day"


class DayStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class DayEventKind(models.TextChoices):
    CLOSED = "closed", "Day closed"
    REOPENED = "reopened", "Day reopened"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Paid in full"
    CANCELLED = "cancelled", "Cancelled"


class PlanFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


class StatementDelivery(models.TextChoices):
    MAIL = "mail", "Mailed"
    EMAIL = "email", "Emailed"
    PRINTED = "printed", "Handed to the patient"


class CollectionsFlag(models.TextChoices):
    NONE = "", "None"
    PAST_90 = "past_90", "Past 90 days"
    PAST_120 = "past_120", "Past 120 days: collections"


# US currency the desk counts: the key, its value in dollars, its label.
DENOMINATIONS: tuple[tuple[str, str, str], ...] = (
    ("100", "100.00", "$100 bills"),
    ("50", "50.00", "$50 bills"),
    ("20", "20.00", "$20 bills"),
    ("10", "10.00", "$10 bills"),
    ("5", "5.00", "$5 bills"),
    ("2", "2.00", "$2 bills"),
    ("1", "1.00", "$1 bills"),
    ("1c", "1.00", "Dollar coins"),
    ("0.50", "0.50", "Half dollars"),
    ("0.25", "0.25", "Quarters"),
    ("0.10", "0.10", "Dimes"),
    ("0.05", "0.05", "Nickels"),
    ("0.01", "0.01", "Pennies"),
)
