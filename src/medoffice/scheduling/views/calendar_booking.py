"""Booking from the calendar: a slot's booking panel, finding the patient, the preparation
instructions in the patient's language, and the first-available finder with one-click booking.

Refusals come back in plain words with everything the desk entered still in place: 409 when the
time is taken (``SlotUnavailable``), 422 when the booking is not allowed (``BookingRefused``) or
the form is incomplete.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medoffice.authorizations import queries as authorizations
from medoffice.authorizations import services as authorization_services
from medoffice.core.permissions import staff_view
from medoffice.patients import queries as patient_queries
from medoffice.practice.models import Location, Provider
from medoffice.scheduling import availability, queries, services
from medoffice.scheduling.errors import BookingRefused, SlotUnavailable
from medoffice.scheduling.models import Appointment, AppointmentType, AppointmentTypeDuration
from medoffice.scheduling.views.calendar_common import (
    ADD,
    VIEW,
    actor,
    audit_shown,
    is_htmx,
    panel,
    parse_id,
)
from medoffice.scheduling.views.calendar_forms import BookingForm, FindSlotForm, find_initial
from medoffice.scheduling.views.calendar_layout import time_label
from medoffice.scheduling.views.calendar_links import instant_text, parse_instant
from medoffice.scheduling.views.calendar_patients import Lookup, chosen, lookup, prep_for
from medoffice.scheduling.views.calendar_slots import RESULT_LIMIT, slot_rows

BOOK_PAGE = "scheduling/book_page.html"
INCOMPLETE = "This slot link is incomplete or out of date: pick the slot again from the calendar."


@dataclass(frozen=True)
class SlotChoice:
    """The slot being booked: who, where, when (and how many overbooks its session allows)."""

    provider: Provider
    location: Location
    starts_at: dt.datetime
    label: str
    overbook_limit: int

    @property
    def instant(self) -> str:
        return instant_text(self.starts_at)


@dataclass(frozen=True)
class TypeOption:
    appointment_type: AppointmentType
    minutes: int


@dataclass(frozen=True)
class Problem:
    message: str
    conflicts: list[str]


def when_label(at: dt.datetime, location: Location) -> str:
    """ "Mon, Nov 30 · 9:00 AM" at the location."""
    zone = zoneinfo.ZoneInfo(location.time_zone)
    local = at.astimezone(zone)
    return f"{local:%a, %b} {local.day} · {time_label(at, zone)}"


def _slot(data: QueryDict) -> SlotChoice | None:
    provider_id, location_id = parse_id(data.get("provider")), parse_id(data.get("location"))
    starts_at = parse_instant(data.get("start") or "")
    if provider_id is None or location_id is None or starts_at is None:
        return None
    provider = Provider.objects.filter(pk=provider_id, active=True).first()
    location = Location.objects.filter(pk=location_id, active=True).first()
    if provider is None or location is None:
        return None
    session = availability.session_at(provider=provider, location=location, at=starts_at)
    limit = session.overbook_limit if session is not None else 0
    return SlotChoice(provider, location, starts_at, when_label(starts_at, location), limit)


def _types_for(provider: Provider) -> list[TypeOption]:
    """Active types this provider sees, with the provider's own length for each."""
    own = dict(
        AppointmentTypeDuration.objects.filter(provider=provider).values_list(
            "appointment_type_id", "minutes"
        )
    )
    options = []
    for kind in queries.list_appointment_types():
        allowed = {p.pk for p in kind.providers.all()}
        if not allowed or provider.pk in allowed:
            options.append(TypeOption(kind, own.get(kind.pk, kind.default_minutes)))
    return options


def _form(
    data: QueryDict | None, types: list[TypeOption], initial: dict[str, Any] | None = None
) -> BookingForm:
    return BookingForm(data, initial=initial, types=[o.appointment_type for o in types])


def _book_panel(
    request: HttpRequest,
    slot: SlotChoice,
    form: BookingForm,
    types: list[TypeOption],
    *,
    found: Lookup | None = None,
    problem: Problem | None = None,
    status: int = 200,
) -> HttpResponse:
    patient_id = parse_id(form["patient"].value())
    picked = chosen(patient_id)
    type_id = parse_id(form["appointment_type"].value())
    if picked is not None:
        audit_shown(request, patient_ids=[picked.patient.pk], what="booking panel")
    context = {
        "slot": slot,
        "form": form,
        "types": types,
        "type_id": type_id,
        "picked": picked,
        "lookup": found,
        "problem": problem,
        "prep": prep_for(type_id, picked.patient.preferred_language if picked else None),
        "auth_warnings": authorizations.booking_warnings(
            picked.patient.pk, type_id, slot.provider.pk, slot.starts_at
        )
        if picked is not None and type_id
        else [],
    }
    return panel(request, "scheduling/book_panel.html", context, page=BOOK_PAGE, status=status)


def _incomplete(request: HttpRequest) -> HttpResponse:
    context = {"message": INCOMPLETE}
    return panel(request, "scheduling/book_missing.html", context, page=BOOK_PAGE, status=400)


def _problem(exc: SlotUnavailable | BookingRefused, location: Location) -> Problem:
    zone = zoneinfo.ZoneInfo(location.time_zone)
    conflicts = [
        f"{time_label(a.starts_at, zone)}\N{EN DASH}{time_label(a.ends_at, zone)}"
        for a in getattr(exc, "conflicts", [])
        if isinstance(a, Appointment)
    ]
    return Problem(getattr(exc, "message", "") or str(exc), conflicts)


@staff_view(ADD)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    slot = _slot(data)
    if slot is None:
        return _incomplete(request)
    types = _types_for(slot.provider)
    if request.method == "GET":
        initial = {
            "appointment_type": parse_id(data.get("appointment_type")),
            "patient": parse_id(data.get("patient")),
        }
        return _book_panel(request, slot, _form(None, types, initial), types)
    form = _form(request.POST, types)
    if not form.is_valid():
        return _book_panel(request, slot, form, types, status=422)
    patient = patient_queries.get_patient(form.cleaned_data["patient"])
    if patient is None:
        form.add_error("patient", "That patient was not found; search again.")
        return _book_panel(request, slot, form, types, status=422)
    try:
        appointment = services.book_appointment(
            acting_user=actor(request),
            patient=patient,
            provider=slot.provider,
            location=slot.location,
            appointment_type=form.cleaned_data["appointment_type"],
            starts_at=slot.starts_at,
            overbook=form.cleaned_data["overbook"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except SlotUnavailable as exc:
        problem = _problem(exc, slot.location)
        return _book_panel(request, slot, form, types, problem=problem, status=409)
    except BookingRefused as exc:
        problem = _problem(exc, slot.location)
        return _book_panel(request, slot, form, types, problem=problem, status=422)
    warnings = authorizations.booking_warnings(
        patient.pk, appointment.appointment_type_id, slot.provider.pk, slot.starts_at
    )
    counted = authorization_services.count_booked_visit(appointment, acting_user=actor(request))
    return _booked(request, appointment, patient, warnings=warnings, counted=counted)


def _booked(
    request: HttpRequest,
    appointment: Appointment,
    patient: Any,
    *,
    warnings: list[str],
    counted: Any = None,
) -> HttpResponse:
    label = when_label(appointment.starts_at, appointment.location)
    if not is_htmx(request):
        messages.success(request, f"Booked {label} with {appointment.provider}.")
        if counted is not None:
            messages.info(request, f"The visit counts against {counted.label}.")
        for warning in warnings:
            messages.warning(request, warning)
        return redirect("scheduling:appointment", appointment_id=appointment.pk)
    context = {
        "appointment": appointment,
        "patient": patient,
        "when": label,
        "prep": prep_for(appointment.appointment_type_id, patient.preferred_language),
        "auth_warnings": warnings,
        "counted_referral": counted,
    }
    return panel(request, "scheduling/book_done.html", context, page=BOOK_PAGE, changed=True)


@staff_view(ADD)
@require_POST
def book_patients(request: HttpRequest) -> HttpResponse:
    """Patients matching the booking panel's search box (the text comes by POST only)."""
    found = lookup(request, request.POST.get("q", ""), source="booking")
    if is_htmx(request):
        return render(request, "scheduling/book_patients.html", {"lookup": found})
    slot = _slot(request.POST)
    if slot is None:
        return _incomplete(request)
    types = _types_for(slot.provider)
    initial = {"appointment_type": parse_id(request.POST.get("appointment_type"))}
    return _book_panel(request, slot, _form(None, types, initial), types, found=found)


@staff_view(ADD)
@require_GET
def book_prep(request: HttpRequest) -> HttpResponse:
    """The type's preparation instructions in the chosen patient's language (ids only)."""
    patient_id = parse_id(request.GET.get("patient"))
    language = None
    if patient_id:
        language = (
            patient_queries.list_patients()
            .filter(pk=patient_id)
            .values_list("preferred_language", flat=True)
            .first()
        )
    prep = prep_for(parse_id(request.GET.get("appointment_type")), language)
    return render(request, "scheduling/book_prep.html", {"prep": prep})


@staff_view(VIEW)
@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """First available: the earliest open slots for a type across the providers who see it."""
    bound = "appointment_type" in request.GET
    patient_id = parse_id(request.GET.get("patient"))
    initial = find_initial(
        timezone.localdate(),
        location=parse_id(request.GET.get("location")),
        providers=[p for p in map(parse_id, request.GET.getlist("providers")) if p],
        patient=patient_id,
    )
    form = FindSlotForm(request.GET if bound else None, initial=initial)
    rows = None
    if bound and form.is_valid():
        slots = availability.first_available(**form.search_kwargs(), limit=RESULT_LIMIT)
        book = {"appointment_type": form.cleaned_data["appointment_type"].pk}
        if patient_id:
            book["patient"] = patient_id
        rows = slot_rows(slots, book=book)
    picked = chosen(patient_id)
    if picked is not None:
        audit_shown(request, patient_ids=[picked.patient.pk], what="slot finder")
    context = {
        "form": form,
        "rows": rows,
        "picked": picked,
        "can_book": request.user.has_perm(ADD),
        "searched": bound,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "find-results":
        return render(request, "scheduling/book_find_results.html", context)
    return panel(request, "scheduling/book_find.html", context, page=BOOK_PAGE)


urlpatterns: list[URLPattern] = [
    path("book/", book, name="book"),
    path("book/patients/", book_patients, name="book_patients"),
    path("book/prep/", book_prep, name="book_prep"),
    path("find/", find, name="find"),
]
