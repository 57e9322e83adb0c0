import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.practice.tests.factories import (
    LocationFactory,
    LocationHoursFactory,
    ProviderFactory,
    user_with,
)

pytestmark = pytest.mark.django_db

BASE = "/api/practice"
READER = ("accounts.view_practice", "accounts.use_api")


def test_providers_are_paginated_with_locations(client) -> None:
    location = LocationFactory(name="Main Street", code="main")
    for last_name in ["Baker", "Adams", "Cole"]:
        ProviderFactory(last_name=last_name).locations.add(location)
    client.force_login(user_with(*READER))
    response = client.get(f"{BASE}/providers?limit=2")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [p["last_name"] for p in data["items"]] == ["Adams", "Baker"]
    assert data["items"][0]["locations"] == [
        {"id": location.pk, "name": "Main Street", "code": "main"}
    ]


def test_locations_include_hours(client) -> None:
    location = LocationFactory(name="North Campus")
    LocationHoursFactory(location=location, weekday=5)
    client.force_login(user_with(*READER))
    data = client.get(f"{BASE}/locations").json()
    assert data["count"] == 1
    assert data["items"][0]["hours"] == [{"weekday": 5, "opens": "08:00", "closes": "17:00"}]


def test_provider_detail_and_404(client) -> None:
    provider = ProviderFactory()
    client.force_login(user_with(*READER))
    assert client.get(f"{BASE}/providers/{provider.pk}").json()["npi"] == provider.npi
    missing = client.get(f"{BASE}/providers/999999")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")


def test_without_permission_is_forbidden(client) -> None:
    ProviderFactory()
    client.force_login(user_with("accounts.use_api"))
    assert client.get(f"{BASE}/providers").status_code == 403


def test_provider_list_query_count_does_not_grow(client, django_assert_max_num_queries) -> None:
    client.force_login(user_with(*READER))
    location = LocationFactory()
    for _ in range(6):
        ProviderFactory().locations.add(location)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{BASE}/providers?limit=1")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"{BASE}/providers?limit=6").status_code == 200
