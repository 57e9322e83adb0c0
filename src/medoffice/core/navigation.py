"""The role-aware navigation: each item shows only to users holding its permission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    key: str


NAVIGATION: list[NavItem] = [
    NavItem("Today", "core:home", None, "h"),
    NavItem("Practice", "practice:overview", "accounts.view_practice", "p"),
    NavItem("Audit", "audit:report", "accounts.view_audit_report", "a"),
    NavItem("Jobs", "jobs:list", "accounts.view_jobs", "j"),
    NavItem("Admin", "admin:index", "accounts.administer_users", "d"),
]


def navigation_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "key": item.key, "name": item.url_name})
    return items
