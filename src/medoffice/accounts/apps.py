from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medoffice.accounts"
    label = "accounts"
    verbose_name = "Accounts"
