"""The pagination convention every list endpoint uses (``@paginate(MedofficePagination)``).

``?limit=`` (default 50, 1..200) and ``?offset=`` (>= 0); out-of-range values answer 422. The
answer is ``{"items": [...], "count": N, "limit": L, "offset": O, "next": url, "previous": url}``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _page_url(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class MedofficePagination(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int
        next: str | None
        previous: str | None

    items_attribute: str = "items"

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        limit, offset = pagination.limit, pagination.offset
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        items = list(queryset[offset : offset + limit])
        next_url = _page_url(request, limit, offset + limit) if offset + limit < count else None
        previous_url = _page_url(request, limit, max(offset - limit, 0)) if offset > 0 else None
        return {
            "items": items,
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": next_url,
            "previous": previous_url,
        }
