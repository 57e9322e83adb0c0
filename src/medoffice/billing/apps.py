from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "medoffice.billing"
    label = "billing"
    verbose_name = "Billing: patient accounts, payments and day close"

    def ready(self) -> None:
        from medoffice.billing import tasks  # noqa: F401 - registers the scheduled jobs
