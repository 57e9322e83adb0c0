"""Reads about the practice that views and other contexts may use."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from medoffice.practice.models import (
    Location,
    LocationHours,
    Practice,
    Provider,
    ReferringProvider,
    Staff,
)


def get_practice() -> Practice | None:
    """The practice this installation runs (one per database)."""
    return Practice.objects.order_by("pk").first()


def list_locations(*, active_only: bool = True) -> QuerySet[Location]:
    qs = Location.objects.prefetch_related(
        Prefetch("hours", queryset=LocationHours.objects.order_by("weekday", "opens"))
    )
    return qs.filter(active=True) if active_only else qs


def list_providers(
    *, active_only: bool = True, location: Location | None = None
) -> QuerySet[Provider]:
    qs = Provider.objects.prefetch_related(
        Prefetch("locations", queryset=Location.objects.order_by("name"))
    )
    if active_only:
        qs = qs.filter(active=True)
    if location is not None:
        qs = qs.filter(locations=location)
    return qs


def get_provider(provider_id: int) -> Provider | None:
    return list_providers(active_only=False).filter(pk=provider_id).first()


def get_location(location_id: int) -> Location | None:
    return list_locations(active_only=False).filter(pk=location_id).first()


def list_staff() -> QuerySet[Staff]:
    return Staff.objects.select_related("user").prefetch_related(
        Prefetch("locations", queryset=Location.objects.order_by("name"))
    )


def list_referring_providers(*, active_only: bool = True) -> QuerySet[ReferringProvider]:
    qs = ReferringProvider.objects.all()
    return qs.filter(active=True) if active_only else qs


def find_provider(provider_id: int) -> Provider | None:
    """One provider by id, without its locations (a reference check, not a page)."""
    return Provider.objects.filter(pk=provider_id).order_by().first()


def find_referring_provider(referrer_id: int) -> ReferringProvider | None:
    return ReferringProvider.objects.filter(pk=referrer_id).order_by().first()
