"""The worklist: requests waiting on the payer (and drafts not sent), alerts of authorizations
ending or running out of units, and referrals running out of visits or ending."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from medoffice.authorizations import queries, services
from medoffice.authorizations.views.common import VIEW_AUTH, actor
from medoffice.core.permissions import staff_view

MAX_ROWS = 200


@staff_view(VIEW_AUTH)
def worklist(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    waiting = list(queries.open_authorizations()[:MAX_ROWS])
    alerts = queries.alerts(today)
    show_referrals = request.user.has_perm("authorizations.view_referral")
    if not show_referrals:
        alerts = [a for a in alerts if a.referral is None]
    services.audit_shown(
        [a.patient_id for a in waiting] + [a.patient_id for a in alerts],
        acting_user=actor(request), what="authorizations worklist",
    )  # fmt: skip
    context = {
        "waiting": waiting,
        "auth_alerts": [a for a in alerts if a.authorization is not None],
        "referral_alerts": [a for a in alerts if a.referral is not None],
        "show_referrals": show_referrals,
        "today": today,
    }
    return render(request, "authorizations/worklist.html", context)


urlpatterns = [path("", worklist, name="worklist")]
