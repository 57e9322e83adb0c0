"""The demo population: deterministic, the people of the day, families, near-duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from medoffice.core.identifiers import mrn_is_valid, ssn_is_valid
from medoffice.core.phones import to_e164
from medoffice.demo.population import generate
from medoffice.demo.scripted import PracticeIds
from medoffice.patients.duplicates import find_duplicates, person_of
from medoffice.patients.models import Patient, PatientAlert, PatientPhone
from medoffice.patients.search import search_patients
from medoffice.practice.models import Provider, ReferringProvider

pytestmark = pytest.mark.django_db

SIZE = 3000


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--password", "pw-2026", *args, stdout=out)
    return out.getvalue()


def _digest() -> str:
    """Names, birth dates, MRNs, phones, addresses and guarantors of every patient."""
    lines = []
    for p in Patient.objects.order_by("mrn").prefetch_related("phones", "addresses"):
        guarantor = p.guarantor.mrn if p.guarantor_id else ""
        phones = ",".join(sorted(x.number for x in p.phones.all()))
        homes = ",".join(sorted(a.line1 for a in p.addresses.all()))
        lines.append(
            f"{p.mrn}|{p.last_name}|{p.first_name}|{p.birth_date}|{phones}|{homes}|{guarantor}"
        )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _digest_in_fresh_database(seed: str) -> str:
    """Run the demo, take the digest, and roll everything back (the next run starts fresh)."""
    with transaction.atomic():
        _demo("--seed", seed, "--patients", "400", "--appointment-days", "0")
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.fixture
def population() -> str:
    """The people only: the calendar, desk and forms on top are test_scheduling_demo's."""
    return _demo("--patients", str(SIZE), "--appointment-days", "0")


def test_same_seed_same_patients_and_mrns() -> None:
    first = _digest_in_fresh_database("7")
    assert _digest_in_fresh_database("7") == first
    assert _digest_in_fresh_database("8") != first
    assert not Patient.objects.exists()


def test_it_says_how_many_patients_it_created(population: str) -> None:
    assert f"Created {SIZE:,} patients" in population
    assert Patient.objects.count() == SIZE
    assert all(mrn_is_valid(m) for m in Patient.objects.values_list("mrn", flat=True))


def test_no_patients_when_asked_for_none() -> None:
    output = _demo("--patients", "0")
    assert "Created 0 patients." in output
    assert not Patient.objects.exists()
    assert not ReferringProvider.objects.exists()
    assert Provider.objects.count() == 6


def test_jonah_smith_is_four_and_his_mother_is_the_guarantor(population: str) -> None:
    # when the desk types "smith jo"
    hits = [hit.patient for hit in search_patients("smith jo", limit=10).hits]
    # then Jonah is there, 4 years old, with his mother as guarantor at the same address
    jonah = next(p for p in hits if p.first_name == "Jonah" and p.last_name == "Smith")
    assert jonah.age_on(timezone.localdate()) == 4
    mother = jonah.guarantor
    assert (mother.first_name, mother.last_name, jonah.guarantor_relationship) == (
        "Rachel", "Smith", "mother",
    )  # fmt: skip
    assert jonah.addresses.get().line1 == mother.addresses.get().line1 == "48 Willow Way"
    assert jonah.primary_care_provider.specialty == "pediatrics"


def test_a_spanish_speaker_needs_an_interpreter(population: str) -> None:
    maria = Patient.objects.get(phones__number="+15552017790")
    assert (maria.first_name, maria.middle_name, maria.last_name) == (
        "María", "Guadalupe", "Hernández",
    )  # fmt: skip
    assert (maria.preferred_language, maria.interpreter_needed) == ("es", True)
    assert maria.alerts.get().message == "Needs a Spanish interpreter"
    spanish = Patient.objects.filter(preferred_language="es")
    assert SIZE * 0.04 < spanish.count() < SIZE * 0.15
    assert spanish.filter(interpreter_needed=True).count() > spanish.count() * 0.3


def test_families_share_the_guarantor_address(population: str) -> None:
    dependents = Patient.objects.filter(guarantor__isnull=False).select_related("guarantor")
    assert dependents.count() > SIZE * 0.3
    today = timezone.localdate()
    for patient in dependents.prefetch_related("addresses", "guarantor__addresses"):
        mine = {(a.line1, a.zip_code) for a in patient.addresses.all()}
        assert mine == {(a.line1, a.zip_code) for a in patient.guarantor.addresses.all()}
        if patient.age_on(today) < 18:
            assert patient.guarantor.age_on(today) >= 18
            assert patient.guarantor_relationship in {"mother", "father", "grandparent"}
        else:
            assert patient.guarantor_relationship == "spouse"


def test_the_population_looks_like_a_family_practice(population: str) -> None:
    today = timezone.localdate()
    ages = [p.age_on(today) for p in Patient.objects.only("birth_date")]
    assert min(ages) == 0
    assert 90 <= max(ages) <= 95
    assert 0.15 < sum(a < 18 for a in ages) / SIZE < 0.35
    assert Patient.objects.filter(status="inactive").exists()
    assert Patient.objects.filter(status="deceased", deceased_date__isnull=False).exists()
    assert Patient.objects.filter(referring_provider__isnull=False).exists()
    assert Patient.objects.filter(race=["ASKU"]).exists()
    assert {"collections", "other", "accessibility", "interpreter"} <= set(
        PatientAlert.objects.values_list("kind", flat=True)
    )
    with_ssn = Patient.objects.exclude(ssn_digest="")
    assert SIZE * 0.15 < with_ssn.count() < SIZE * 0.5
    assert all(ssn_is_valid(p.ssn) for p in with_ssn[:50])
    numbers = list(PatientPhone.objects.values_list("number", flat=True))
    assert all(n.startswith("+1555") and to_e164(n) == n for n in numbers)
    assert PatientPhone.objects.filter(kind="mobile", sms_consent=True).exists()
    emails = Patient.objects.exclude(email="").values_list("email", flat=True)
    assert all(e.rsplit("@", 1)[1] in {"example.com", "example.net", "example.org"} for e in emails)
    assert Patient.objects.filter(last_name__contains="-").exists()  # García-López


def test_the_deliberate_near_duplicates_are_found(population: str) -> None:
    # given the scripted pairs and the generated ones (the generator tells which)
    pairs = [("Jon", "Brennan", "Jonah", "Brennan"), ("Laura", "Castillo", "Laura", "Bennett")]
    found = [
        (
            Patient.objects.get(first_name=a, last_name=b),
            Patient.objects.get(first_name=c, last_name=d),
        )
        for a, b, c, d in pairs
    ]
    kevins = list(Patient.objects.filter(first_name="Kevin", last_name="O'Brien").order_by("pk"))
    found.append((kevins[1], kevins[0]))
    assert kevins[0].birth_date == kevins[1].birth_date.replace(
        month=kevins[1].birth_date.day, day=kevins[1].birth_date.month
    )
    found += _generated_pairs()
    assert len(found) >= 3 + SIZE // 1000 - 2
    # then each repeated record finds the one it repeats
    for repeated, kept in found:
        candidates = find_duplicates(person_of(repeated), exclude=[repeated.pk])
        assert kept.pk in {c.patient.pk for c in candidates}, (repeated, kept)


def _generated_pairs() -> list[tuple[Patient, Patient]]:
    providers = PracticeIds((), ())  # who the doctors are does not change who the people are
    keys: list[str] = []
    pairs = []
    for house in generate(SIZE, seed=2026, today=timezone.localdate(), practice=providers):
        keys.extend(row["key"] for row in house.rows)
        if house.duplicate_of and not house.duplicate_of.startswith("s-"):
            pairs.append((house.rows[0]["key"], house.duplicate_of))
    by_key = dict(zip(keys, Patient.objects.order_by("pk"), strict=True))
    return [(by_key[again], by_key[kept]) for again, kept in pairs]


def test_generating_many_is_quick_enough_to_be_streamed() -> None:
    # given a large count, only what is taken is generated (the demo streams households)
    houses = generate(1_000_000, seed=1, today=dt.date(2026, 11, 23), practice=PracticeIds((), ()))
    first = [next(houses) for _ in range(50)]
    assert sum(len(h.rows) for h in first) >= 50


def test_the_same_people_on_any_day() -> None:
    # given the population generated on two different days
    def people(today: dt.date) -> list[tuple[str, str, tuple[str, ...], int]]:
        houses = generate(800, seed=5, today=today, practice=PracticeIds((1,), (2,), (3,)))
        return [
            (r["last_name"], r["first_name"], tuple(p["number"] for p in r["phones"]),
             _age(r["birth_date"], today) if not r["key"].startswith("s-") else 0)
            for house in houses
            for r in house.rows
        ]  # fmt: skip

    # then names, phone numbers and ages (but for the scripted Kevins' fixed birthdays) are
    # the same; only the birth dates move
    assert people(dt.date(2026, 3, 1)) == people(dt.date(2027, 9, 30))


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
