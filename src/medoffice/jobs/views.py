"""The jobs page: failures needing attention first, then recent results and the schedule."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.jobs import queries, services
from medoffice.jobs.models import JobFailure


@staff_view("accounts.view_jobs")
def job_list(request: HttpRequest) -> HttpResponse:
    context = {
        "failures": queries.open_failures(),
        "results": queries.recent_results(),
        "schedules": queries.schedule_rows(),
    }
    return render(request, "jobs/list.html", context)


@staff_view("accounts.view_jobs")
@require_POST
def resolve(request: HttpRequest, failure_id: int) -> HttpResponse:
    failure = get_object_or_404(JobFailure, pk=failure_id)
    services.resolve_job_failure(failure.pk, acting_user=request.user)
    return redirect("jobs:list")
