from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "medoffice.jobs"
    label = "jobs"
    verbose_name = "Jobs"
