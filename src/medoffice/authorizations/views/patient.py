"""A patient's referrals (incoming and outgoing) and prior authorizations on one page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from medoffice.authorizations import queries, services
from medoffice.authorizations.choices import Direction
from medoffice.authorizations.views.common import VIEW_REFERRAL, actor, patient_or_404
from medoffice.core.permissions import staff_view
from medoffice.insurance import queries as insurance


@staff_view(VIEW_REFERRAL)
def patient_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_404(patient_id)
    services.audit_read(patient.pk, acting_user=actor(request), what="referrals and authorizations")
    referrals = list(queries.referrals_of(patient.pk))
    show_auths = request.user.has_perm("authorizations.view_priorauthorization")
    context = {
        "patient": patient,
        "incoming": [r for r in referrals if r.direction == Direction.INCOMING],
        "outgoing": [r for r in referrals if r.direction == Direction.OUTGOING],
        "authorizations": list(queries.authorizations_of(patient.pk)) if show_auths else [],
        "show_auths": show_auths,
        "coverages": [insurance.describe(c) for c in insurance.coverages_of(patient.pk)],
        "today": timezone.localdate(),
    }
    return render(request, "authorizations/patient.html", context)


urlpatterns = [path("patients/<int:patient_id>/", patient_page, name="patient")]
