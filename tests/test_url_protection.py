"""Walk every URL pattern: nothing is reachable without sign-in unless it is marked public.

A concrete path is built for each pattern by filling its converters with placeholder values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

from medoffice.core.permissions import PUBLIC_URL_NAMES

FIXED_UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")
_PLACEHOLDERS = {"int": "1", "str": "x", "slug": "x", "uuid": str(FIXED_UUID), "path": "x"}
_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<[^>]+>[^)]*\)")


@dataclass(frozen=True)
class Endpoint:
    path: str
    name: str  # "namespace:name", or "" when the pattern has no name
    view: Callable[..., Any]

    def __str__(self) -> str:
        return f"{self.path} ({self.name or 'unnamed'})"


def _route_to_path(pattern: Any) -> str | None:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        return _ROUTE_PARAM.sub(lambda m: _PLACEHOLDERS.get(m["conv"] or "str", "x"), route)
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex
        if "(?:" in regex or "|" in _REGEX_GROUP.sub("", regex):
            return None
        text = _REGEX_GROUP.sub("1", regex).lstrip("^").rstrip("$").replace("\\Z", "")
        text = text.replace("\\", "")
        if any(ch in text for ch in "()[]*+?"):
            return None
        return text
    return None


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Endpoint]:
    for entry in resolver.url_patterns:
        piece = _route_to_path(entry.pattern)
        if piece is None:
            continue
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + piece, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Endpoint(path="/" + prefix + piece, name=name, view=entry.callback)


def all_endpoints() -> list[Endpoint]:
    """Every resolvable concrete path of the project, static files excluded."""
    found = []
    for endpoint in _walk(get_resolver(), "", ""):
        if endpoint.path.startswith("/static/"):
            continue
        try:
            resolve(endpoint.path)
        except Resolver404:
            continue
        found.append(endpoint)
    return found


def _view_chain(view: Callable[..., Any]) -> Iterator[Any]:
    seen = 0
    current: Any = view
    while current is not None and seen < 10:
        yield current
        view_class = getattr(current, "view_class", None)
        if view_class is not None:
            yield view_class
        current = getattr(current, "__wrapped__", None)
        seen += 1


# Django's own admin sign-in and sign-out pages are public by design.
DJANGO_ADMIN_PUBLIC = {"admin:login", "admin:logout"}


def is_public(endpoint: Endpoint) -> bool:
    if endpoint.name in PUBLIC_URL_NAMES or endpoint.name in DJANGO_ADMIN_PUBLIC:
        return True
    return any(getattr(item, "public", False) is True for item in _view_chain(endpoint.view))


def required_permission(endpoint: Endpoint) -> tuple[bool, str | None]:
    """(declared, permission) read from the staff_view wrapper."""
    for item in _view_chain(endpoint.view):
        if hasattr(item, "required_permission"):
            return True, item.required_permission
    return False, None


def _sign_in_redirect(location: str) -> bool:
    return any(
        marker in location
        for marker in (
            "/accounts/login/",
            "/accounts/mfa/",
            "/accounts/timed-out/",
            "/admin/login/",
        )
    )


def _anonymous_problem(endpoint: Endpoint, response: Any) -> str | None:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if _sign_in_redirect(location):
            return None
        return f"{endpoint}: anonymous GET redirected to {location!r}, not to sign-in"
    if status in (401, 403, 404, 405):
        return None
    return f"{endpoint}: anonymous GET answered {status}"


def test_url_walk_finds_the_project_urls():
    endpoints = all_endpoints()
    print("\n".join(str(e) for e in endpoints))
    assert len(endpoints) > 10, [str(e) for e in endpoints]
    assert "/" in {e.path for e in endpoints}


@pytest.mark.django_db
def test_anonymous_visitor_reaches_only_public_views():
    client = Client(raise_request_exception=False)
    endpoints = all_endpoints()
    print("\n".join(str(e) for e in endpoints))
    problems = []
    for endpoint in endpoints:
        if is_public(endpoint):
            continue
        response = client.get(endpoint.path)
        problem = _anonymous_problem(endpoint, response)
        if problem:
            problems.append(problem)
    assert len(endpoints) > 10
    assert problems == [], "URLs reachable without sign-in:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_signed_in_user_without_roles_is_refused_permission_gated_views():
    client = Client(raise_request_exception=False)
    user = get_user_model().objects.create_user(
        username="noroles", password="A-long-passphrase-for-tests-42"
    )
    client.force_login(user)
    gated = [e for e in all_endpoints() if required_permission(e)[1] is not None]
    assert gated, "no permission-gated view found: the walk is broken"
    problems = []
    for endpoint in gated:
        for method in ("get", "post"):
            response = getattr(client, method)(endpoint.path)
            status = response.status_code
            if status in (403, 404, 405):
                continue
            if status in (301, 302) and _sign_in_redirect(response.get("Location", "")):
                continue
            needed = required_permission(endpoint)[1]
            problems.append(f"{endpoint}: needs {needed} but {method.upper()} answered {status}")
    print("\n".join(str(e) for e in gated))
    assert problems == [], "Permission-gated views open to a user with no roles:\n" + "\n".join(
        problems
    )


@pytest.mark.django_db
def test_every_non_public_view_declares_its_permission():
    """staff_view sets required_permission; a view without it and not public is unguarded."""
    undeclared = [
        str(e)
        for e in all_endpoints()
        if not is_public(e)
        and not required_permission(e)[0]
        and not e.path.startswith("/admin/")
        and not e.path.startswith("/api/")
    ]
    assert undeclared == [], "Views with neither staff_view nor public_view:\n" + "\n".join(
        undeclared
    )
