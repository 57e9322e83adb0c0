"""Factories for the practice context (synthetic data only)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from medoffice.core.identifiers import make_npi
from medoffice.practice.choices import Specialty
from medoffice.practice.models import Location, LocationHours, Practice, Provider, Staff


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")


def user_with(*codenames: str, username: str | None = None):  # type: ignore[no-untyped-def]
    """A user holding the given ``app.codename`` permissions."""
    user = UserFactory(**({"username": username} if username else {}))
    for full in codenames:
        app_label, codename = full.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


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
