from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "medoffice.insurance"
    label = "insurance"
    verbose_name = "Insurance"

    def ready(self) -> None:
        from medoffice.insurance import tasks  # noqa: F401 - registers the scheduled jobs
        from medoffice.patients import merge_registry

        # Coverages, checks and estimates follow the person when records merge (and back on undo).
        for model in ("Coverage", "EligibilityCheck", "GoodFaithEstimate"):
            merge_registry.register(f"insurance.{model}", "patient")
        merge_registry.register(
            "insurance.Coverage", "subscriber_patient", why="the subscriber is the same person"
        )
