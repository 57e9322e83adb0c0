from django.apps import AppConfig


class AuthorizationsConfig(AppConfig):
    name = "medoffice.authorizations"
    label = "authorizations"
    verbose_name = "Referrals and prior authorizations"

    def ready(self) -> None:
        from medoffice.authorizations import tasks  # noqa: F401 - registers the daily expiry
        from medoffice.patients import merge_registry

        # Referrals and authorizations follow the person when records merge (and back on undo).
        for model in ("Referral", "PriorAuthorization"):
            merge_registry.register(f"authorizations.{model}", "patient")
