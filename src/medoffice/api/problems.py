"""RFC 9457 problem details. The API work registers the handlers that render ``ProblemError``."""

from __future__ import annotations

from typing import Any


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
