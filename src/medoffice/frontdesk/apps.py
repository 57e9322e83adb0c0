from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "medoffice.frontdesk"
    label = "frontdesk"
    verbose_name = "Front desk"
