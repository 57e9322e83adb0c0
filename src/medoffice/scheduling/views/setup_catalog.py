"""Set-up pages for appointment types and for rooms and equipment: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from medoffice.core.permissions import staff_view
from medoffice.scheduling import setup_services
from medoffice.scheduling.models import AppointmentType, Resource
from medoffice.scheduling.setup_forms import AppointmentTypeForm, ResourceForm
from medoffice.scheduling.views.setup_support import MANAGE, actor, get_or_404, show_errors


def _type_page(request: HttpRequest, kind: AppointmentType | None) -> HttpResponse:
    form = AppointmentTypeForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        try:
            if kind is None:
                setup_services.create_appointment_type(
                    acting_user=actor(request), **form.service_kwargs()
                )
            else:
                # the ModelForm changed the instance while validating: give the service a
                # fresh copy so it sees (and audits) what changed
                fresh = AppointmentType.objects.get(pk=kind.pk)
                setup_services.update_appointment_type(
                    fresh, acting_user=actor(request), **form.service_kwargs()
                )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Appointment type saved.")
            return redirect("scheduling:setup")
    heading = f"Edit {kind.name}" if kind else "Add appointment type"
    return render(request, "scheduling/setup/type_form.html", {"form": form, "heading": heading})


@staff_view(MANAGE)
def type_add(request: HttpRequest) -> HttpResponse:
    return _type_page(request, None)


@staff_view(MANAGE)
def type_edit(request: HttpRequest, type_id: int) -> HttpResponse:
    return _type_page(request, get_or_404(AppointmentType.objects.all(), pk=type_id))


def _resource_page(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            if resource is None:
                setup_services.create_resource(acting_user=actor(request), **form.service_kwargs())
            else:
                fresh = Resource.objects.get(pk=resource.pk)
                setup_services.update_resource(
                    fresh, acting_user=actor(request), **form.service_kwargs()
                )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Room or equipment saved.")
            return redirect("scheduling:setup")
    heading = f"Edit {resource.name}" if resource else "Add room or equipment"
    context = {"form": form, "heading": heading}
    return render(request, "scheduling/setup/resource_form.html", context)


@staff_view(MANAGE)
def resource_add(request: HttpRequest) -> HttpResponse:
    return _resource_page(request, None)


@staff_view(MANAGE)
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    return _resource_page(request, get_or_404(Resource.objects.all(), pk=resource_id))


urlpatterns = [
    path("setup/types/new/", type_add, name="setup_type_add"),
    path("setup/types/<int:type_id>/", type_edit, name="setup_type_edit"),
    path("setup/resources/new/", resource_add, name="setup_resource_add"),
    path("setup/resources/<int:resource_id>/", resource_edit, name="setup_resource_edit"),
]
