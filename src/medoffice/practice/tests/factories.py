"""Factories for the practice context (synthetic data only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from medoffice.accounts.tests.factories import StaffUserFactory as UserFactory
from medoffice.accounts.tests.factories import staff_user
from medoffice.core.identifiers import make_npi
from medoffice.practice.choices import Specialty
from medoffice.practice.models import Location, LocationHours, Practice, Provider, Staff


def user_with(*codenames: str, username: str | None = None) -> Any:
    """A login holding the given ``app.codename`` permissions."""
    return staff_user(*codenames, **({"username": username} if username else {}))


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = "Test Family Practice"
    legal_name = "Test Family Practice, PC"
    tax_id = "12-3456789"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    code = factory.Sequence(lambda n: f"site{n}")
    address_line1 = "1 Test Road"
    city = "Springfield"
    state = "NY"
    zip_code = "12401"


class LocationHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocationHours

    location = factory.SubFactory(LocationFactory)
    weekday = 0
    opens = dt.time(8)
    closes = dt.time(17)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    first_name = "Avery"
    last_name = factory.Sequence(lambda n: f"Provider{n}")
    credentials = "MD"
    specialty = Specialty.FAMILY_MEDICINE
    npi = factory.Sequence(lambda n: make_npi(f"{100000000 + n:09d}"))
    taxonomy_code = "207Q00000X"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    job_title = "Front desk"
