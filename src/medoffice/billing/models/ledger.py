"""The patient ledger: immutable dated entries; balances are sums of entries, never stored.

The database refuses UPDATE and DELETE of entries (and TRUNCATE on PostgreSQL), see migration
0002. A correction is a reversing entry that names the entry it reverses and why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from medoffice.billing.choices import Bucket, DayEventKind, DayStatus, EntryKind


def money_field(verbose_name: str | None = None, **options: Any) -> models.DecimalField[Any, Any]:
    """Dollars and cents: ``numeric(12, 2)``, never a float."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


class BusinessDay(models.Model):
    """One calendar day of the practice's books; closing it locks its postings."""

    date = models.DateField(unique=True)
    status = models.CharField(max_length=8, choices=DayStatus.choices, default=DayStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    card_settlement_note = models.CharField(max_length=300, blank=True)
    day_sheet = models.JSONField(default=dict, blank=True, help_text="the figures as closed")

    class Meta:
        ordering = ["-date"]
        permissions = [
            ("close_day", "Close a business day"),
            ("reopen_day", "Reopen a closed business day"),
            ("view_billing_reports", "View day sheets, journals and aging"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DayStatus.OPEN)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="business_day_closed_has_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} ({self.status})"


class DayEvent(models.Model):
    """Every close and reopen of a day, with the manager and (for a reopen) the reason."""

    day = models.ForeignKey(BusinessDay, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=DayEventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DayEventKind.REOPENED) | ~Q(reason=""),
                name="day_reopen_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day_id}"


class LedgerEntry(models.Model):
    """One signed amount on a patient's account, in one bucket.

    Positive raises what is owed (charge, refund paid out), negative lowers it (payment,
    write-off). A transfer is a pair of entries that moves an amount between buckets (insurance
    paid less than expected: the rest becomes the patient's).
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    bucket = models.CharField(max_length=9, choices=Bucket.choices, default=Bucket.PATIENT)
    amount = money_field()
    posted_on = models.DateField(help_text="the business day it belongs to")
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        "billing.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    refund = models.ForeignKey(
        "billing.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    code = models.CharField("CPT/HCPCS code", max_length=10, blank=True)
    description = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["posted_at", "id"]
        permissions = [
            ("adjust_account", "Post charges, adjustments and reversals"),
        ]
        indexes = [
            models.Index(fields=["patient", "posted_on"], name="ledger_patient_day"),
            models.Index(fields=["posted_on", "kind"], name="ledger_day_kind"),
            models.Index(fields=["appointment"], name="ledger_appointment"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(amount__gt=-(10**10)) & Q(amount__lt=10**10),
                name="ledger_amount_bounded",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="ledger_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(bucket__in=Bucket.values), name="ledger_bucket_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.REVERSAL) | (Q(reverses__isnull=False) & ~Q(reason="")),
                name="ledger_reversal_names_entry_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.ADJUSTMENT) | ~Q(reason=""),
                name="ledger_adjustment_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.PAYMENT) | (Q(payment__isnull=False) & Q(amount__lt=0)),
                name="ledger_payment_entry_lowers_balance",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.REFUND) | (Q(refund__isnull=False) & Q(amount__gt=0)),
                name="ledger_refund_entry_raises_balance",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.CHARGE) | Q(amount__gt=0), name="ledger_charge_positive"
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reverses=F("id")),
                name="ledger_no_self_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} on {self.posted_on}"
