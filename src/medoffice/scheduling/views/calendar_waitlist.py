"""The waitlist: patients who want an earlier visit, the slots offered to them when a
cancellation freed a matching time, and the desk's answers (accept books it, decline passes it
on, remove ends the wait). Writes go through ``scheduling.waitlist``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from medoffice.core.permissions import staff_view
from medoffice.patients import queries as patient_queries
from medoffice.scheduling import waitlist
from medoffice.scheduling.choices import WaitlistStatus
from medoffice.scheduling.errors import BookingRefused, InvalidTransition, SlotUnavailable
from medoffice.scheduling.models import Appointment, WaitlistEntry
from medoffice.scheduling.views.calendar_booking import when_label
from medoffice.scheduling.views.calendar_common import (
    ADD,
    CHANGE,
    VIEW,
    actor,
    audit_shown,
    parse_id,
)
from medoffice.scheduling.views.calendar_forms import WaitlistForm
from medoffice.scheduling.views.calendar_patients import chosen, lookup

OPEN = (WaitlistStatus.OFFERED, WaitlistStatus.WAITING)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REFUSED = (SlotUnavailable, BookingRefused, InvalidTransition)


def _entries() -> list[WaitlistEntry]:
    """Open entries, offers first (someone is waiting for an answer), then by age."""
    rows = (
        WaitlistEntry.objects.filter(status__in=OPEN)
        .select_related("patient", "appointment_type", "provider", "location", "offered_provider")
        .prefetch_related("offered_provider__locations")
        .defer("patient__ssn")
        .order_by("created_at", "pk")
    )
    return sorted(rows, key=lambda e: e.status != WaitlistStatus.OFFERED)


def _days(entry: WaitlistEntry) -> str:
    days = sorted(int(d) for d in entry.weekdays or [])
    return ", ".join(WEEKDAY_NAMES[d] for d in days if 0 <= d <= 6) or "Any day"


def _rows(entries: list[WaitlistEntry]) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        offered = ""
        if entry.offered_starts_at is not None:
            place = entry.location
            if place is None and entry.offered_provider is not None:
                place = next(iter(entry.offered_provider.locations.all()), None)
            offered = (
                when_label(entry.offered_starts_at, place)
                if place is not None
                else f"{timezone.localtime(entry.offered_starts_at):%a, %b %d · %I:%M %p}"
            )
        rows.append({"entry": entry, "days": _days(entry), "offered": offered})
    return rows


def _page(
    request: HttpRequest, form: WaitlistForm, *, status: int = 200, found: Any = None
) -> HttpResponse:
    entries = _entries()
    picked = chosen(parse_id(form["patient"].value()))
    shown = [entry.patient_id for entry in entries] + ([picked.patient.pk] if picked else [])
    audit_shown(request, patient_ids=shown, what="waitlist")
    context = {
        "rows": _rows(entries),
        "form": form,
        "picked": picked,
        "lookup": found,
        "can_add": request.user.has_perm(ADD),
        "can_change": request.user.has_perm(CHANGE),
    }
    return render(request, "scheduling/waitlist.html", context, status=status)


def _current(appointment_id: int | None, patient_id: int) -> Appointment | None:
    """The patient's later appointment the waitlist would replace (ids from the form)."""
    if not appointment_id:
        return None
    return Appointment.objects.filter(pk=appointment_id, patient_id=patient_id).first()


def _blank_form(request: HttpRequest | None = None) -> WaitlistForm:
    """The add form, pre-filled from an appointment's "want earlier?" link (ids only)."""
    today = timezone.localdate()
    initial: dict[str, Any] = {"earliest_date": today, "latest_date": today + dt.timedelta(days=30)}
    if request is not None:
        for name in ("patient", "appointment_type", "provider", "location"):
            initial[name] = parse_id(request.GET.get(name))
        current = _current(parse_id(request.GET.get("appointment")), initial["patient"] or 0)
        if current is not None:
            initial["current_appointment"] = current.pk
            initial["latest_date"] = current.starts_at.date()
    return WaitlistForm(initial=initial)


@staff_view(VIEW)
@require_GET
def waitlist_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _blank_form(request))


@staff_view(ADD)
@require_POST
def waitlist_patients(request: HttpRequest) -> HttpResponse:
    """Patients matching the add form's search box (POST only), audited as shown."""
    found = lookup(request, request.POST.get("q", ""), source="waitlist")
    if getattr(request, "htmx", False):
        context = {"lookup": found, "form_id": "waitlist-form", "radio_prefix": "waitlist-patient"}
        return render(request, "scheduling/book_patients.html", context)
    return _page(request, _blank_form(), found=found)


@staff_view(ADD)
@require_POST
def waitlist_add(request: HttpRequest) -> HttpResponse:
    form = WaitlistForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    patient = patient_queries.get_patient(data["patient"])
    if patient is None:
        form.add_error("patient", "That patient was not found; search again.")
        return _page(request, form, status=422)
    try:
        waitlist.add_to_waitlist(
            acting_user=actor(request),
            patient=patient,
            appointment_type=data["appointment_type"],
            provider=data["provider"],
            location=data["location"],
            earliest_date=data["earliest_date"],
            latest_date=data["latest_date"],
            weekdays=sorted(data["weekdays"]),
            earliest_time=data["earliest_time"],
            latest_time=data["latest_time"],
            note=data["note"],
            current_appointment=_current(data.get("current_appointment"), patient.pk),
        )
    except REFUSED as exc:
        form.add_error(None, getattr(exc, "message", "") or str(exc))
        return _page(request, form, status=422)
    messages.success(request, f"{patient.display_name} is on the waitlist.")
    return redirect("scheduling:waitlist")


def _entry_or_404(entry_id: int) -> WaitlistEntry:
    entry = WaitlistEntry.objects.select_related("patient").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such waitlist entry.")
    return entry


def _answer(request: HttpRequest, entry_id: int, action: str) -> HttpResponse:
    entry = _entry_or_404(entry_id)
    try:
        if action == "accept":
            booked = waitlist.accept_offer(entry, acting_user=actor(request))
            messages.success(request, "The offered time is booked.")
            return redirect("scheduling:appointment", appointment_id=booked.pk)
        elif action == "decline":
            passed_to = waitlist.decline_offer(entry, acting_user=actor(request))
            done = "Offer declined; the patient stays on the waitlist."
            if passed_to is not None:
                done += f" The time was offered to {passed_to.patient.display_name}."
        else:
            waitlist.remove_from_waitlist(entry, acting_user=actor(request))
            done = "Removed from the waitlist."
    except REFUSED as exc:
        messages.error(request, getattr(exc, "message", "") or str(exc))
        return redirect("scheduling:waitlist")
    messages.success(request, done)
    return redirect("scheduling:waitlist")


@staff_view(ADD)
@require_POST
def waitlist_accept(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _answer(request, entry_id, "accept")


@staff_view(CHANGE)
@require_POST
def waitlist_decline(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _answer(request, entry_id, "decline")


@staff_view(CHANGE)
@require_POST
def waitlist_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _answer(request, entry_id, "remove")


urlpatterns: list[URLPattern] = [
    path("waitlist/", waitlist_page, name="waitlist"),
    path("waitlist/patients/", waitlist_patients, name="waitlist_patients"),
    path("waitlist/add/", waitlist_add, name="waitlist_add"),
    path("waitlist/<int:entry_id>/accept/", waitlist_accept, name="waitlist_accept"),
    path("waitlist/<int:entry_id>/decline/", waitlist_decline, name="waitlist_decline"),
    path("waitlist/<int:entry_id>/remove/", waitlist_remove, name="waitlist_remove"),
]
