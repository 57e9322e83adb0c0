from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "medoffice.core"
    label = "core"
    verbose_name = "Core"
