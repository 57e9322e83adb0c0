from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "medoffice.practice"
    label = "practice"
    verbose_name = "Practice"
