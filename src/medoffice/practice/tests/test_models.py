import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from medoffice.core.identifiers import make_npi
from medoffice.practice.models import LocationHours, Provider
from medoffice.practice.tests.factories import LocationFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_bad_npi_refused_by_full_clean_with_clear_message() -> None:
    provider = ProviderFactory.build(npi="1234567890")
    with pytest.raises(ValidationError) as info:
        provider.full_clean()
    assert info.value.message_dict["npi"] == ["NPI 1234567890 fails the check digit."]


def test_short_npi_refused_by_database() -> None:
    with pytest.raises(IntegrityError):
        ProviderFactory(npi="12345")


def test_npi_is_unique() -> None:
    npi = make_npi("123456789")
    ProviderFactory(npi=npi)
    with pytest.raises(ValidationError) as info:
        ProviderFactory.build(npi=npi).full_clean()
    assert "npi" in info.value.message_dict


def test_bad_color_refused_by_database() -> None:
    with pytest.raises(IntegrityError):
        ProviderFactory(color="red")


def test_lowercase_state_refused_by_database() -> None:
    with pytest.raises(IntegrityError):
        LocationFactory(state="ny")


def test_unknown_time_zone_refused() -> None:
    location = LocationFactory.build(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as info:
        location.full_clean(exclude=["practice"])
    assert info.value.message_dict["time_zone"] == ["Mars/Olympus is not a known time zone."]


def test_hours_must_open_before_closing() -> None:
    location = LocationFactory()
    with pytest.raises(IntegrityError):
        LocationHours.objects.create(
            location=location, weekday=0, opens=dt.time(17), closes=dt.time(8)
        )


def test_str_of_models() -> None:
    provider = ProviderFactory(first_name="Ann", last_name="Lee", credentials="DO")
    location = LocationFactory(name="Main Street")
    hours = LocationHours(location=location, weekday=5, opens=dt.time(9), closes=dt.time(12))
    assert str(provider) == "Ann Lee, DO"
    assert str(location) == "Main Street"
    assert str(location.practice) == "Test Family Practice"
    assert str(hours) == "Saturday 09:00-12:00"
    assert Provider.objects.count() == 1


def test_place_of_service_must_be_two_digits() -> None:
    with pytest.raises(IntegrityError):
        LocationFactory(place_of_service="O")
