"""Every scheduling operation is in the OpenAPI document, with its shapes and the retry header."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/availability": {"get"},
    "/api/on-call": {"get"},
    "/api/appointments": {"get", "post"},
    "/api/appointments/{appointment_id}": {"get", "patch", "delete"},
    "/api/appointments/{appointment_id}/status": {"post"},
    "/api/appointment-series": {"post"},
    "/api/waitlist": {"get", "post"},
    "/api/waitlist/{entry_id}/accept": {"post"},
}
WRITES = [
    (path, method) for path, methods in OPERATIONS.items() for method in sorted(methods - {"get"})
]


@pytest.fixture(scope="module")
def document() -> Any:
    return orjson.loads(Client().get("/api/openapi.json").content)


def test_every_operation_is_documented(document: Any) -> None:
    paths = document["paths"]
    assert {path: set(paths[path]) for path in OPERATIONS} == OPERATIONS


@pytest.mark.parametrize(("path", "method"), WRITES)
def test_every_write_takes_an_idempotency_key(document: Any, path: str, method: str) -> None:
    parameters = document["paths"][path][method]["parameters"]
    assert "Idempotency-Key" in {p["name"] for p in parameters if p["in"] == "header"}


def test_booking_documents_its_answers_and_body(document: Any) -> None:
    booking = document["paths"]["/api/appointments"]["post"]
    assert set(booking["responses"]) >= {"201", "409", "422"}
    conflict = booking["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/SlotProblem"}
    body = document["components"]["schemas"]["AppointmentIn"]
    assert set(body["required"]) == {
        "patient_id",
        "provider_id",
        "location_id",
        "appointment_type_id",
        "starts_at",
    }


def test_cancel_documents_its_optional_body(document: Any) -> None:
    cancel = document["paths"]["/api/appointments/{appointment_id}"]["delete"]
    schema = cancel["requestBody"]["content"]["application/json"]["schema"]
    assert cancel["requestBody"]["required"] is False
    assert schema["required"] == ["reason"]
    assert "reason" in {p["name"] for p in cancel["parameters"] if p["in"] == "query"}
