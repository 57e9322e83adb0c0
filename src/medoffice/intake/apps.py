from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "medoffice.intake"
    label = "intake"
    verbose_name = "Intake forms"
