"""The signed-in landing page ("Today")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from medoffice.core.navigation import navigation_for
from medoffice.core.permissions import staff_view

# What each destination is for, in the office's words (shown on the quick-link cards).
DESCRIPTIONS: dict[str, str] = {
    "scheduling:day": "The day's appointments across providers; book, reschedule, check in.",
    "scheduling:setup": "Appointment types, provider sessions, rooms, blocks, holidays, on-call.",
    "patients:search": "Find a patient by name, date of birth, phone or MRN.",
    "patients:register": "Register a new patient; possible duplicates show before saving.",
    "patients:duplicates": "Records that may be the same person; compare and merge them.",
    "practice:overview": "Locations, providers, hours and the practice's own details.",
    "audit:report": "Who looked at or changed what, and when.",
    "accounts:emergency_review": "Review break-the-glass access to patient records.",
    "accounts:security": "Sign-in rules, lockouts and two-step verification.",
    "accounts:users": "Add staff logins, assign roles, reset access.",
    "jobs:list": "Background work: imports, exports and scheduled tasks.",
    "accounts:tokens": "Personal tokens for connecting other software to the API.",
    "api:openapi-view": "Reference for the JSON API.",
    "admin:index": "Low-level administration of stored records.",
}


@staff_view(None)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = navigation_for(user)
    cards = [
        {**item, "description": DESCRIPTIONS.get(item["name"], "")}
        for item in items
        if item["name"] != "core:home"
    ]
    roles = sorted(user.groups.values_list("name", flat=True)) if user.is_authenticated else []
    context = {
        "display_name": str(user),
        "roles": roles,
        "today": timezone.localdate(),
        "cards": cards,
    }
    return render(request, "core/home.html", context)
