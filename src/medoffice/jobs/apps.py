from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "medoffice.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from medoffice.jobs import tasks  # noqa: F401 - registers the scheduled jobs
