"""The patient's desk record: excuse notes issued (with their PDFs) and past check-ins."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from medoffice.core.permissions import staff_view
from medoffice.frontdesk import queries, services
from medoffice.frontdesk.views.common import USE, actor
from medoffice.patients import queries as patients


@staff_view(USE)
def patient_record(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patients.get_patient(patient_id)
    if patient is None:
        raise Http404("No such patient.")
    services.audit_read(patient.pk, acting_user=actor(request), what="desk record")
    context = {
        "patient": patient,
        "notes": queries.excuse_notes_of(patient.pk),
        "visits": queries.check_ins_of(patient.pk),
        "last_confirmed": queries.last_confirmed(patient.pk),
    }
    return render(request, "frontdesk/patient.html", context)


urlpatterns = [path("patients/<int:patient_id>/", patient_record, name="patient")]
