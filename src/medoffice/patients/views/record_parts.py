"""The alert banner's actions and the photo: small posts from any page showing the patient.

With HTMX the alert actions answer with the refreshed banner; without JavaScript they redirect
back to the page they came from (a same-site path, never a query string).
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from medoffice.accounts.access import record_view
from medoffice.core.permissions import staff_view
from medoffice.patients import photos, services
from medoffice.patients.forms import AlertForm, PhotoForm
from medoffice.patients.models import Patient, PatientAlert
from medoffice.patients.templatetags.patients_tags import banner_context
from medoffice.patients.views.helpers import VIEW, actor, patient_or_404

CHANGE = "patients.change_patient"
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def _back(request: HttpRequest, patient: Patient) -> HttpResponse:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target.startswith("/") and "?" not in target and safe:
        return redirect(target)
    return redirect("patients:detail", patient_id=patient.pk)


def _banner(request: HttpRequest, patient_id: int, form: AlertForm | None = None) -> HttpResponse:
    patient = patient_or_404(patient_id)  # fresh: the banner shows what is stored now
    context = banner_context(
        patient, request.user, alert_form=form, next_url=request.POST.get("next", "")
    )
    return render(request, "patients/_banner.html", context)


@staff_view(CHANGE)
@require_POST
def add_alert(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    form = AlertForm(request.POST, auto_id=f"alert-{patient.pk}-%s")
    if form.is_valid():
        try:
            services.add_alert(patient, acting_user=actor(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if getattr(request, "htmx", False):
        return _banner(request, patient.pk, form if form.errors else None)
    if form.errors:
        messages.error(request, "The alert was not added: " + _plain(form))
    else:
        messages.success(request, "Alert added.")
    return _back(request, patient)


def _plain(form: AlertForm) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


@staff_view(CHANGE)
@require_POST
def resolve_alert(request: HttpRequest, patient_id: int, alert_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    alert = get_object_or_404(PatientAlert, pk=alert_id, patient_id=patient.pk)
    services.resolve_alert(alert, acting_user=actor(request))
    if getattr(request, "htmx", False):
        return _banner(request, patient.pk)
    messages.success(request, "Alert resolved.")
    return _back(request, patient)


@record_view(VIEW, "patients.patient", "patient_id")
def photo(request: HttpRequest, patient_id: int) -> HttpResponse:
    """GET: the picture (audited read). POST: upload or remove (change permission)."""
    if request.method == "POST":
        return _change_photo(request, patient_id)
    patient = Patient.objects.only("pk", "photo").filter(pk=patient_id).first()
    if patient is None or not patient.photo:
        raise Http404("No photo.")
    content_type = mimetypes.guess_type(patient.photo.name or "")[0] or ""
    try:
        with patient.photo.open("rb") as handle:
            data = handle.read()  # at most 600 px a side (photos.MAX_SIDE): small
    except FileNotFoundError as exc:
        raise Http404("No photo.") from exc
    services.audit_read(patient, acting_user=actor(request), what="photo")
    return HttpResponse(
        data,
        content_type=content_type if content_type in IMAGE_TYPES else "application/octet-stream",
    )


def _change_photo(request: HttpRequest, patient_id: int) -> HttpResponse:
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    patient = get_object_or_404(Patient, pk=patient_id)
    form = PhotoForm(request.POST, request.FILES)
    try:
        if "remove" in request.POST:
            photos.remove_photo(patient, acting_user=actor(request))
            messages.success(request, "Photo removed.")
        elif form.is_valid() and form.cleaned_data.get("photo"):
            photos.set_photo(patient, form.cleaned_data["photo"], acting_user=actor(request))
            messages.success(request, "Photo saved.")
        else:
            messages.error(request, "Choose a picture to upload.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("patients:detail", patient_id=patient.pk)


urlpatterns = [
    path("<int:patient_id>/alerts/", add_alert, name="add_alert"),
    path("<int:patient_id>/alerts/<int:alert_id>/resolve/", resolve_alert, name="resolve_alert"),
    path("<int:patient_id>/photo/", photo, name="photo"),
]
