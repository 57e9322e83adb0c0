"""``Idempotency-Key``: a retried unsafe request gets the first answer again, never a second effect.

Put ``@idempotent`` under the router decorator of a POST/PATCH/DELETE operation::

    @router.post("/appointments", response={201: AppointmentOut, 409: ProblemOut})
    @idempotent
    def book(request, payload): ...

Without the header nothing changes. With it (1-255 visible ASCII characters, else 400), the whole
operation (authentication, parsing, the handler, rendering) runs in ONE transaction:

1. right after authentication, before the handler does anything, the row
   ``IdempotencyRecord(user, key, method, path, request_hash)`` is inserted;
2. the rendered answer (status, body, content type, Location) is written into that row;
3. commit. The work and its answer become visible together, or not at all.

So a retry finds the committed row and gets the same status and body back, marked
``Idempotent-Replayed: true``. A concurrent duplicate waits: on PostgreSQL its insert blocks on the
unique (user, key) index until the first transaction commits, then fails and the answer is read and
replayed; on SQLite writers are serialized (IMMEDIATE transactions), so it simply comes second.
The same key with another method, path, query or body answers 422. 4xx answers are stored (a
retried 409 stays a 409); a 5xx rolls everything back, row included, so the retry runs afresh.
Keys are per user. Rows older than ``RETENTION`` may be purged (``medoffice idempotency purge``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

import orjson
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header
from ninja.decorators import decorate_view
from ninja.signature.utils import get_typed_signature
from ninja.utils import contribute_operation_args

from medoffice.api.problems import ProblemError, problem_response
from medoffice.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = dt.timedelta(hours=24)
PROBLEMS = "https://medoffice.example/problems/"

_META_NAME = "HTTP_IDEMPOTENCY_KEY"
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_ATTRIBUTE = "_medoffice_idempotency"
_DESCRIPTION = (
    "Makes a retry safe: the first answer is stored for 24 hours and replayed to a retry with "
    "the same key and request (header Idempotent-Replayed: true). 1-255 visible ASCII characters."
)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Claim:
    key: str
    request_hash: str
    record: IdempotencyRecord | None = None  # set once this request inserted its row


def request_hash(request: HttpRequest) -> str:
    """SHA-256 of method, path with query and body (JSON with its keys sorted, so order is moot)."""
    body = request.body
    with contextlib.suppress(orjson.JSONDecodeError):
        body = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    digest = hashlib.sha256()
    for part in (request.method or "").encode(), request.get_full_path().encode(), body:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def idempotent(func: F) -> F:
    """Make a ninja operation honour ``Idempotency-Key`` (see the module docstring)."""

    @wraps(func)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("idempotency_key", None)  # documented in OpenAPI; read from META instead
        claim: _Claim | None = getattr(request, _ATTRIBUTE, None)
        if claim is not None:
            replay = _claim_or_replay(request, claim)
            if replay is not None:
                return replay
        return func(request, *args, **kwargs)

    # ninja reads annotations through the wrapper: resolve them in the handler's own module
    view.__signature__ = get_typed_signature(func)  # type: ignore[attr-defined]
    contribute_operation_args(
        view,
        "idempotency_key",
        str | None,  # type: ignore[arg-type]  # ninja accepts any annotation here
        Header(None, alias=HEADER, description=_DESCRIPTION),
    )
    decorate_view(_in_one_transaction)(view)
    return view  # type: ignore[return-value]


def _in_one_transaction(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap the operation's whole run (checks, handler, rendering) when the header is sent."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.META.get(_META_NAME)
        if key is None:
            return run(request, *args, **kwargs)
        if not _VALID_KEY.fullmatch(key):
            return problem_response(
                request,
                400,
                "Invalid Idempotency-Key",
                "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
                type_=PROBLEMS + "invalid-idempotency-key",
            )
        claim = _Claim(key=key, request_hash=request_hash(request))
        setattr(request, _ATTRIBUTE, claim)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            if claim.record is not None:
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                else:
                    _store(claim.record, response)
        return response

    return wrapped


def _claim_or_replay(request: HttpRequest, claim: _Claim) -> HttpResponse | None:
    """Insert this request's row (None: go on), or answer from the row already there."""
    user = request.user
    if not user.is_authenticated:
        return None
    # Insert first: a new key (the usual case) costs one statement; a retry's insert fails on
    # the unique (user, key) index and reads the stored answer instead (on PostgreSQL a
    # concurrent duplicate's insert waits there until the first commits).
    try:
        with transaction.atomic():
            claim.record = IdempotencyRecord.objects.create(
                user=user,
                key=claim.key,
                method=request.method or "",
                path=request.path[:300],
                request_hash=claim.request_hash,
                created_at=timezone.now(),
            )
        return None
    except IntegrityError:
        existing = _find(user, claim.key)
        if existing is None:
            raise
    return _replay(existing, claim)


def _find(user: Any, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, key=key).first()


def _replay(existing: IdempotencyRecord, claim: _Claim) -> HttpResponse:
    if existing.request_hash != claim.request_hash:
        raise ProblemError(
            422,
            "Idempotency-Key reused",
            "This Idempotency-Key was used for a different request.",
            type_=PROBLEMS + "idempotency-key-reused",
        )
    if existing.status_code is None:  # only if a row was written outside this module
        raise ProblemError(
            409,
            "Request in progress",
            "A request with this Idempotency-Key has no stored answer; retry later.",
            type_=PROBLEMS + "idempotency-key-in-progress",
        )
    response = HttpResponse(
        bytes(existing.response_body),
        status=existing.status_code,
        content_type=existing.response_content_type or None,
    )
    if existing.response_location:
        response["Location"] = existing.response_location
    response[REPLAYED_HEADER] = "true"
    return response


def _store(record: IdempotencyRecord, response: HttpResponse) -> None:
    record.status_code = response.status_code
    record.response_body = response.content
    record.response_content_type = response.get("Content-Type", "")[:100]
    record.response_location = response.get("Location", "")[:300]
    record.save(
        update_fields=[
            "status_code",
            "response_body",
            "response_content_type",
            "response_location",
        ]
    )


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete stored answers older than ``RETENTION``; returns how many were deleted."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
