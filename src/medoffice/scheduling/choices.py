"""Choices of the scheduling context."""

from django.db import models


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed"
    ARRIVED = "arrived", "Arrived"
    ROOMED = "roomed", "Roomed"
    WITH_PROVIDER = "with_provider", "With provider"
    CHECKED_OUT = "checked_out", "Checked out"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# Appointments in these states hold their time: no other appointment of the same provider or
# room may overlap them (unless booked as an overbook).
HOLDING_TIME = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.ROOMED,
    AppointmentStatus.WITH_PROVIDER,
    AppointmentStatus.CHECKED_OUT,
)

# The visit moves forward through these; cancelled and no-show end it early.
STATUS_FLOW: dict[str, tuple[str, ...]] = {
    AppointmentStatus.BOOKED: (
        AppointmentStatus.CONFIRMED, AppointmentStatus.ARRIVED, AppointmentStatus.CANCELLED,
        AppointmentStatus.NO_SHOW,
    ),
    AppointmentStatus.CONFIRMED: (
        AppointmentStatus.ARRIVED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW,
    ),
    AppointmentStatus.ARRIVED: (AppointmentStatus.ROOMED, AppointmentStatus.WITH_PROVIDER),
    AppointmentStatus.ROOMED: (AppointmentStatus.WITH_PROVIDER,),
    AppointmentStatus.WITH_PROVIDER: (AppointmentStatus.CHECKED_OUT,),
    AppointmentStatus.CHECKED_OUT: (),
    AppointmentStatus.CANCELLED: (),
    AppointmentStatus.NO_SHOW: (),
}  # fmt: skip


class CancelReason(models.TextChoices):
    PATIENT = "patient", "Patient cancelled"
    PROVIDER = "provider", "Provider unavailable"
    WEATHER = "weather", "Weather / office closed"
    LATE_CANCEL = "late_cancel", "Late cancellation (under 24 hours)"
    RESCHEDULED = "rescheduled", "Rescheduled by the office"
    OTHER = "other", "Other"


class ResourceKind(models.TextChoices):
    EXAM_ROOM = "exam_room", "Exam room"
    PROCEDURE_ROOM = "procedure_room", "Procedure room"
    PT_GYM = "pt_gym", "Physical therapy gym"
    EKG = "ekg", "EKG machine"
    ULTRASOUND = "ultrasound", "Ultrasound"
    TREADMILL = "treadmill", "Treadmill (stress test)"
    OTHER = "other", "Other equipment"


class BlockKind(models.TextChoices):
    ADMIN = "admin", "Administrative time"
    LUNCH = "lunch", "Lunch"
    ROUNDS = "rounds", "Hospital rounds"
    MEETING = "meeting", "Meeting"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class ExceptionKind(models.TextChoices):
    HOLIDAY = "holiday", "Holiday"
    VACATION = "vacation", "Vacation"
    CLOSED = "closed", "Office closed (weather, emergency)"
    CONFERENCE = "conference", "Conference"
    SICK = "sick", "Sick leave"
    OTHER = "other", "Other"


class AppointmentEventKind(models.TextChoices):
    BOOKED = "booked", "Booked"
    RESCHEDULED = "rescheduled", "Rescheduled"
    STATUS = "status", "Status changed"
    CANCELLED = "cancelled", "Cancelled"
    NOTE = "note", "Note changed"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Slot offered"
    BOOKED = "booked", "Booked"
    REMOVED = "removed", "Removed"
