"""The busy day the billing benchmark closes: built in bulk, counted and settled by the services.

A past weekday with no business day yet (one further back each run, so runs never share one):
20,000 checked-out appointments over 200 benchmark providers (100 six-minute visits each, so the
calendar holds no double booking), a charge for each (copay for the patient, the rest pending
with insurance), 5,000 copays (cash with change, check, card keyed in, HSA/FSA) from the two
front-desk logins' drawers. Every row obeys the ledger's constraints (each payment's entries add
up to it; cash received = amount + change). The drawers are then counted with ``count_drawer``
(exact counts by denomination) and the card batch recorded with ``record_settlement``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from medoffice.billing.choices import Bucket, EntryKind, PaymentPurpose, TenderMethod
from medoffice.billing.models import BusinessDay, CashDrawer, LedgerEntry, Payment, Tender
from medoffice.billing.rules import drawer_count
from medoffice.billing.services import day_close, day_sheet, drawers
from medoffice.core.identifiers import make_npi
from medoffice.demo.bench import build
from medoffice.demo.bench import report as r
from medoffice.patients.models import Patient
from medoffice.practice.choices import Specialty
from medoffice.practice.models import Location, Provider
from medoffice.scheduling.models import Appointment, AppointmentType

FIRST_DAY = dt.date(2024, 1, 2)
PROVIDERS = 200
VISIT_MINUTES = 6
DESK_LOGINS = ("frontdesk", "frontdesk2")
MANAGER = "manager"
FLOAT = Decimal("200.00")
TERMINAL = "BENCH-01"
BATCH = 2000
DAY_CLOSE_TARGET_S = 1.0


def _free_day() -> dt.date:
    taken = set(BusinessDay.objects.filter(date__gte=FIRST_DAY).values_list("date", flat=True))
    day = FIRST_DAY
    while day in taken or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _providers(location: Location) -> list[Provider]:
    have = list(Provider.objects.filter(last_name__startswith="Benchday").order_by("pk"))
    if len(have) < PROVIDERS:
        made = Provider.objects.bulk_create(
            Provider(first_name="Casey", last_name=f"Benchday{n:03d}", credentials="MD",
                     specialty=Specialty.FAMILY_MEDICINE, npi=make_npi(f"3{n:08d}"))
            for n in range(len(have), PROVIDERS)
        )  # fmt: skip
        location.providers.add(*made)
        have += made
    return have[:PROVIDERS]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100 + 1)) / 100


def _tender(rng: random.Random, amount: Decimal, n: int) -> Tender:
    roll = rng.random()
    if roll < 0.35:
        received = amount if rng.random() < 0.3 else Decimal((int(amount) // 20 + 1) * 20)
        return Tender(method=TenderMethod.CASH, amount=amount, cash_received=received,
                      change_given=received - amount)  # fmt: skip
    if roll < 0.45:
        return Tender(method=TenderMethod.CHECK, amount=amount, check_number=str(1000 + n))
    method = TenderMethod.HSA if roll < 0.52 else TenderMethod.CARD
    return Tender(method=method, amount=amount, card_brand="visa", entry_mode="manual",
                  card_last4=f"{rng.randrange(10_000):04d}", approval_code=f"B{n:06d}",
                  terminal_id=TERMINAL)  # fmt: skip


def build_day(visits: int, paid: int, seed: int) -> tuple[dt.date, int]:
    """(the day, ledger entries written): appointments, charges, copays, open drawers."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    users = get_user_model().objects
    desk = [users.get(username=name) for name in DESK_LOGINS]
    location = Location.objects.order_by("pk").first()
    assert location is not None
    zone = zoneinfo.ZoneInfo(location.time_zone)
    kind = AppointmentType.objects.order_by("pk").first()
    patient_ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    day = _free_day()
    providers = _providers(location)
    now = timezone.now()
    per_provider = -(-visits // len(providers))
    with transaction.atomic():
        BusinessDay.objects.create(date=day)
        rows = []
        for n in range(visits):
            provider = providers[n // per_provider]
            starts = dt.datetime.combine(day, dt.time(8), zone) + dt.timedelta(
                minutes=VISIT_MINUTES * (n % per_provider)
            )
            rows.append(Appointment(
                patient_id=rng.choice(patient_ids), provider=provider, location=location,
                appointment_type=kind, starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=VISIT_MINUTES), status="checked_out",
                booked_at=starts - dt.timedelta(days=7), booked_by=desk[0],
            ))  # fmt: skip
        made = Appointment.objects.bulk_create(rows, batch_size=BATCH)
        entries = []
        copays: list[tuple[Appointment, Decimal]] = []
        for visit in made:
            copay = Decimal(rng.choice((20, 25, 30, 40)))
            common = {"patient_id": visit.patient_id, "kind": EntryKind.CHARGE, "posted_on": day,
                      "posted_at": visit.ends_at, "posted_by": desk[0], "appointment": visit,
                      "provider_id": visit.provider_id, "code": "99213",
                      "description": "Office visit, established, low"}  # fmt: skip
            entries.append(LedgerEntry(bucket=Bucket.PATIENT, amount=copay, **common))
            entries.append(LedgerEntry(bucket=Bucket.INSURANCE, amount=Decimal("110.00"), **common))
            copays.append((visit, copay))
        opened = {
            u.pk: CashDrawer.objects.create(user=u, location=location, business_date=day,
                                            opening_float=FLOAT, opened_at=now)
            for u in desk
        }  # fmt: skip
        payments, tenders = [], []
        for n, (visit, copay) in enumerate(rng.sample(copays, min(paid, len(copays)))):
            user = desk[n % len(desk)]
            tender = _tender(rng, copay, n)
            in_drawer = tender.method in (TenderMethod.CASH, TenderMethod.CHECK)
            payments.append(Payment(
                patient_id=visit.patient_id, received_on=day, received_at=visit.ends_at,
                received_by=user, drawer=opened[user.pk] if in_drawer else None,
                purpose=PaymentPurpose.COPAY, amount=copay, appointment=visit,
            ))  # fmt: skip
            tenders.append(tender)
        Payment.objects.bulk_create(payments, batch_size=BATCH)
        for payment, tender in zip(payments, tenders, strict=True):
            tender.payment = payment
            entries.append(LedgerEntry(
                patient_id=payment.patient_id, kind=EntryKind.PAYMENT, bucket=Bucket.PATIENT,
                amount=-payment.amount, posted_on=day, posted_at=payment.received_at,
                posted_by=payment.received_by, appointment=payment.appointment, payment=payment,
                description="Copay",
            ))  # fmt: skip
        Tender.objects.bulk_create(tenders, batch_size=BATCH)
        LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
    return day, len(entries)


def count_and_settle(day: dt.date) -> None:
    """Every drawer counted exactly, and the card batch recorded, through the services."""
    manager = get_user_model().objects.get(username=MANAGER)
    for drawer in drawers.drawers_of_day(day):
        expected = drawers.drawer_expectation(drawer)
        drawers.count_drawer(
            drawer, acting_user=drawer.user,
            denominations=drawer_count.count_for(expected.expected_cash),
            checks_total=expected.checks_total, check_count=expected.check_count,
        )  # fmt: skip
    sheet = day_sheet.day_sheet(day)
    cards = sum((sheet.payments_by_method.get(m, Decimal(0)) for m in ("card", "hsa")), Decimal(0))
    count = Tender.objects.filter(payment__received_on=day, method__in=("card", "hsa")).count()
    day_close.record_settlement(
        day, acting_user=manager, terminal_id=TERMINAL, batch_total=f"{cards:.2f}",
        batch_count=count, batch_ref=f"B{day:%Y%m%d}",
    )  # fmt: skip


def _timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def print_day_close(visits: int, paid: int, seed: int, write: Callable[[str], None]) -> None:
    began = time.perf_counter()
    day, entries = build_day(visits, paid, seed)
    build.settle()  # statistics for the planner, as autovacuum soon would after a bulk load
    built = time.perf_counter() - began
    counted = _timed(lambda: count_and_settle(day))
    write(
        f"Day close of {day:%Y-%m-%d}: {visits:,} appointments, {paid:,} payments, "
        f"{entries:,} ledger entries (built in bulk in {built:.1f} s; 2 drawers counted and the "
        f"card batch recorded in {counted:.2f} s)"
    )
    manager = get_user_model().objects.get(username=MANAGER)
    table = r.Table(
        write,
        [r.Column("step", 44, "<"), r.Column("time", 10), r.Column("target", 8),
         r.Column("", 6)],
    )  # fmt: skip
    summary = _timed(lambda: day_close.day_summary(day))
    table.row("day_summary (reconciliation page)", f"{summary * 1000:,.0f} ms", "", "")
    closing = _timed(lambda: day_close.close_day(day, acting_user=manager))
    table.row(
        "close_day (lock, summary, day sheet kept)", f"{closing * 1000:,.0f} ms",
        f"<{DAY_CLOSE_TARGET_S:.0f} s", r.verdict(closing < DAY_CLOSE_TARGET_S),
    )  # fmt: skip
    sheet = _timed(lambda: day_sheet.day_sheet(day))
    table.row("day_sheet (the closed day's report)", f"{sheet * 1000:,.0f} ms", "", "")
    closed = BusinessDay.objects.get(date=day)
    totals = closed.day_sheet.get("totals", {})
    write(f"  closed by {manager.username}; day sheet totals: {totals}")
