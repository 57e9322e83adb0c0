"""Chart prep for the next business day, and the huddle sheet PDF per provider."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from medoffice.core.pdf import pdf_response, render_pdf
from medoffice.core.permissions import staff_view
from medoffice.frontdesk import chart_prep, services
from medoffice.frontdesk.views.common import USE, actor, date_from, location_from, locations
from medoffice.practice import queries as practice


@staff_view(USE)
def chart_prep_page(request: HttpRequest) -> HttpResponse:
    location = location_from(request)
    day = date_from(request, chart_prep.prep_day(location))
    rows = chart_prep.prep_rows(location, day)
    if rows:
        services.audit_shown(
            [r.appointment.patient_id for r in rows], acting_user=actor(request), what="chart prep"
        )
    providers: dict[int, object] = {}
    for row in rows:
        providers.setdefault(row.appointment.provider_id, row.appointment.provider)
    context = {
        "location": location,
        "locations": locations(),
        "day": day,
        "rows": rows,
        "providers": list(providers.values()),
        "missing": sum(len(r.actions) for r in rows),
    }
    return render(request, "frontdesk/chart_prep.html", context)


@staff_view(USE)
def huddle_sheet(request: HttpRequest, provider_id: int) -> HttpResponse:
    location = location_from(request)
    provider = practice.get_provider(provider_id)
    if provider is None:
        raise Http404("No such provider.")
    day = date_from(request, chart_prep.prep_day(location))
    rows = chart_prep.prep_rows(location, day, provider_id=provider.pk)
    if rows:
        services.audit_shown(
            [r.appointment.patient_id for r in rows], acting_user=actor(request),
            what="huddle sheet",
        )  # fmt: skip
    data = render_pdf(
        "frontdesk/pdf/huddle.html",
        {"provider": provider, "rows": rows, "day": day, "location": location},
        title=f"Huddle sheet {day:%m/%d/%Y}",
    )
    return pdf_response(data, f"huddle-{provider.pk}-{day:%Y%m%d}.pdf")


urlpatterns = [
    path("chart-prep/", chart_prep_page, name="chart_prep"),
    path("chart-prep/huddle/<int:provider_id>/", huddle_sheet, name="huddle_sheet"),
]
