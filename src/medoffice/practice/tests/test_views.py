import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medoffice.core.identifiers import make_npi
from medoffice.practice.models import Location, LocationHours, Provider
from medoffice.practice.tests.factories import (
    LocationFactory,
    LocationHoursFactory,
    PracticeFactory,
    ProviderFactory,
    StaffFactory,
    user_with,
)

pytestmark = pytest.mark.django_db

VIEW = "accounts.view_practice"
MANAGE = "accounts.manage_practice"


def _seed(n: int) -> None:
    practice = PracticeFactory()
    for _ in range(n):
        location = LocationFactory(practice=practice)
        LocationHoursFactory(location=location, weekday=0)
        LocationHoursFactory(location=location, weekday=1)
        provider = ProviderFactory()
        provider.locations.add(location)
        staff = StaffFactory()
        staff.locations.add(location)


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("practice:overview"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_lists_everything(client) -> None:
    # given
    practice = PracticeFactory(name="Riverbend Family Health")
    location = LocationFactory(practice=practice, name="North Campus")
    LocationHoursFactory(location=location, weekday=5, opens=dt.time(9), closes=dt.time(12))
    provider = ProviderFactory(last_name="Raman", npi=make_npi("123123123"))
    provider.locations.add(location)
    client.force_login(user_with(VIEW))
    # when
    response = client.get(reverse("practice:overview"))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Riverbend Family Health" in body
    assert "North Campus" in body
    assert "Saturday 9:00 AM\u201312:00 PM" in body
    assert make_npi("123123123") in body
    assert "Raman" in body
    assert reverse("practice:provider_edit", args=[provider.pk]) not in body


def test_overview_query_count_does_not_grow(client) -> None:
    client.force_login(user_with(VIEW))
    _seed(1)
    small = _overview_queries(client)
    _seed(4)
    assert _overview_queries(client) == small


def test_overview_refused_without_permission(client) -> None:
    client.force_login(user_with())
    assert client.get(reverse("practice:overview")).status_code == 403


def test_overview_redirects_anonymous_to_sign_in(client) -> None:
    response = client.get(reverse("practice:overview"))
    assert response.status_code == 302


def test_provider_edit_refused_for_viewer_and_nothing_changes(client) -> None:
    provider = ProviderFactory(credentials="MD")
    client.force_login(user_with(VIEW))
    response = client.post(
        reverse("practice:provider_edit", args=[provider.pk]), {"credentials": "DO"}
    )
    assert response.status_code == 403
    assert Provider.objects.get(pk=provider.pk).credentials == "MD"


def _provider_post(provider: Provider, **changes: object) -> dict:
    data = {
        "first_name": provider.first_name,
        "middle_name": provider.middle_name,
        "last_name": provider.last_name,
        "credentials": provider.credentials,
        "specialty": provider.specialty,
        "npi": provider.npi,
        "taxonomy_code": provider.taxonomy_code,
        "color": provider.color,
        "active": "on",
        "locations": [loc.pk for loc in provider.locations.all()],
    }
    data.update(changes)
    return data


def test_manager_edits_provider(client) -> None:
    provider = ProviderFactory(credentials="MD")
    location = LocationFactory()
    client.force_login(user_with(VIEW, MANAGE))
    response = client.post(
        reverse("practice:provider_edit", args=[provider.pk]),
        _provider_post(provider, credentials="DO", locations=[location.pk]),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.credentials == "DO"
    assert list(provider.locations.all()) == [location]


def test_bad_npi_shown_next_to_field_and_nothing_saved(client) -> None:
    provider = ProviderFactory()
    old_npi = provider.npi
    client.force_login(user_with(VIEW, MANAGE))
    response = client.post(
        reverse("practice:provider_edit", args=[provider.pk]),
        _provider_post(provider, npi="1234567890"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["npi"] == ["NPI 1234567890 fails the check digit."]
    assert "NPI 1234567890 fails the check digit." in response.content.decode()
    assert Provider.objects.get(pk=provider.pk).npi == old_npi


def test_manager_adds_provider(client) -> None:
    client.force_login(user_with(VIEW, MANAGE))
    assert client.get(reverse("practice:provider_add")).status_code == 200
    response = client.post(
        reverse("practice:provider_add"),
        {
            "first_name": "Noor",
            "last_name": "Haddad",
            "credentials": "PA",
            "specialty": "physician_assistant",
            "npi": make_npi("222333444"),
            "taxonomy_code": "363A00000X",
            "color": "#112233",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Provider.objects.get().last_name == "Haddad"


def _location_post(**changes: object) -> dict:
    data: dict = {
        "name": "Main Street",
        "code": "main",
        "address_line1": "12 Main Street",
        "city": "Riverbend",
        "state": "NY",
        "zip_code": "12401",
        "time_zone": "America/New_York",
        "place_of_service": "11",
        "active": "on",
        "opens_0": "08:00",
        "closes_0": "17:00",
    }
    data.update(changes)
    return data


def test_manager_adds_location_with_hours(client) -> None:
    PracticeFactory()
    client.force_login(user_with(VIEW, MANAGE))
    response = client.post(reverse("practice:location_add"), _location_post())
    assert response.status_code == 302
    location = Location.objects.get()
    assert list(location.hours.values_list("weekday", "opens", "closes")) == [
        (0, dt.time(8), dt.time(17))
    ]


def test_location_edit_shows_errors_and_saves_nothing(client) -> None:
    location = LocationFactory(name="Old name", code="main")
    client.force_login(user_with(VIEW, MANAGE))
    url = reverse("practice:location_edit", args=[location.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, _location_post(name="New", state="ZZ", opens_1="17:00", closes_1="08:00")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["state"] == ["ZZ is not a US state code (e.g. NY)."]
    assert errors["closes_1"] == ["Closing time must be after opening time."]
    assert Location.objects.get(pk=location.pk).name == "Old name"
    assert LocationHours.objects.count() == 0


def test_manager_edits_location(client) -> None:
    location = LocationFactory(name="Old name", code="main")
    client.force_login(user_with(VIEW, MANAGE))
    response = client.post(
        reverse("practice:location_edit", args=[location.pk]),
        _location_post(name="Main Street", opens_5="09:00", closes_5="12:00"),
    )
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.name == "Main Street"
    assert list(location.hours.values_list("weekday", flat=True)) == [0, 5]


def test_unknown_provider_is_404(client) -> None:
    client.force_login(user_with(VIEW, MANAGE))
    assert client.get(reverse("practice:provider_edit", args=[999])).status_code == 404
