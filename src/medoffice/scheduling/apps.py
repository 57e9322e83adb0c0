from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "medoffice.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from medoffice.patients import merge_registry

        # Appointments, series and waitlist entries follow the person when records merge.
        merge_registry.register("scheduling.Appointment", "patient")
        merge_registry.register("scheduling.AppointmentSeries", "patient")
        merge_registry.register("scheduling.WaitlistEntry", "patient")
