from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "medoffice.intake"
    label = "intake"
    verbose_name = "Intake forms"

    def ready(self) -> None:
        from medoffice.patients import merge_registry

        # Requests and signed forms follow the person when records merge (and back on undo).
        merge_registry.register("intake.FormRequest", "patient")
        merge_registry.register("intake.Submission", "patient")
        merge_registry.register(
            "intake.PatientHistory",
            "patient",
            action="keep",
            why="one per patient: the kept record's reviewed history stands; the duplicate's "
            "stays with it and returns on undo",
        )
