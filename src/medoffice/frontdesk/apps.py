from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "medoffice.frontdesk"
    label = "frontdesk"
    verbose_name = "Front desk"

    def ready(self) -> None:
        from medoffice.patients import merge_registry

        # What the desk recorded follows the person when records merge (and back on undo).
        for model in ("CardImage", "CheckIn", "ExcuseNote", "FollowUpRequest"):
            merge_registry.register(f"frontdesk.{model}", "patient")
        merge_registry.register(
            "frontdesk.DemographicsConfirmation",
            "patient",
            action="keep",
            why="one per patient: the kept record's own confirmation stands",
        )
