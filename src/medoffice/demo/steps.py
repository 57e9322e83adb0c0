"""The demo generator as an ordered list of steps; later work appends appointments, money.

Each step takes the shared ``DemoContext`` and adds what it creates to it. Randomness comes only
from ``ctx.rng`` (seeded), so a seed always yields the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from medoffice.accounts import services as accounts_services
from medoffice.accounts.choices import Role
from medoffice.core.identifiers import make_npi
from medoffice.demo import intake, scheduling
from medoffice.demo.load import Loaded, load_population
from medoffice.demo.scripted import PracticeIds
from medoffice.practice import services as practice_services
from medoffice.practice.choices import Specialty


@dataclass
class DemoContext:
    seed: int
    password: str
    rng: random.Random
    practice: Any = None
    locations: dict[str, Any] = field(default_factory=dict)
    providers: list[Any] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, name, role
    patients: int = 0  # how many synthetic patients to add
    today: dt.date | None = None  # ages are counted back from this day (default: today)
    referrers: list[Any] = field(default_factory=list)
    loaded: Loaded | None = None
    appointment_days: int = 91  # appointments this many days back and ahead of today
    schedule: Any = None  # the scheduling set-up (``schedule_setup.Layout``)
    booked: Any = None  # what ``book_appointments`` wrote (``scheduling.Booked``)
    intake: Any = None  # what ``create_intake`` signed (``intake.IntakeDemo``)


Step = Callable[[DemoContext], None]

WEEKDAYS = range(5)
MAIN_HOURS = [(d, dt.time(8), dt.time(17)) for d in WEEKDAYS]
NORTH_HOURS = [*MAIN_HOURS, (5, dt.time(9), dt.time(12))]

PROVIDERS: list[dict[str, Any]] = [
    {"first_name": "Elena", "last_name": "Marsh", "credentials": "MD",
     "specialty": Specialty.FAMILY_MEDICINE, "taxonomy_code": "207Q00000X", "color": "#2f6f9f",
     "sites": ["main", "north"]},
    {"first_name": "Jonah", "last_name": "Whitfield", "credentials": "DO",
     "specialty": Specialty.FAMILY_MEDICINE, "taxonomy_code": "207Q00000X", "color": "#3f8f4f",
     "sites": ["main"]},
    {"first_name": "Priya", "last_name": "Raman", "credentials": "MD",
     "specialty": Specialty.PEDIATRICS, "taxonomy_code": "208000000X", "color": "#b0602f",
     "sites": ["main", "north"]},
    {"first_name": "Marcus", "last_name": "Okafor", "credentials": "MD",
     "specialty": Specialty.CARDIOLOGY, "taxonomy_code": "207RC0000X", "color": "#9f2f4f",
     "sites": ["north"]},
    {"first_name": "Hannah", "last_name": "Lindqvist", "credentials": "NP",
     "specialty": Specialty.NURSE_PRACTITIONER, "taxonomy_code": "363LF0000X",
     "color": "#6f4f9f", "sites": ["main"]},
    {"first_name": "Diego", "last_name": "Serrano", "credentials": "DPT",
     "specialty": Specialty.PHYSICAL_THERAPY, "taxonomy_code": "225100000X",
     "color": "#2f8f8f", "sites": ["north"]},
]  # fmt: skip

LOGINS: list[dict[str, Any]] = [
    {"username": "frontdesk", "first_name": "Rosa", "last_name": "Delgado",
     "role": Role.FRONT_DESK, "job_title": "Front desk coordinator", "sites": ["main"]},
    {"username": "frontdesk2", "first_name": "Tyler", "last_name": "Brooks",
     "role": Role.FRONT_DESK, "job_title": "Front desk coordinator", "sites": ["north"]},
    {"username": "billing", "first_name": "Gwen", "last_name": "Albright",
     "role": Role.BILLING, "job_title": "Billing specialist", "sites": ["main"]},
    {"username": "clinical", "first_name": "Samuel", "last_name": "Ito",
     "role": Role.CLINICAL, "job_title": "Medical assistant", "sites": ["main", "north"]},
    {"username": "manager", "first_name": "Dana", "last_name": "Kowalski",
     "role": Role.MANAGER, "job_title": "Practice manager", "sites": ["main", "north"]},
    {"username": "admin", "first_name": "Lee", "last_name": "Harmon",
     "role": Role.ADMIN, "job_title": "System administrator", "sites": ["main", "north"]},
]  # fmt: skip


def create_practice(ctx: DemoContext) -> None:
    ctx.practice = practice_services.create_practice(
        acting_user=None,
        name="Riverbend Family Health",
        legal_name="Riverbend Family Health, PC",
        tax_id="12-3456789",
        group_npi=make_npi(f"1{ctx.rng.randrange(10**8):08d}"),
        phone="(555) 010-2000",
        fax="(555) 010-2001",
        email="office@riverbend.example",
        website="https://riverbend.example",
    )


def create_locations(ctx: DemoContext) -> None:
    sites = [
        ("main", "Main Street", "12 Main Street", "Riverbend", "12401", "(555) 010-2000",
         MAIN_HOURS),
        ("north", "North Campus", "480 North Road", "Riverbend", "12402", "(555) 010-3000",
         NORTH_HOURS),
    ]  # fmt: skip
    for code, name, line1, city, zip_code, phone, hours in sites:
        ctx.locations[code] = practice_services.create_location(
            practice=ctx.practice,
            acting_user=None,
            hours=hours,
            name=name,
            code=code,
            address_line1=line1,
            city=city,
            state="NY",
            zip_code=zip_code,
            phone=phone,
            time_zone="America/New_York",
        )


def create_providers(ctx: DemoContext) -> None:
    used: set[str] = set()
    for spec in PROVIDERS:
        values = {k: v for k, v in spec.items() if k != "sites"}
        npi = make_npi(f"1{ctx.rng.randrange(10**8):08d}")
        while npi in used:
            npi = make_npi(f"1{ctx.rng.randrange(10**8):08d}")
        used.add(npi)
        ctx.providers.append(
            practice_services.create_provider(
                acting_user=None,
                locations=[ctx.locations[s] for s in spec["sites"]],
                npi=npi,
                **values,
            )
        )


def create_staff_logins(ctx: DemoContext) -> None:
    accounts_services.sync_roles()
    for spec in LOGINS:
        user = accounts_services.create_staff_user(
            username=spec["username"],
            password=ctx.password,
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email=f"{spec['username']}@riverbend.example",
            roles=[spec["role"]],
        )
        practice_services.create_staff_member(
            user=user,
            acting_user=None,
            job_title=spec["job_title"],
            locations=[ctx.locations[s] for s in spec["sites"]],
        )
        name = f"{spec['first_name']} {spec['last_name']}"
        ctx.logins.append((spec["username"], name, Role(spec["role"]).label))


REFERRERS: list[dict[str, str]] = [
    {"first_name": "Alan", "last_name": "Petrakis", "credentials": "MD",
     "specialty": "Cardiology", "organization": "Hudson Valley Heart Associates"},
    {"first_name": "Beatrice", "last_name": "Owusu", "credentials": "MD",
     "specialty": "Orthopedic surgery", "organization": "Mid-Hudson Orthopedics"},
    {"first_name": "Carmen", "last_name": "Villalobos", "credentials": "MD",
     "specialty": "Obstetrics and gynecology", "organization": "Riverside Women's Health"},
    {"first_name": "Martin", "last_name": "Feld", "credentials": "DO",
     "specialty": "Neurology", "organization": "Kingston Neurology Group"},
    {"first_name": "Grace", "last_name": "Liu", "credentials": "MD",
     "specialty": "Endocrinology", "organization": "Ulster Endocrine Center"},
]  # fmt: skip
PRIMARY_CARE = (Specialty.FAMILY_MEDICINE, Specialty.NURSE_PRACTITIONER)


def create_referring_providers(ctx: DemoContext) -> None:
    """Clinicians outside the practice who send patients (only with a patient population)."""
    if not ctx.patients:
        return
    for i, spec in enumerate(REFERRERS):
        ctx.referrers.append(
            practice_services.create_referring_provider(
                acting_user=None,
                npi=make_npi(f"1{ctx.rng.randrange(10**8):08d}"),
                phone=f"(555) 010-4{i}00",
                fax=f"(555) 010-4{i}01",
                **spec,
            )
        )


def create_patients(ctx: DemoContext) -> None:
    """The synthetic population (see ``demo.population``), imported in bulk."""
    if not ctx.patients:
        return
    ctx.loaded = load_population(
        ctx.patients,
        seed=ctx.seed,
        today=ctx.today or timezone.localdate(),
        practice=practice_ids(ctx),
    )


def practice_ids(ctx: DemoContext) -> PracticeIds:
    """Who the patients' primary care and referring providers can be."""
    return PracticeIds(
        family=tuple(p.pk for p in ctx.providers if p.specialty in PRIMARY_CARE),
        pediatrics=tuple(p.pk for p in ctx.providers if p.specialty == Specialty.PEDIATRICS),
        referrers=tuple(r.pk for r in ctx.referrers),
    )


STEPS: list[Step] = [
    create_practice,
    create_locations,
    create_providers,
    create_staff_logins,
    create_referring_providers,
    scheduling.create_schedule,
    create_patients,
    scheduling.book_appointments,
    intake.create_intake,
]
