"""Every write of the schedule set-up, each in one transaction with its audit entry.

This module holds the catalogue (appointment types and resources) and re-exports the other
set-up writes, so views, the API and the demo import one place:
sessions and exceptions (``setup_sessions``), blocks and on-call (``setup_blocks``), staff
meetings (``setup_meetings``) and calendar feeds (``setup_feeds``). Refusals raise Django's
``ValidationError`` keyed by field where one is to blame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.patients.choices import Language
from medoffice.scheduling.choices import ResourceKind
from medoffice.scheduling.models import (
    AppointmentType,
    AppointmentTypeDuration,
    AppointmentTypeInstruction,
    AppointmentTypeResource,
    Resource,
)
from medoffice.scheduling.setup_blocks import (
    create_on_call_shift,
    delete_block,
    delete_block_group,
    delete_on_call_shift,
    place_blocks,
    swap_on_call_shifts,
)
from medoffice.scheduling.setup_common import apply, save_changes, save_new
from medoffice.scheduling.setup_feeds import (
    create_calendar_feed,
    feed_for_token,
    revoke_calendar_feed,
)
from medoffice.scheduling.setup_meetings import (
    cancel_staff_meeting,
    create_staff_meeting,
    reschedule_staff_meeting,
)
from medoffice.scheduling.setup_sessions import (
    create_exception,
    create_session,
    delete_exception,
    update_session,
)

__all__ = [
    "cancel_staff_meeting",
    "create_appointment_type",
    "create_calendar_feed",
    "create_exception",
    "create_on_call_shift",
    "create_resource",
    "create_session",
    "create_staff_meeting",
    "delete_block",
    "delete_block_group",
    "delete_exception",
    "delete_on_call_shift",
    "feed_for_token",
    "place_blocks",
    "reschedule_staff_meeting",
    "revoke_calendar_feed",
    "swap_on_call_shifts",
    "update_appointment_type",
    "update_resource",
    "update_session",
]

Durations = Mapping[Any, int]  # provider -> minutes
Instructions = Mapping[str, str]  # language code -> text


def _set_durations(kind: AppointmentType, durations: Durations) -> bool:
    wanted = {provider.pk: int(minutes) for provider, minutes in durations.items() if minutes}
    current = dict(
        AppointmentTypeDuration.objects.filter(appointment_type=kind).values_list(
            "provider_id", "minutes"
        )
    )
    if wanted == current:
        return False
    if any(not 5 <= minutes <= 480 for minutes in wanted.values()):
        raise ValidationError({"durations": ["A provider's length is 5 to 480 minutes."]})
    AppointmentTypeDuration.objects.filter(appointment_type=kind).delete()
    AppointmentTypeDuration.objects.bulk_create(
        AppointmentTypeDuration(appointment_type=kind, provider_id=pk, minutes=minutes)
        for pk, minutes in sorted(wanted.items())
    )
    return True


def _set_instructions(kind: AppointmentType, instructions: Instructions) -> bool:
    wanted = {lang: text.strip() for lang, text in instructions.items() if text and text.strip()}
    unknown = set(wanted) - set(Language.values)
    if unknown:
        raise ValidationError({"instructions": [f"Unknown language: {', '.join(sorted(unknown))}"]})
    rows = AppointmentTypeInstruction.objects.filter(appointment_type=kind)
    if dict(rows.values_list("language", "text")) == wanted:
        return False
    rows.delete()
    AppointmentTypeInstruction.objects.bulk_create(
        AppointmentTypeInstruction(appointment_type=kind, language=lang, text=text)
        for lang, text in sorted(wanted.items())
    )
    return True


def _set_resource_kinds(kind: AppointmentType, kinds: Iterable[str]) -> bool:
    wanted = set(kinds)
    if wanted - set(ResourceKind.values):
        raise ValidationError({"resource_kinds": ["Unknown kind of room or equipment."]})
    current = set(kind.resource_needs.values_list("kind", flat=True))
    if wanted == current:
        return False
    kind.resource_needs.all().delete()
    AppointmentTypeResource.objects.bulk_create(
        AppointmentTypeResource(appointment_type=kind, kind=k) for k in sorted(wanted)
    )
    return True


def _set_providers(kind: AppointmentType, providers: Iterable[Any]) -> bool:
    wanted = {provider.pk for provider in providers}
    if wanted == set(kind.providers.values_list("pk", flat=True)):
        return False
    kind.providers.set(wanted)
    return True


def _set_related(
    kind: AppointmentType,
    *,
    providers: Iterable[Any] | None,
    durations: Durations | None,
    instructions: Instructions | None,
    resource_kinds: Iterable[str] | None,
) -> list[str]:
    changed = []
    if providers is not None and _set_providers(kind, providers):
        changed.append("providers")
    if durations is not None and _set_durations(kind, durations):
        changed.append("durations")
    if instructions is not None and _set_instructions(kind, instructions):
        changed.append("instructions")
    if resource_kinds is not None and _set_resource_kinds(kind, resource_kinds):
        changed.append("resource_kinds")
    return changed


@transaction.atomic
def create_appointment_type(
    *,
    acting_user: Any,
    providers: Iterable[Any] = (),
    durations: Durations | None = None,
    instructions: Instructions | None = None,
    resource_kinds: Iterable[str] = (),
    **values: Any,
) -> AppointmentType:
    """A new type: name, code, default length, colour and flags in ``values``; who may see it
    (no providers = everyone), their own lengths, prep instructions per language, rooms needed."""
    kind = AppointmentType(**values)
    kind.full_clean()
    kind.save()
    related = _set_related(
        kind, providers=providers, durations=durations or {},
        instructions=instructions or {}, resource_kinds=resource_kinds,
    )  # fmt: skip
    record(AuditAction.CREATE, actor=acting_user, target=kind, fields=sorted([*values, *related]))
    return kind


@transaction.atomic
def update_appointment_type(
    kind: AppointmentType,
    *,
    acting_user: Any,
    providers: Iterable[Any] | None = None,
    durations: Durations | None = None,
    instructions: Instructions | None = None,
    resource_kinds: Iterable[str] | None = None,
    **values: Any,
) -> AppointmentType:
    """Change a type; related lists given replace the current ones, ``None`` leaves them."""
    changed = apply(kind, values)
    if changed:
        kind.full_clean()
        kind.save()
    related = _set_related(
        kind, providers=providers, durations=durations,
        instructions=instructions, resource_kinds=resource_kinds,
    )  # fmt: skip
    if changed or related:
        record(AuditAction.UPDATE, actor=acting_user, target=kind, fields=[*changed, *related])
    return kind


@transaction.atomic
def create_resource(*, acting_user: Any, **values: Any) -> Resource:
    """A room or piece of equipment at a location (name unique per location)."""
    resource = Resource(**values)
    save_new(resource, acting_user, values)
    return resource


@transaction.atomic
def update_resource(resource: Resource, *, acting_user: Any, **values: Any) -> Resource:
    save_changes(resource, apply(resource, values), acting_user)
    return resource
