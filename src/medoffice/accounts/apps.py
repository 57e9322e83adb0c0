from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Give the role groups exactly their permissions once every app's permissions exist."""
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from medoffice.accounts import roles

    roles.sync_roles()


class AccountsConfig(AppConfig):
    name = "medoffice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="medoffice.accounts.roles")
