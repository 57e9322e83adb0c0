"""Problem handlers and pagination exercised on a small test-only API."""

from __future__ import annotations

import orjson
import pytest
from django.http import Http404, HttpRequest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.pagination import paginate
from ninja.testing import TestClient

from medoffice.accounts.models import User
from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError, register_problem_handlers
from medoffice.api.security import StaffSessionAuth
from medoffice.config import urls as project_urls

test_api = NinjaAPI(urls_namespace="problems-test")
register_problem_handlers(test_api)


class VisitIn(Schema):
    reason: str
    minutes: int


@test_api.post("/visits")
def create_visit(request: HttpRequest, payload: VisitIn) -> dict:
    return {"ok": True}


@test_api.get("/boom")
def boom(request: HttpRequest) -> dict:
    raise RuntimeError("patient Jane Roe DOB 1970-01-01")


@test_api.get("/missing")
def missing(request: HttpRequest) -> dict:
    raise Http404("nothing")


@test_api.get("/conflict")
def conflict(request: HttpRequest) -> dict:
    raise ProblemError(409, "Already booked", "That slot is taken.", extra={"slot": 3})


@test_api.get("/numbers", response=list[int])
@paginate(MedofficePagination)
def numbers(request: HttpRequest) -> list[int]:
    return list(range(120))


client = TestClient(test_api)


def test_validation_error_names_fields() -> None:
    response = client.post("/visits", json={"reason": "checkup", "minutes": "many"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = [error["field"] for error in orjson.loads(response.content)["errors"]]
    assert fields == ["minutes"]


def test_unexpected_error_hides_message(caplog: pytest.LogCaptureFixture) -> None:
    response = client.get("/boom")
    assert "type=RuntimeError" in caplog.text
    assert "Jane" not in caplog.text
    assert response.status_code == 500
    assert b"Jane" not in response.content
    assert b"RuntimeError" not in response.content
    assert orjson.loads(response.content)["title"] == "Internal server error"


def test_http404_is_problem() -> None:
    response = client.get("/missing")
    assert response.status_code == 404
    assert orjson.loads(response.content)["status"] == 404


def test_problem_error_carries_extra() -> None:
    response = client.get("/conflict")
    data = orjson.loads(response.content)
    assert response.status_code == 409
    assert (data["title"], data["detail"], data["slot"]) == (
        "Already booked",
        "That slot is taken.",
        3,
    )


def test_pagination_envelope() -> None:
    response = client.get("/numbers?limit=10&offset=20")
    data = orjson.loads(response.content)
    assert response.status_code == 200
    assert data["items"] == list(range(20, 30))
    assert (data["count"], data["limit"], data["offset"]) == (120, 10, 20)
    assert data["next"].endswith("limit=10&offset=30")
    assert data["previous"].endswith("limit=10&offset=10")


def test_pagination_defaults_and_last_page() -> None:
    first = orjson.loads(client.get("/numbers").content)
    assert (len(first["items"]), first["limit"], first["previous"]) == (50, 50, None)
    last = orjson.loads(client.get("/numbers?offset=100").content)
    assert (len(last["items"]), last["next"]) == (20, None)


def test_pagination_limits_out_of_range_are_422() -> None:
    for query in ("limit=201", "limit=0", "offset=-1"):
        response = client.get(f"/numbers?{query}")
        assert response.status_code == 422, query
        assert response["Content-Type"] == "application/problem+json"


@test_api.post("/session-write", auth=StaffSessionAuth())
def session_write(request: HttpRequest) -> dict:
    return {"ok": True}


urlpatterns = [path("t/", test_api.urls), *project_urls.urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="medoffice.api.tests.test_problems")
def test_session_write_needs_csrf_token(api_user: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(api_user)

    refused = browser.post("/t/session-write")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"

    browser.get("/t/session-write")  # any request; the token comes from the cookie below
    token = _get_new_csrf_string()
    browser.cookies["csrftoken"] = token
    accepted = browser.post("/t/session-write", headers={"X-CSRFToken": token})
    assert accepted.status_code == 200
