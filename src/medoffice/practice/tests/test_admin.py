import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from medoffice.practice.tests.factories import LocationHoursFactory, ProviderFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["practice", "location", "locationhours", "provider", "staff"])
def test_admin_changelist_and_change_pages_load(client, model: str) -> None:
    hours = LocationHoursFactory()
    ProviderFactory().locations.add(hours.location)
    StaffFactory()
    admin = get_user_model().objects.create_superuser("root", "root@example.test", "x-Pass-2026!")
    client.force_login(admin)
    assert client.get(reverse(f"admin:practice_{model}_changelist")).status_code == 200
    obj = apps.get_model("practice", model).objects.first()
    assert client.get(reverse(f"admin:practice_{model}_change", args=[obj.pk])).status_code == 200
