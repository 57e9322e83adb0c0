"""The desk's settings per location (managers): wait colours, lateness, the waiting-room screen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from medoffice.core.permissions import staff_view
from medoffice.frontdesk import desk_settings
from medoffice.frontdesk.choices import DisplayMode
from medoffice.frontdesk.views.common import MANAGE, actor, location_from, locations


def _int(raw: str) -> int:
    return int(raw) if raw.strip().isdigit() else -1


@staff_view(MANAGE)
def settings_page(request: HttpRequest) -> HttpResponse:
    location = location_from(request)
    screen_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "new_screen":
                token = desk_settings.create_display_token(location, acting_user=actor(request))
                screen_url = request.build_absolute_uri(reverse("frontdesk:display", args=[token]))
                messages.success(request, "New screen address made; the old one stopped working.")
            elif action == "revoke_screen":
                desk_settings.revoke_display_token(location, acting_user=actor(request))
                messages.success(request, "The screen address no longer works.")
            else:
                desk_settings.update_settings(
                    location,
                    acting_user=actor(request),
                    wait_warning_minutes=_int(request.POST.get("wait_warning_minutes", "")),
                    wait_alert_minutes=_int(request.POST.get("wait_alert_minutes", "")),
                    late_after_minutes=_int(request.POST.get("late_after_minutes", "")),
                    display_mode=request.POST.get("display_mode", ""),
                )
                messages.success(request, "Settings saved.")
                return redirect(f"{reverse('frontdesk:settings')}?location={location.pk}")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    context = {
        "location": location,
        "locations": locations(),
        "settings": desk_settings.settings_for(location),
        "modes": DisplayMode.choices,
        "screen_url": screen_url,
    }
    return render(request, "frontdesk/settings.html", context)


urlpatterns = [path("settings/", settings_page, name="settings")]
