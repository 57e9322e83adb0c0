"""The role-aware navigation: each item shows only to users holding its permission.

URL names are reversed once per process (``_url_for`` is cached), so building the menu costs a few
permission checks per request and no URL resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    key: str


NAVIGATION: list[NavItem] = [
    NavItem("Today", "core:home", None, "h"),
    NavItem("Schedule", "scheduling:day", "scheduling.view_appointment", "c"),
    NavItem("Front desk", "frontdesk:today", "frontdesk.use_desk", "f"),
    NavItem("Waiting room", "frontdesk:board", "frontdesk.use_desk", "w"),
    NavItem("Patients", "patients:search", "patients.view_patient", "p"),
    NavItem("Register patient", "patients:register", "patients.add_patient", "n"),
    NavItem("Duplicates", "patients:duplicates", "patients.merge_patient", "m"),
    NavItem("Schedule set-up", "scheduling:setup", "scheduling.manage_schedule", "k"),
    NavItem("Intake forms", "intake:builder", "intake.manage_forms", "i"),
    NavItem("Eligibility", "insurance:batch", "insurance.view_eligibilitycheck", "l"),
    NavItem(
        "Authorizations", "authorizations:worklist", "authorizations.view_priorauthorization", "z"
    ),
    NavItem("Cash drawer", "billing:drawer", "billing.use_drawer", "x"),
    NavItem("Refunds", "billing:refunds", "billing.request_refund", "b"),
    NavItem("Day close", "billing:days", "billing.view_billing_reports", "g"),
    NavItem("Statements", "billing:statements", "billing.manage_statements", "v"),
    NavItem("Billing reports", "billing:reports", "billing.view_billing_reports", "q"),
    NavItem("Payers", "insurance:payers", "insurance.add_payer", "y"),
    NavItem("Practice", "practice:overview", "accounts.view_practice", "r"),
    NavItem("Audit", "audit:report", "accounts.view_audit_report", "a"),
    NavItem(
        "Emergency reviews", "accounts:emergency_review", "accounts.review_emergency_access", "e"
    ),
    NavItem("Security", "accounts:security", "accounts.manage_security", "s"),
    NavItem("Staff logins", "accounts:users", "accounts.administer_users", "u"),
    NavItem("Jobs", "jobs:list", "accounts.view_jobs", "j"),
    NavItem("API tokens", "accounts:tokens", None, "t"),
    NavItem("API docs", "api:openapi-view", None, "o"),
    NavItem("Admin", "admin:index", "accounts.administer_users", "d"),
]


@lru_cache(maxsize=64)
def _url_for(url_name: str) -> str | None:
    """The URL for a name, or None when that part of the product is not installed."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def clear_cache(**_kwargs: Any) -> None:
    """Forget reversed URLs; runs when a test swaps ``ROOT_URLCONF``."""
    _url_for.cache_clear()


setting_changed.connect(clear_cache, dispatch_uid="medoffice.core.navigation.clear_cache")


def navigation_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = _url_for(item.url_name)
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "key": item.key, "name": item.url_name})
    return items
