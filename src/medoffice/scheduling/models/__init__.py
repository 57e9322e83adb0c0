"""Scheduling models, one module per aggregate; import them from here."""

from medoffice.scheduling.models.appointments import (
    Appointment,
    AppointmentEvent,
    AppointmentResource,
    AppointmentSeries,
    NoShowModel,
    WaitlistEntry,
)
from medoffice.scheduling.models.calendar import (
    Block,
    CalendarFeed,
    OnCallShift,
    ScheduleException,
    ScheduleSession,
    StaffMeeting,
)
from medoffice.scheduling.models.catalog import (
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeInstruction,
    AppointmentTypeResource,
    Resource,
)

__all__ = [
    "Appointment",
    "AppointmentEvent",
    "AppointmentResource",
    "AppointmentSeries",
    "AppointmentType",
    "AppointmentTypeDuration",
    "AppointmentTypeInstruction",
    "AppointmentTypeResource",
    "Block",
    "CalendarFeed",
    "NoShowModel",
    "OnCallShift",
    "Resource",
    "ScheduleException",
    "ScheduleSession",
    "StaffMeeting",
    "WaitlistEntry",
]
