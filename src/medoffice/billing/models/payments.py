"""Money received and given back at the desk: payments with their tenders, refunds, drawers and
the card processor's settlement batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from medoffice.billing.choices import (
    CardBrand,
    CardEntryMode,
    DrawerStatus,
    PaymentPurpose,
    RefundStatus,
    TenderMethod,
)
from medoffice.billing.models.ledger import money_field


class CashDrawer(models.Model):
    """One user's cash drawer for one business day: opened with a float, counted at day's end."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        "practice.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    business_date = models.DateField()
    status = models.CharField(max_length=8, choices=DrawerStatus.choices, default=DrawerStatus.OPEN)
    opening_float = money_field()
    opened_at = models.DateTimeField()
    counted_at = models.DateTimeField(null=True, blank=True)
    denominations = models.JSONField(default=dict, blank=True, help_text="key -> how many")
    counted_cash = money_field(null=True, blank=True)
    counted_checks = money_field(null=True, blank=True)
    counted_check_count = models.PositiveIntegerField(null=True, blank=True)
    expected_cash = money_field(null=True, blank=True)
    expected_checks = money_field(null=True, blank=True)
    cash_over_short = money_field(null=True, blank=True)
    checks_over_short = money_field(null=True, blank=True)
    discrepancy_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-business_date", "user_id"]
        permissions = [("use_drawer", "Open and count a cash drawer")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "business_date"], name="drawer_one_per_user_per_day"
            ),
            models.CheckConstraint(
                condition=Q(opening_float__gte=0), name="drawer_float_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status=DrawerStatus.OPEN)
                | Q(
                    counted_at__isnull=False,
                    counted_cash__isnull=False,
                    counted_checks__isnull=False,
                ),
                name="drawer_counted_has_count",
            ),
            models.CheckConstraint(
                condition=Q(cash_over_short__isnull=True, checks_over_short__isnull=True)
                | (Q(cash_over_short=0) & Q(checks_over_short=0))
                | ~Q(discrepancy_reason=""),
                name="drawer_discrepancy_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"drawer {self.user_id} {self.business_date}"


class Payment(models.Model):
    """Money a patient (or guarantor) paid; its tenders add up to ``amount`` and its ledger
    entries (one per visit it pays, plus any left on account) add up to ``-amount``."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawer = models.ForeignKey(
        CashDrawer, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    purpose = models.CharField(max_length=10, choices=PaymentPurpose.choices)
    amount = money_field()
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the visit it was collected at",
    )
    plan = models.ForeignKey(
        "billing.PaymentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    key = models.CharField(
        max_length=255, null=True, blank=True, unique=True, help_text="idempotency key: posts once"
    )
    note = models.CharField(max_length=300, blank=True)
    receipt_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["received_on"], name="payment_day"),
            models.Index(fields=["patient", "received_at"], name="payment_patient"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"receipt {self.receipt_number}"

    @property
    def receipt_number(self) -> str:
        return f"R{self.pk:07d}"


class Tender(models.Model):
    """One way a payment was paid: split tender is several of these."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="tenders")
    method = models.CharField(max_length=6, choices=TenderMethod.choices)
    amount = money_field()
    cash_received = money_field(null=True, blank=True)
    change_given = money_field(null=True, blank=True)
    check_number = models.CharField(max_length=20, blank=True)
    card_brand = models.CharField(max_length=12, choices=CardBrand.choices, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    approval_code = models.CharField(max_length=12, blank=True)
    processor_ref = models.CharField(max_length=64, blank=True)
    entry_mode = models.CharField(max_length=8, choices=CardEntryMode.choices, blank=True)
    terminal_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["method"], name="tender_method")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tender_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method=TenderMethod.CASH)
                | (
                    Q(cash_received__isnull=False, change_given__isnull=False)
                    & Q(change_given__gte=0)
                    & Q(cash_received=F("amount") + F("change_given"))
                ),
                name="tender_cash_change_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(method=TenderMethod.CHECK) | ~Q(check_number=""),
                name="tender_check_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(method__in=[TenderMethod.CARD, TenderMethod.HSA])
                | (Q(card_last4__regex=r"^[0-9]{4}$") & ~Q(approval_code="") & ~Q(entry_mode="")),
                name="tender_card_has_last4_and_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class Refund(models.Model):
    """Money given back: requested at the desk, refunded only once a manager approves."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = money_field()
    method = models.CharField(max_length=6, choices=TenderMethod.choices)
    reason = models.CharField(max_length=300)
    status = models.CharField(
        max_length=8, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    refunded_on = models.DateField(null=True, blank=True)
    drawer = models.ForeignKey(
        CashDrawer, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    check_number = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    approval_code = models.CharField(max_length=12, blank=True)
    processor_ref = models.CharField(max_length=64, blank=True)
    key = models.CharField(max_length=255, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("request_refund", "Ask for a refund"),
            ("approve_refund", "Approve or decline a refund"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="refund_has_reason"),
            models.CheckConstraint(
                condition=Q(status=RefundStatus.PENDING)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="refund_decision_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=RefundStatus.POSTED) | Q(refunded_on__isnull=False),
                name="refund_posted_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"refund {self.pk} ({self.status})"


class CardSettlement(models.Model):
    """The card processor's batch for a day: what it will deposit, to match against card tenders."""

    business_date = models.DateField()
    terminal_id = models.CharField(max_length=40)
    batch_total = money_field()
    batch_count = models.PositiveIntegerField()
    batch_ref = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=8, choices=CardEntryMode.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-business_date", "terminal_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_date", "terminal_id"], name="settlement_one_per_terminal_day"
            ),
        ]

    def __str__(self) -> str:
        return f"card batch {self.terminal_id} {self.business_date}"
