from __future__ import annotations

import orjson
import pytest
from django.test import Client

from medoffice.accounts import services as account_services
from medoffice.accounts.models import User

PROBLEM = "application/problem+json"


def body(response) -> dict:  # type: ignore[no-untyped-def]
    return orjson.loads(response.content)


@pytest.mark.django_db
def test_openapi_document_is_valid_and_lists_me(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = body(response)
    assert document["openapi"].startswith("3.1")
    assert "/api/me" in document["paths"]
    try:
        from openapi_spec_validator import validate
    except ImportError:  # pragma: no cover - structural checks only
        assert document["info"]["title"] == "medoffice API"
    else:
        validate(document)


@pytest.mark.django_db
def test_health_is_public(client: Client) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_me_without_auth_is_401_problem(client: Client) -> None:
    response = client.get("/api/me?x=1")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Bearer"
    assert body(response)["instance"] == "/api/me"
    assert body(response)["status"] == 401


def test_me_with_session(client: Client, api_user: User) -> None:
    client.force_login(api_user)
    response = client.get("/api/me")
    assert response.status_code == 200
    data = body(response)
    assert data["username"] == "api-user"
    assert data["display_name"] == "Pat Example"
    assert "accounts.use_api" in data["permissions"]


def test_me_with_bearer_token(
    client: Client, api_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        account_services, "authenticate_token", lambda raw: api_user if raw == "good" else None
    )
    response = client.get("/api/me", headers={"Authorization": "Bearer good"})
    assert response.status_code == 200
    assert body(response)["username"] == "api-user"
    refused = client.get("/api/me", headers={"Authorization": "Bearer bad"})
    assert refused.status_code == 401


def test_me_without_use_api_is_403(client: Client, plain_user: User) -> None:
    client.force_login(plain_user)
    response = client.get("/api/me")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert body(response)["title"] == "Forbidden"


def test_wrong_method_is_405_problem(client: Client, api_user: User) -> None:
    client.force_login(api_user)
    response = client.delete("/api/me")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response["Allow"] == "GET"
    assert body(response)["instance"] == "/api/me"


def test_unknown_route_is_404_problem(client: Client, api_user: User) -> None:
    client.force_login(api_user)
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert body(response)["instance"] == "/api/no-such-thing"


@pytest.mark.django_db
def test_docs_page_is_served(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
