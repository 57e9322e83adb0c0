"""Follow-ups asked at check-out: "return in 3 months" lands on a week (``rules.followup``), the
first open slot that week with the same provider is offered, then booked through scheduling.

The search uses scheduling's first-available search (``scheduling.queries.first_available``) and the
booking ``scheduling.services.book_appointment``; nothing here decides what is free.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.frontdesk.choices import FollowUpStatus, IntervalUnit
from medoffice.frontdesk.errors import DeskRefused, NoFollowUpSlot
from medoffice.frontdesk.models import FollowUpRequest
from medoffice.frontdesk.rules import followup as rules
from medoffice.scheduling import queries as schedule
from medoffice.scheduling import services as scheduling
from medoffice.scheduling.errors import BookingRefused, SlotUnavailable

SPILL_WEEKS = 2  # when the week is full, look this many weeks further
OFFERED = 8


@dataclass(frozen=True)
class Proposal:
    landing: rules.Landing
    slots: list[Any]  # scheduling's open slots (provider, starts_at, ends_at)
    in_week: bool  # False: the week was full and these are later


def _visit_day(appointment: Any) -> dt.date:
    import zoneinfo

    return appointment.starts_at.astimezone(
        zoneinfo.ZoneInfo(appointment.location.time_zone)
    ).date()


def propose(
    appointment: Any,
    *,
    interval: int,
    unit: str,
    appointment_type: Any,
    provider: Any = None,
    limit: int = OFFERED,
) -> Proposal:
    """Where the follow-up lands and the first open slots that week (else just after it)."""
    if unit not in IntervalUnit.values:
        raise DeskRefused("Choose days, weeks or months.")
    try:
        landing = rules.landing(_visit_day(appointment), interval, unit)
    except ValueError as exc:
        raise DeskRefused(str(exc)) from None
    options = {
        "appointment_type": appointment_type,
        "providers": [provider or appointment.provider],
        "location": appointment.location,
        "limit": limit,
    }
    slots = schedule.first_available(start=landing.week_starts, end=landing.week_ends, **options)
    if slots:
        return Proposal(landing, slots, True)
    later_end = landing.week_ends + dt.timedelta(weeks=SPILL_WEEKS)
    later = schedule.first_available(
        start=landing.week_ends + dt.timedelta(days=1), end=later_end, **options
    )
    return Proposal(landing, later, False)


@transaction.atomic
def book_follow_up(
    appointment: Any,
    *,
    acting_user: Any,
    interval: int,
    unit: str,
    appointment_type: Any,
    starts_at: dt.datetime | None = None,
    provider: Any = None,
) -> FollowUpRequest:
    """Book the follow-up at ``starts_at`` (one of the proposed slots) or the first one offered."""
    provider = provider or appointment.provider
    proposal = propose(
        appointment, interval=interval, unit=unit, appointment_type=appointment_type,
        provider=provider,
    )  # fmt: skip
    slots = proposal.slots
    if starts_at is not None:
        slots = [s for s in slots if s.starts_at == starts_at] or []
        if not slots:
            raise NoFollowUpSlot("That time is no longer open; choose another.")
    if not slots:
        raise NoFollowUpSlot(
            f"No open slot with {provider.display_name} in the week of "
            f"{proposal.landing.week_starts:%m/%d/%Y} or the {SPILL_WEEKS} weeks after."
        )
    slot = slots[0]
    try:
        booked = scheduling.book_appointment(
            acting_user=acting_user,
            patient=appointment.patient,
            provider=provider,
            location=appointment.location,
            appointment_type=appointment_type,
            starts_at=slot.starts_at,
            reason=f"Follow-up in {interval} {unit}",
        )
    except (SlotUnavailable, BookingRefused) as exc:
        raise NoFollowUpSlot(str(exc)) from None
    request = FollowUpRequest.objects.create(
        appointment=appointment,
        patient=appointment.patient,
        provider=provider,
        appointment_type=appointment_type,
        interval=interval,
        unit=unit,
        target_date=proposal.landing.target,
        week_starts=proposal.landing.week_starts,
        status=FollowUpStatus.BOOKED,
        booked_appointment=booked,
        created_at=timezone.now(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=request,
        patient_id=appointment.patient_id,
        fields=["interval", "unit", "booked_appointment"],
    )
    return request


def follow_ups_of(appointment_id: int) -> list[FollowUpRequest]:
    return list(
        FollowUpRequest.objects.filter(appointment_id=appointment_id).select_related(
            "booked_appointment", "booked_appointment__provider", "booked_appointment__location",
            "provider",
        )
    )  # fmt: skip
