"""Registration, editing and the patient page: parse, authorize, call the service, render.

Registration warns about possible duplicates twice: live while the desk types
(``check_duplicates``) and on save, where the service refuses until the desk confirms each
candidate is a different person. Every page showing a patient audits the read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_POST

from medoffice.accounts.access import record_view
from medoffice.core.permissions import staff_view
from medoffice.patients import choices as c
from medoffice.patients import queries, services
from medoffice.patients.duplicates import find_duplicates
from medoffice.patients.errors import PossibleDuplicates
from medoffice.patients.forms import DuplicateProbeForm, PhotoForm, parse_ids
from medoffice.patients.forms_children import FORMSET_TITLES
from medoffice.patients.forms_page import PatientForms
from medoffice.patients.models import Patient
from medoffice.patients.views import record_parts
from medoffice.patients.views.helpers import (
    VIEW,
    actor,
    duplicate_rows,
    patient_or_404,
)
from medoffice.patients.views.helpers import (
    guarantor_lookup as lookup,
)

ADD = "patients.add_patient"
CHANGE = "patients.change_patient"


def _form_page(
    request: HttpRequest, forms: PatientForms, template: str, **extra: Any
) -> HttpResponse:
    sections = [
        {"name": name, "formset": formset, "title": FORMSET_TITLES[name][0],
         "add_label": FORMSET_TITLES[name][1]}
        for name, formset in forms.formsets.items()
    ]  # fmt: skip
    context = {
        "forms": forms,
        "form": forms.patient,
        "party": forms.party,
        "sections": {s["name"]: s for s in sections},
        "guarantor_choice": forms.chosen_guarantor(),
        "guarantor_query": request.POST.get("guarantor_query", "")[:200],
        "error_summary": forms.error_summary(),
        "previous_open": forms.previous_names_open(),
        **extra,
    }
    return render(request, template, context)


def _guarantor_step(
    request: HttpRequest, forms: PatientForms
) -> tuple[PatientForms, dict[str, Any]] | None:
    """Without JavaScript, "Find" and "Use this person" post the whole form: re-show it."""
    if "guarantor_pick" in request.POST:
        data = request.POST.copy()
        data["guarantor"] = request.POST.get("guarantor_pick", "")
        data["guarantor_kind"] = "patient"
        forms = PatientForms(data, patient=forms.record)
        forms.quiet()
        return forms, {}
    if "guarantor_find" in request.POST:
        forms.quiet()
        text = request.POST.get("guarantor_query", "")
        return forms, {"lookup": lookup(request, text)}
    return None


@staff_view(ADD)
def register(request: HttpRequest) -> HttpResponse:
    forms = PatientForms(request.POST if request.method == "POST" else None)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        step = _guarantor_step(request, forms)
        if step is not None:
            forms, extra = step
        elif forms.is_valid():
            acknowledged = parse_ids(request.POST.getlist("acknowledged_duplicates"))
            extra["acknowledged_ids"] = ",".join(str(i) for i in acknowledged)
            try:
                patient = services.register_patient(
                    acting_user=actor(request),
                    acknowledged_duplicates=acknowledged,
                    **forms.service_kwargs(),
                )
            except PossibleDuplicates as exc:
                extra["duplicates"] = duplicate_rows(request, exc.candidates)
                forms.drop_autofocus()
                extra["acknowledged_ids"] = ""
            except ValidationError as exc:
                forms.apply_errors(exc)
            else:
                messages.success(request, "Patient registered.")
                return redirect("patients:detail", patient_id=patient.pk)
    return _form_page(request, forms, "patients/register.html", **extra)


@staff_view(ADD)
@require_POST
def check_duplicates(request: HttpRequest) -> HttpResponse:
    """The warning panel for what is typed so far (or nothing): shown before Save is pressed."""
    person = DuplicateProbeForm(request.POST).person()
    candidates = find_duplicates(person) if person is not None else []
    rows = duplicate_rows(request, candidates)
    context = {"duplicates": rows, "live": True}
    html = render_to_string("patients/_duplicates_panel.html", context, request=request)
    return HttpResponse(html.strip())  # empty when no candidate: the slot collapses


@staff_view(VIEW)
@require_POST
def guarantor_lookup(request: HttpRequest) -> HttpResponse:
    """Patients matching the look-up box of the guarantor section (HTMX)."""
    text = request.POST.get("guarantor_query", "")
    return render(request, "patients/_guarantor_lookup.html", {"lookup": lookup(request, text)})


@record_view(VIEW, "patients.patient", "patient_id")
def detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    services.audit_read(patient, acting_user=actor(request), what="chart")
    context = {
        "patient": patient,
        "dependents": list(queries.dependents_of(patient)),
        "can_change": request.user.has_perm(CHANGE),
        "photo_form": PhotoForm(auto_id="photo-%s"),
        "photo_max_mb": f"{settings.MEDOFFICE_PHOTO_MAX_BYTES / (1024 * 1024):g}",
    }
    return render(request, "patients/detail.html", context)


@staff_view(CHANGE)
def edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    if patient.status == c.PatientStatus.MERGED:
        messages.warning(request, "This record was merged into another; edit the kept record.")
        return redirect("patients:detail", patient_id=patient.pk)
    forms = PatientForms(request.POST if request.method == "POST" else None, patient=patient)
    extra: dict[str, Any] = {}
    if request.method != "POST":
        services.audit_read(patient, acting_user=actor(request), what="edit form")
    else:
        step = _guarantor_step(request, forms)
        if step is not None:
            forms, extra = step
        elif forms.is_valid() and _update(request, forms, patient):
            messages.success(request, "Changes saved.")
            return redirect("patients:detail", patient_id=patient.pk)
    return _form_page(request, forms, "patients/edit.html", patient=patient, **extra)


def _update(request: HttpRequest, forms: PatientForms, patient: Patient) -> bool:
    try:
        services.update_patient(patient, acting_user=actor(request), **forms.service_kwargs())
    except ValidationError as exc:
        forms.apply_errors(exc)
        return False
    return True


urlpatterns = [
    path("register/", register, name="register"),
    path("check-duplicates/", check_duplicates, name="check_duplicates"),
    path("guarantor-lookup/", guarantor_lookup, name="guarantor_lookup"),
    path("<int:patient_id>/", detail, name="detail"),
    path("<int:patient_id>/edit/", edit, name="edit"),
    *record_parts.urlpatterns,
]
