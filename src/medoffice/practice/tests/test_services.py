import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from medoffice.audit.choices import AuditAction
from medoffice.core.identifiers import make_npi
from medoffice.practice import services
from medoffice.practice.models import Location, LocationHours, Provider
from medoffice.practice.tests.factories import (
    LocationFactory,
    PracticeFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit():
    with mock.patch("medoffice.practice.services.record") as recorded:
        yield recorded


def test_create_provider_is_audited(audit) -> None:
    # given
    actor = UserFactory()
    location = LocationFactory()
    # when
    provider = services.create_provider(
        acting_user=actor,
        locations=[location],
        first_name="Ann",
        last_name="Lee",
        specialty="pediatrics",
        npi=make_npi("111111111"),
    )
    # then
    assert list(provider.locations.all()) == [location]
    audit.assert_called_once_with(
        AuditAction.CREATE,
        actor=actor,
        target=provider,
        fields=["first_name", "last_name", "locations", "npi", "specialty"],
    )


def test_create_provider_with_bad_npi_saves_nothing(audit) -> None:
    with pytest.raises(ValidationError) as info:
        services.create_provider(
            acting_user=None,
            first_name="Ann",
            last_name="Lee",
            specialty="pediatrics",
            npi="1234567890",
        )
    assert info.value.message_dict["npi"] == ["NPI 1234567890 fails the check digit."]
    assert Provider.objects.count() == 0
    audit.assert_not_called()


def test_update_provider_records_only_changed_fields(audit) -> None:
    actor = UserFactory()
    provider = ProviderFactory(credentials="MD")
    services.update_provider(
        provider, acting_user=actor, credentials="DO", last_name=provider.last_name
    )
    provider.refresh_from_db()
    assert provider.credentials == "DO"
    audit.assert_called_once_with(
        AuditAction.UPDATE, actor=actor, target=provider, fields=["credentials"]
    )


def test_update_provider_without_change_is_not_audited(audit) -> None:
    provider = ProviderFactory()
    services.update_provider(provider, acting_user=None, credentials=provider.credentials)
    audit.assert_not_called()


def test_create_location_with_hours(audit) -> None:
    practice = PracticeFactory()
    location = services.create_location(
        practice=practice,
        acting_user=None,
        hours=[(0, dt.time(8), dt.time(17)), (5, dt.time(9), dt.time(12))],
        name="North Campus",
        code="north",
        address_line1="480 North Road",
        city="Riverbend",
        state="NY",
        zip_code="12402",
    )
    assert list(location.hours.values_list("weekday", "opens", "closes")) == [
        (0, dt.time(8), dt.time(17)),
        (5, dt.time(9), dt.time(12)),
    ]
    assert audit.call_count == 1
    assert audit.call_args.args == (AuditAction.CREATE,)


def test_update_location_hours_is_audited(audit) -> None:
    location = LocationFactory()
    services.update_location(location, acting_user=None, hours=[(1, dt.time(9), dt.time(13))])
    assert list(location.hours.values_list("weekday", flat=True)) == [1]
    audit.assert_called_once_with(AuditAction.UPDATE, actor=None, target=location, fields=["hours"])


def test_update_location_with_bad_hours_changes_nothing(audit) -> None:
    location = LocationFactory(name="Main")
    LocationHours.objects.create(location=location, weekday=0, opens=dt.time(8), closes=dt.time(17))
    with pytest.raises(ValidationError):
        services.update_location(
            location, acting_user=None, name="Renamed", hours=[(0, dt.time(17), dt.time(8))]
        )
    assert Location.objects.get(pk=location.pk).name == "Main"
    assert list(location.hours.values_list("weekday", "opens")) == [(0, dt.time(8))]
    audit.assert_not_called()


def test_create_practice_and_staff_member(audit) -> None:
    practice = services.create_practice(acting_user=None, name="Riverbend", tax_id="12-3456789")
    user = UserFactory()
    staff = services.create_staff_member(user=user, acting_user=None, job_title="Billing")
    services.update_practice(practice, acting_user=None, phone="555-0100")
    assert staff.user == user
    assert [c.args[0] for c in audit.call_args_list] == [
        AuditAction.CREATE,
        AuditAction.CREATE,
        AuditAction.UPDATE,
    ]
    assert audit.call_args_list[2].kwargs["fields"] == ["phone"]
