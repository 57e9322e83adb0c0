"""Writes of blocks (time taken out of calendars) and of the on-call schedule.

A manager places one block on many calendars at once (providers, rooms, staff members), once
or repeated ("lunch 12:00-13:00 on weekdays for the next 3 months"): every row placed together
shares one ``group`` so the set can be removed as a whole. Repeats are wall-clock times in the
chosen time zone, so lunch stays at noon across a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core import phones
from medoffice.scheduling.choices import BlockKind
from medoffice.scheduling.models import Block, OnCallShift, StaffMeeting
from medoffice.scheduling.setup_common import (
    actor_or_none,
    apply,
    audit_delete,
    refuse,
    save_new,
    zone,
)
from medoffice.scheduling.setup_recurrence import (
    RecurrenceError,
    at_wall_clock,
    normalize_rrule,
    occurrence_days,
)

MAX_REPEAT_DAYS = 366
MAX_ROWS = 5000


@dataclass(frozen=True)
class Calendars:
    """The calendars a block goes on."""

    providers: Sequence[Any] = ()
    resources: Sequence[Any] = ()
    users: Sequence[Any] = ()

    def owners(self) -> list[dict[str, Any]]:
        return [
            *({"provider": p} for p in self.providers),
            *({"resource": r} for r in self.resources),
            *({"user": u} for u in self.users),
        ]


@dataclass(frozen=True)
class PlacedBlocks:
    group: uuid.UUID
    count: int
    days: int


def _block_days(first_day: dt.date, repeat: str, repeat_until: dt.date | None) -> list[dt.date]:
    if not repeat:
        return [first_day]
    if repeat_until is None:
        raise refuse("Give the last day of a repeated block.", "repeat_until")
    if repeat_until < first_day:
        raise refuse("The last day comes before the first day.", "repeat_until")
    if (repeat_until - first_day).days > MAX_REPEAT_DAYS:
        raise refuse("Repeat a block for at most one year.", "repeat_until")
    try:
        rule = normalize_rrule(repeat)
    except RecurrenceError as exc:
        raise refuse(exc, "repeat") from exc
    days = occurrence_days(
        rule, first_day=first_day, last_day=repeat_until, start=first_day, end=repeat_until
    )
    if not days:
        raise refuse("The repeat never falls between the first and last day.", "repeat")
    return days


@transaction.atomic
def place_blocks(
    *,
    acting_user: Any,
    kind: str,
    calendars: Calendars,
    first_day: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    time_zone: str,
    title: str = "",
    repeat: str = "",
    repeat_until: dt.date | None = None,
    group: uuid.UUID | None = None,
) -> PlacedBlocks:
    """Put a block on every calendar in ``calendars`` on each day of the repeat (or once)."""
    if kind not in BlockKind.values:
        raise refuse("Choose what the time is for.", "kind")
    owners = calendars.owners()
    if not owners:
        raise refuse("Choose at least one calendar.", "calendars")
    if start_time >= end_time:
        raise refuse("The block must end after it starts (on the same day).", "end_time")
    days = _block_days(first_day, repeat, repeat_until)
    if len(days) * len(owners) > MAX_ROWS:
        raise refuse(f"That would place more than {MAX_ROWS} blocks; choose fewer.")
    place = zone(time_zone)
    group = group or uuid.uuid4()
    by = actor_or_none(acting_user)
    rows = [
        Block(
            kind=kind, title=title.strip(), group=group, created_by=by,
            starts_at=at_wall_clock(day, start_time, place),
            ends_at=at_wall_clock(day, end_time, place), **owner,
        )
        for day in days
        for owner in owners
    ]  # fmt: skip
    Block.objects.bulk_create(rows)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target_type="scheduling.block",
        target_id=str(group),
        fields=["kind", "title", "starts_at", "ends_at"],
        detail={"count": len(rows), "days": len(days), "calendars": len(owners)},
    )
    return PlacedBlocks(group=group, count=len(rows), days=len(days))


def _meeting_group(group: uuid.UUID | None) -> bool:
    return group is not None and StaffMeeting.objects.filter(uid=group).exists()


@transaction.atomic
def delete_block(block: Block, *, acting_user: Any) -> None:
    """Remove one block (one day, one calendar); the rest of its group stays."""
    if block.kind == BlockKind.MEETING and _meeting_group(block.group):
        raise refuse("This block belongs to a staff meeting: change the meeting instead.")
    audit_delete(block, acting_user, group=str(block.group or ""))
    block.delete()


@transaction.atomic
def delete_block_group(group: uuid.UUID, *, acting_user: Any) -> int:
    """Remove every block placed together; returns how many went."""
    if _meeting_group(group):
        raise refuse("These blocks belong to a staff meeting: cancel the meeting instead.")
    count, _ = Block.objects.filter(group=group).delete()
    if count:
        record(
            AuditAction.DELETE,
            actor=acting_user,
            target_type="scheduling.block",
            target_id=str(group),
            detail={"count": count},
        )
    return count


def _phone(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return phones.to_e164(text)
    except phones.PhoneError as exc:
        raise refuse(str(exc), "phone") from exc


def _check_shift(shift: OnCallShift, ignore: Sequence[int] = ()) -> None:
    if shift.starts_at.tzinfo is None or shift.ends_at.tzinfo is None:
        raise refuse("Times need a time zone.")
    if shift.ends_at <= shift.starts_at:
        raise refuse("The shift must end after it starts.", "ends_at")
    clash = OnCallShift.objects.filter(
        provider_id=shift.provider_id, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at
    )
    clash = clash.exclude(pk__in=[shift.pk, *ignore] if shift.pk else list(ignore))
    if clash.exists():
        raise refuse(f"{shift.provider} already has an on-call shift in that time.")


@transaction.atomic
def create_on_call_shift(
    *,
    acting_user: Any,
    provider: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    phone: str = "",
    note: str = "",
) -> OnCallShift:
    """Who answers for the practice from ``starts_at`` to ``ends_at`` (nights, weekends)."""
    shift = OnCallShift(
        provider=provider, starts_at=starts_at, ends_at=ends_at, phone=_phone(phone),
        note=note.strip(),
    )  # fmt: skip
    _check_shift(shift)
    save_new(shift, acting_user, ["provider", "starts_at", "ends_at", "phone", "note"])
    return shift


@transaction.atomic
def swap_on_call_shifts(first: OnCallShift, second: OnCallShift, *, acting_user: Any) -> None:
    """Two providers trade shifts: each takes the other's time (with their own phone)."""
    if first.pk == second.pk:
        raise refuse("Choose two different shifts to swap.")
    locked = {s.pk: s for s in OnCallShift.objects.select_for_update().filter(
        pk__in=[first.pk, second.pk]
    ).select_related("provider")}  # fmt: skip
    a, b = locked[first.pk], locked[second.pk]
    if a.provider_id == b.provider_id:
        raise refuse("Both shifts are the same provider's: nothing to swap.")
    a_values = {"provider": b.provider, "phone": b.phone}
    b_values = {"provider": a.provider, "phone": a.phone}
    apply(a, a_values)
    apply(b, b_values)
    _check_shift(a, ignore=[b.pk])
    _check_shift(b, ignore=[a.pk])
    for shift in (a, b):
        shift.save(update_fields=["provider", "phone"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=shift,
            fields=["provider", "phone"],
            detail={"swapped_with": b.pk if shift is a else a.pk},
        )


@transaction.atomic
def delete_on_call_shift(shift: OnCallShift, *, acting_user: Any) -> None:
    audit_delete(shift, acting_user)
    shift.delete()
