"""When providers work: recurring sessions, exceptions, blocks, on-call, meetings, feeds.

Sessions are in the location's local time (wall clock) and recur by an RFC 5545 RRULE, so
"Mondays 08:00-12:00" stays 08:00 across daylight-saving changes; everything else is an instant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medoffice.scheduling.choices import BlockKind, ExceptionKind


class ScheduleSession(models.Model):
    """A recurring stretch of bookable time of one provider at one location."""

    provider = models.ForeignKey(
        "practice.Provider", on_delete=models.CASCADE, related_name="sessions"
    )
    location = models.ForeignKey(
        "practice.Location", on_delete=models.PROTECT, related_name="sessions"
    )
    label = models.CharField(max_length=100, blank=True, help_text='e.g. "New patients"')
    rrule = models.CharField(
        "recurrence",
        max_length=200,
        default="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE or FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Slots start on this grid (minutes)"
    )
    appointment_types = models.ManyToManyField(
        "scheduling.AppointmentType",
        blank=True,
        related_name="sessions",
        help_text="Reserved for these types; none chosen means any type.",
    )
    overbook_limit = models.PositiveSmallIntegerField(
        default=0, help_text="Extra appointments allowed on top of a booked slot, per session day"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["provider", "start_time"]
        indexes = [models.Index(fields=["provider", "active"], name="session_provider_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=models.F("end_time")), name="session_starts_before_end"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="session_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=120),
                name="session_slot_minutes_5_120",
            ),
        ]

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.provider} {self.start_time:%H:%M}-{self.end_time:%H:%M}{label}"


class ScheduleException(models.Model):
    """Time nobody is booked: a holiday (everyone), a closed location, a provider's vacation."""

    provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    location = models.ForeignKey(
        "practice.Location", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=ExceptionKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="exception_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="exception_starts_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class Block(models.Model):
    """Time taken out of one calendar (a provider's, a room's or a staff member's).

    Blocks placed together (a meeting on six calendars, lunch for a month) share ``group``.
    """

    provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="blocks"
    )
    resource = models.ForeignKey(
        "scheduling.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_blocks",
    )
    kind = models.CharField(max_length=10, choices=BlockKind.choices)
    title = models.CharField(max_length=120, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    group = models.UUIDField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["provider", "starts_at"], name="block_provider_when"),
            models.Index(fields=["resource", "starts_at"], name="block_resource_when"),
            models.Index(fields=["user", "starts_at"], name="block_user_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="block_starts_before_end"
            ),
            models.CheckConstraint(
                condition=(
                    Q(provider__isnull=False, resource__isnull=True, user__isnull=True)
                    | Q(provider__isnull=True, resource__isnull=False, user__isnull=True)
                    | Q(provider__isnull=True, resource__isnull=True, user__isnull=False)
                ),
                name="block_on_one_calendar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class OnCallShift(models.Model):
    """Who answers for the practice at night and on weekends."""

    provider = models.ForeignKey(
        "practice.Provider", on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    phone = models.CharField(max_length=16, blank=True, help_text="E.164 number to reach them")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="on_call_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="on_call_starts_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} on call from {self.starts_at:%Y-%m-%d %H:%M}"


class StaffMeeting(models.Model):
    """A meeting on several staff calendars; providers' calendars get a block for it."""

    uid = models.UUIDField(unique=True, help_text="iCalendar UID of the invitation")
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.ForeignKey(
        "practice.Location", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="staff_meetings")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="meeting_starts_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A secret, revocable iCalendar subscription URL of one provider's calendar."""

    provider = models.ForeignKey(
        "practice.Provider", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    show_patient_names = models.BooleanField(
        default=False, help_text="Off: the feed shows busy times only, never who"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"feed {self.prefix} of {self.provider}"
