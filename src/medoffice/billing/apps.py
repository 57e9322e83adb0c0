from django.apps import AppConfig

KEPT_ON_MERGE = (
    "The patient ledger is append-only: money stays on the account it was posted to, so a "
    "merge keeps the duplicate's billing records with it (ADR 0015)."
)


class BillingConfig(AppConfig):
    name = "medoffice.billing"
    label = "billing"
    verbose_name = "Billing: patient accounts, payments and day close"

    def ready(self) -> None:
        from medoffice.billing import tasks  # noqa: F401 - registers the scheduled jobs
        from medoffice.patients import merge_registry

        for model in ("LedgerEntry", "Payment", "Refund", "PaymentPlan", "Statement"):
            merge_registry.register(f"billing.{model}", "patient", action="keep", why=KEPT_ON_MERGE)
