from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from medoffice.core.identifiers import npi_is_valid
from medoffice.practice.models import Location, LocationHours, Practice, Provider, Staff

pytestmark = pytest.mark.django_db

LOGINS = {"frontdesk", "frontdesk2", "billing", "clinical", "manager", "admin"}


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_creates_the_practice() -> None:
    # when
    output = _run("--password", "demo-pass-2026")
    # then
    assert Practice.objects.get().name == "Riverbend Family Health"
    assert sorted(Location.objects.values_list("name", flat=True)) == [
        "Main Street",
        "North Campus",
    ]
    assert LocationHours.objects.filter(location__code="north", weekday=5).count() == 1
    assert Provider.objects.count() == 6
    assert all(npi_is_valid(npi) for npi in Provider.objects.values_list("npi", flat=True))
    assert set(get_user_model().objects.values_list("username", flat=True)) == LOGINS
    assert Staff.objects.count() == 6
    assert get_user_model().objects.get(username="manager").check_password("demo-pass-2026")
    assert "http://127.0.0.1:8000/" in output
    assert "demo-pass-2026" in output


def test_if_empty_twice_is_idempotent(monkeypatch) -> None:
    monkeypatch.delenv("MEDOFFICE_DEMO_PASSWORD", raising=False)
    _run("--if-empty", "--password", "pw-one-2026")
    output = _run("--if-empty")
    assert "Demo practice already present" in output
    assert "pw-one-2026" not in output
    assert Practice.objects.count() == 1
    assert Provider.objects.count() == 6
    assert get_user_model().objects.count() == 6
    assert "pw-one-2026" in _run("--if-empty", "--password", "pw-one-2026")
    assert "wrong-pw" not in _run("--if-empty", "--password", "wrong-pw")


def test_second_run_without_if_empty_is_refused() -> None:
    _run("--password", "pw")
    with pytest.raises(CommandError, match="already exists"):
        _run("--password", "pw")
    assert Provider.objects.count() == 6


def test_random_password_is_printed(monkeypatch) -> None:
    monkeypatch.delenv("MEDOFFICE_DEMO_PASSWORD", raising=False)
    output = _run()
    line = next(x for x in output.splitlines() if x.startswith("Password for every login: "))
    password = line.removeprefix("Password for every login: ")
    assert len(password) >= 16
    assert get_user_model().objects.get(username="admin").check_password(password)


def _npis_for_seed(seed: str) -> list[str]:
    """The demo's NPIs for a seed; everything it wrote is rolled back afterwards."""
    with transaction.atomic():
        _run("--seed", seed, "--password", "pw")
        npis = list(Provider.objects.order_by("last_name").values_list("npi", flat=True))
        transaction.set_rollback(True)
    return npis


def test_same_seed_same_npis() -> None:
    first = _npis_for_seed("7")
    assert _npis_for_seed("7") == first
    assert _npis_for_seed("8") != first
