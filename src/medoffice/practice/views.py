"""Staff pages: the practice overview and the location/provider edit pages."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medoffice.accounts.models import User
from medoffice.core.permissions import staff_view
from medoffice.practice import queries, services
from medoffice.practice.forms import LocationForm, ProviderForm
from medoffice.practice.models import Location, Provider

VIEW = "accounts.view_practice"
MANAGE = "accounts.manage_practice"


def _actor(request: HttpRequest) -> User:
    """The signed-in user (staff_view guarantees one)."""
    return cast(User, request.user)


@staff_view(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    context = {
        "practice": queries.get_practice(),
        "locations": queries.list_locations(active_only=False),
        "providers": queries.list_providers(active_only=False),
        "staff_members": queries.list_staff(),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "practice/overview.html", context)


def _location_or_404(location_id: int) -> Location:
    location = queries.get_location(location_id)
    if location is None:
        raise Http404("No such location.")
    return location


def _provider_or_404(provider_id: int) -> Provider:
    provider = queries.get_provider(provider_id)
    if provider is None:
        raise Http404("No such provider.")
    return provider


def _save_location(form: LocationForm, location: Location | None, request: HttpRequest) -> bool:
    try:
        if location is None:
            practice = queries.get_practice()
            if practice is None:
                form.add_error(None, "Set up the practice first.")
                return False
            services.create_location(
                practice=practice, acting_user=_actor(request), hours=form.hours(), **form.values()
            )
        else:
            services.update_location(
                location, acting_user=_actor(request), hours=form.hours(), **form.values()
            )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def _location_page(request: HttpRequest, location: Location | None) -> HttpResponse:
    heading = f"Edit {location.name}" if location else "Add location"
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        # the ModelForm mutated the instance while validating; reload so the service sees changes
        fresh = _location_or_404(location.pk) if location else None
        if _save_location(form, fresh, request):
            return redirect("practice:overview")
    return render(request, "practice/location_form.html", {"form": form, "heading": heading})


@staff_view(MANAGE)
def location_add(request: HttpRequest) -> HttpResponse:
    return _location_page(request, None)


@staff_view(MANAGE)
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    return _location_page(request, _location_or_404(location_id))


def _provider_page(request: HttpRequest, provider: Provider | None) -> HttpResponse:
    heading = f"Edit {provider.display_name}" if provider else "Add provider"
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        locations = list(form.cleaned_data["locations"])
        try:
            if provider is None:
                services.create_provider(
                    acting_user=_actor(request), locations=locations, **form.values()
                )
            else:
                services.update_provider(
                    _provider_or_404(provider.pk),
                    acting_user=_actor(request),
                    locations=locations,
                    **form.values(),
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("practice:overview")
    return render(request, "practice/provider_form.html", {"form": form, "heading": heading})


@staff_view(MANAGE)
def provider_add(request: HttpRequest) -> HttpResponse:
    return _provider_page(request, None)


@staff_view(MANAGE)
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    return _provider_page(request, _provider_or_404(provider_id))
