from medoffice.billing.models.ledger import BusinessDay, DayEvent, LedgerEntry
from medoffice.billing.models.payments import CardSettlement, CashDrawer, Payment, Refund, Tender
from medoffice.billing.models.plans import Instalment, PaymentPlan, Statement, StatementRun

__all__ = [
    "BusinessDay",
    "CardSettlement",
    "CashDrawer",
    "DayEvent",
    "Instalment",
    "LedgerEntry",
    "Payment",
    "PaymentPlan",
    "Refund",
    "Statement",
    "StatementRun",
    "Tender",
]
