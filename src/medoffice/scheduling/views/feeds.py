"""Calendar feeds: the public subscription endpoint and the managers' page to issue and revoke.

``feeds/<token>.ics`` is reachable without signing in: calendar apps cannot sign in, so the
long random token in the URL is the credential. Unknown and revoked tokens answer a bare 404
(the same for both, so the answer reveals nothing). Nothing about the request is logged beyond
the feed's ``last_used_at``; the token never appears in the audit trail.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from medoffice.core.permissions import public_view, staff_view
from medoffice.scheduling import setup_services
from medoffice.scheduling.models import CalendarFeed
from medoffice.scheduling.setup_feed_events import feed_content
from medoffice.scheduling.setup_forms_calendar import FeedForm
from medoffice.scheduling.views.setup_support import FEEDS, actor, get_or_404

FEEDS_SHOWN = 200


@public_view
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    subscription = setup_services.feed_for_token(token)
    if subscription is None:
        raise Http404("No such calendar.")
    content = feed_content(subscription, now=timezone.now())
    response = HttpResponse(content.ics, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _feed_url(request: HttpRequest, raw: str) -> str:
    return request.build_absolute_uri(reverse("scheduling:feed", kwargs={"token": raw}))


@staff_view(FEEDS)
def manage(request: HttpRequest) -> HttpResponse:
    """Every feed with its state; creating one shows its URL once (it is never stored)."""
    form = FeedForm(request.POST or None)
    new_url = ""
    if request.method == "POST" and form.is_valid():
        _feed, raw = setup_services.create_calendar_feed(
            form.cleaned_data["provider"],
            acting_user=actor(request),
            show_patient_names=form.cleaned_data["show_patient_names"],
        )
        new_url = _feed_url(request, raw)
        form = FeedForm()
    feeds = CalendarFeed.objects.select_related("provider", "created_by").order_by(
        "revoked_at", "-created_at"
    )[:FEEDS_SHOWN]
    context = {"form": form, "feeds": feeds, "new_url": new_url}
    return render(request, "scheduling/feeds/manage.html", context)


@staff_view(FEEDS)
@require_POST
def revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    subscription = get_or_404(CalendarFeed.objects.all(), pk=feed_id)
    setup_services.revoke_calendar_feed(subscription, acting_user=actor(request))
    messages.success(request, f"Feed {subscription.prefix} revoked: its link no longer works.")
    return redirect("scheduling:feeds")


urlpatterns = [
    path("feeds/", manage, name="feeds"),
    path("feeds/<int:feed_id>/revoke/", revoke, name="feed_revoke"),
    path("feeds/<str:token>.ics", feed, name="feed"),
]
