from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "medoffice.patients"
    label = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from medoffice.patients import merge_registry

        merge_registry.register_own_references()
