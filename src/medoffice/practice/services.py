"""Every write about the practice, its locations, providers and staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction

from medoffice.accounts.models import User
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.practice.models import (
    Location,
    LocationHours,
    Practice,
    Provider,
    ReferringProvider,
    Staff,
)

HoursSpec = Iterable[tuple[int, dt.time, dt.time]]


def _apply(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set attributes, returning the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _save_new(obj: models.Model, acting_user: User | None, fields: Iterable[str]) -> None:
    obj.full_clean()
    obj.save()
    record(AuditAction.CREATE, actor=acting_user, target=obj, fields=sorted(fields))


def _save_changes(obj: models.Model, changed: Sequence[str], acting_user: User | None) -> None:
    if not changed:
        return
    obj.full_clean()
    obj.save()
    record(AuditAction.UPDATE, actor=acting_user, target=obj, fields=sorted(changed))


@transaction.atomic
def create_practice(*, acting_user: User | None, **values: Any) -> Practice:
    practice = Practice(**values)
    _save_new(practice, acting_user, values)
    return practice


@transaction.atomic
def update_practice(practice: Practice, *, acting_user: User | None, **values: Any) -> Practice:
    _save_changes(practice, _apply(practice, values), acting_user)
    return practice


def _replace_hours(location: Location, hours: HoursSpec) -> bool:
    wanted = sorted((int(d), o, c) for d, o, c in hours)
    current = sorted(location.hours.values_list("weekday", "opens", "closes"))
    if wanted == current:
        return False
    location.hours.all().delete()
    for weekday, opens, closes in wanted:
        row = LocationHours(location=location, weekday=weekday, opens=opens, closes=closes)
        row.full_clean()
        row.save()
    return True


@transaction.atomic
def create_location(
    *, practice: Practice, acting_user: User | None, hours: HoursSpec = (), **values: Any
) -> Location:
    location = Location(practice=practice, **values)
    _save_new(location, acting_user, [*values, "practice", *(["hours"] if hours else [])])
    _replace_hours(location, hours)
    return location


@transaction.atomic
def update_location(
    location: Location, *, acting_user: User | None, hours: HoursSpec | None = None, **values: Any
) -> Location:
    changed = _apply(location, values)
    if changed:
        location.full_clean()
        location.save()
    if hours is not None and _replace_hours(location, hours):
        changed.append("hours")
    if changed:
        record(AuditAction.UPDATE, actor=acting_user, target=location, fields=sorted(changed))
    return location


@transaction.atomic
def create_provider(
    *, acting_user: User | None, locations: Iterable[Location] = (), **values: Any
) -> Provider:
    provider = Provider(**values)
    locations = list(locations)
    _save_new(provider, acting_user, [*values, *(["locations"] if locations else [])])
    provider.locations.set(locations)
    return provider


@transaction.atomic
def update_provider(
    provider: Provider,
    *,
    acting_user: User | None,
    locations: Iterable[Location] | None = None,
    **values: Any,
) -> Provider:
    changed = _apply(provider, values)
    if changed:
        provider.full_clean()
        provider.save()
    if locations is not None:
        wanted = {loc.pk for loc in locations}
        if wanted != set(provider.locations.values_list("pk", flat=True)):
            provider.locations.set(list(wanted))
            changed.append("locations")
    if changed:
        record(AuditAction.UPDATE, actor=acting_user, target=provider, fields=sorted(changed))
    return provider


@transaction.atomic
def create_staff_member(
    *,
    user: User,
    acting_user: User | None,
    locations: Iterable[Location] = (),
    **values: Any,
) -> Staff:
    staff = Staff(user=user, **values)
    locations = list(locations)
    _save_new(staff, acting_user, ["user", *values, *(["locations"] if locations else [])])
    staff.locations.set(locations)
    return staff


@transaction.atomic
def create_referring_provider(*, acting_user: User | None, **values: Any) -> ReferringProvider:
    referrer = ReferringProvider(**values)
    _save_new(referrer, acting_user, values)
    return referrer
