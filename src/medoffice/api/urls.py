"""Mounts the NinjaAPI under /api/.

The OpenAPI document, the docs page and /api/health are public: they describe the API's shape
or say the service is up, and contain no PHI. Every other operation requires authentication.
ninja answers a wrong method with a plain-text 405; ``_problem_405`` turns it into problem details.
"""

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from medoffice.api.app import api
from medoffice.api.problems import problem_response
from medoffice.core.permissions import PUBLIC_URL_NAMES, public_view

# "not-found" answers 404 problem details for unknown /api/ paths; it shows nothing either.
PUBLIC_NAMES = ("openapi-json", "openapi-view", "health", "not-found")
PUBLIC_URL_NAMES.update(PUBLIC_NAMES)
PUBLIC_URL_NAMES.update(f"api:{name}" for name in PUBLIC_NAMES)


def _problem_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            problem = problem_response(request, 405, detail="This method is not allowed here.")
            problem["Allow"] = response["Allow"]
            return problem
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    return wrapped


@csrf_exempt
@public_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(request, 404, detail="No such API endpoint.")


app_name = "api"
urlpatterns = [*api.urls[0], re_path(r"^(?P<rest>.*)$", not_found, name="not-found")]

for pattern in urlpatterns:
    name = getattr(pattern, "name", None)
    if name not in ("openapi-json", "openapi-view", "api-root", "not-found"):
        pattern.callback = _problem_405(pattern.callback)  # type: ignore[arg-type]
    if name in PUBLIC_NAMES:
        # partials refuse attributes: the PUBLIC_URL_NAMES entries cover them
        with contextlib.suppress(AttributeError):
            pattern.callback.public = True  # type: ignore[union-attr]
