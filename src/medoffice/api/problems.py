"""RFC 9457 problem details: every API error answers ``application/problem+json``.

``register_problem_handlers(api)`` is called once by ``medoffice.api.app``. Unexpected exceptions
answer a generic 500: the exception message may carry PHI, so only its type is logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import orjson
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("medoffice.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    500: "Internal server error",
}


class ProblemError(Exception):
    """Raise anywhere in an API operation to answer with ``application/problem+json``."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        type_: str = "about:blank",
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.extra = extra or {}


def problem_response(
    request: HttpRequest,
    status: int,
    title: str | None = None,
    detail: str = "",
    *,
    type_: str = "about:blank",
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """Build one RFC 9457 response; ``instance`` is the path without its query string."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    body.update(extra or {})
    response = HttpResponse(orjson.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ninja prefixes the location with the source ("body", "query", "path") and, for a
        # body, the handler's parameter name; clients only know the field's own path.
        skip = 2 if loc[:1] == ["body"] and len(loc) > 2 else 1
        field = ".".join(loc[skip:] if len(loc) > skip else loc[-1:])
        out.append({"field": field, "message": str(error.get("msg", "Invalid value"))})
    return out


def register_problem_handlers(api: NinjaAPI) -> None:
    """Attach every handler to ``api`` (see module docstring)."""

    def on_problem(request: HttpRequest, exc: Any) -> HttpResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            request,
            exc.status,
            exc.title,
            exc.detail,
            type_=exc.type,
            extra=exc.extra,
            headers=headers,
        )

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(
            request,
            422,
            detail="Some fields are not valid.",
            extra={"errors": _field_errors(list(exc.errors))},
        )

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(
            request,
            401,
            detail="Send a bearer token or a session cookie.",
            headers={"WWW-Authenticate": "Bearer"},
        )

    def on_forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(request, 403, detail="Your role does not allow this.")

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(request, 404, detail="No such resource.")

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = str(exc.message) if exc.status_code < 500 else ""
        return problem_response(request, exc.status_code, detail=detail)

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        request_id = getattr(request, "request_id", "")  # set (validated) by the audit middleware
        logger.error("API error type=%s request_id=%s", type(exc).__name__, request_id)
        return problem_response(request, 500, detail="Something went wrong. The error was logged.")

    api.add_exception_handler(ProblemError, on_problem)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(AuthorizationError, on_forbidden)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)
