from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "medoffice.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from medoffice.audit import receivers

        receivers.connect()
