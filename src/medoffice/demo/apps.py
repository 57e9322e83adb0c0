from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "medoffice.demo"
    label = "demo"
    verbose_name = "Demo"
