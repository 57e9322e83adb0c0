"""JSON API of the practice context, mounted at /api/practice/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.practice import queries

router = Router(tags=["practice"])


class HoursOut(Schema):
    weekday: int
    opens: str
    closes: str


class LocationOut(Schema):
    id: int
    name: str
    code: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str
    phone: str
    time_zone: str
    place_of_service: str
    active: bool
    hours: list[HoursOut]

    @staticmethod
    def resolve_hours(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "weekday": h.weekday,
                "opens": h.opens.strftime("%H:%M"),
                "closes": h.closes.strftime("%H:%M"),
            }
            for h in obj.hours.all()
        ]


class LocationRef(Schema):
    id: int
    name: str
    code: str


class ProviderOut(Schema):
    id: int
    first_name: str
    middle_name: str
    last_name: str
    credentials: str
    specialty: str
    npi: str
    taxonomy_code: str
    color: str
    active: bool
    locations: list[LocationRef]

    @staticmethod
    def resolve_locations(obj: Any) -> list[Any]:
        return list(obj.locations.all())


@router.get("/locations", response=list[LocationOut])
@paginate(MedofficePagination)
def list_locations(request: HttpRequest, active_only: bool = True) -> Any:
    require(request, "accounts.view_practice")
    return queries.list_locations(active_only=active_only).order_by("name", "pk")


@router.get("/providers", response=list[ProviderOut])
@paginate(MedofficePagination)
def list_providers(request: HttpRequest, active_only: bool = True) -> Any:
    require(request, "accounts.view_practice")
    return queries.list_providers(active_only=active_only).order_by("last_name", "first_name", "pk")


@router.get("/providers/{provider_id}", response=ProviderOut)
def get_provider(request: HttpRequest, provider_id: int) -> Any:
    require(request, "accounts.view_practice")
    provider = queries.get_provider(provider_id)
    if provider is None:
        raise ProblemError(404, "Not found", f"No provider with id {provider_id}.")
    return provider
