"""The RFC 9457 problem shapes every billing API answer documents for its refusals."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class FieldError(Schema):
    field: str
    message: str


class InvalidProblem(Problem):
    errors: list[FieldError] = []


#: 404 unknown id, 409 refused (closed day, no drawer, declined...), 422 malformed input.
ANSWERS: dict[int, Any] = {404: Problem, 409: Problem, 422: InvalidProblem}
