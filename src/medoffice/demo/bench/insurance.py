"""``medoffice bench insurance``: build N 270s from coverages, and read and store N 271s.

Building: each 270 is assembled from a stored coverage (patient, subscriber, payer, provider)
and written with fresh envelope numbers, as ``start_check`` does, without the network.
Storing: N checks waiting for batch answers get their 271s (realistic ones, written by the
payer simulator's own logic from the 270s) through ``eligibility.store_answers``: each answer
read in full, then bulk-written in chunks of 500 with one audit entry per chunk. Figures are
per second of wall time in this process (the payer's own time is not counted).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import timezone

from medoffice.core.identifiers import make_npi
from medoffice.demo.bench import build
from medoffice.demo.bench.target import STALE_EXIT
from medoffice.insurance.choices import CheckSource, CheckStatus, ClearinghouseKind, PlanType
from medoffice.insurance.models import (
    Clearinghouse,
    Coverage,
    EligibilityCheck,
    InsurancePlan,
    Payer,
)
from medoffice.insurance.services.eligibility import new_trace_number, store_answers
from medoffice.insurance.services.eligibility_request import build_request, information_receiver
from medoffice.insurance.services.envelopes import envelope_ids_for, take_numbers
from medoffice.interchange.x12 import EnvelopeIds, build_270, build_271, read_270
from medoffice.patients.models import Patient
from medoffice.payer_sim import load_config
from medoffice.payer_sim.eligibility import answer_eligibility
from medoffice.practice.models import Practice

DEFAULT_SEED = 2026
PATIENTS = 1000


class InsuranceSize(int):
    """Named ``ins_<n>`` in the database name so it never takes another benchmark's."""

    def __format__(self, spec: str) -> str:
        return f"ins_{int(self):{spec}}"

    def __str__(self) -> str:
        return format(self, "")


def _set_up() -> tuple[Clearinghouse, list[Coverage]]:
    if not Practice.objects.exists():
        Practice.objects.create(name="Bench Family Medicine", group_npi=make_npi("123456789"))
    house = Clearinghouse.objects.filter(name="Bench clearinghouse").first()
    if house is None:
        house = Clearinghouse.objects.create(
            name="Bench clearinghouse", kind=ClearinghouseKind.FOLDER, batch_folder="/nonexistent",
            sender_id="MEDOFFICE", receiver_id="PAYERSIM",
        )  # fmt: skip
    payer, _ = Payer.objects.get_or_create(
        payer_id="SIMBC1", defaults={"name": "Lakeshore Blue Cross", "clearinghouse": house}
    )
    plan, _ = InsurancePlan.objects.get_or_create(
        payer=payer, name="Lakeshore Gold PPO", defaults={"plan_type": PlanType.PPO}
    )
    have = {c.patient_id for c in Coverage.objects.filter(plan=plan)}
    Coverage.objects.bulk_create(
        Coverage(patient=p, plan=plan, order=1, member_id=f"LBC{p.pk:09d}",
                 effective_date=dt.date(2026, 1, 1))
        for p in Patient.objects.exclude(pk__in=have)[:PATIENTS]
    )  # fmt: skip
    coverages = list(
        Coverage.objects.filter(plan=plan).select_related("patient", "plan__payer")[:PATIENTS]
    )
    return house, coverages


def measure_build(
    house: Clearinghouse, coverages: list[Coverage], n: int
) -> tuple[float, list[str]]:
    day = timezone.localdate()
    texts = []
    began = time.perf_counter()
    numbers = take_numbers(f"isa:{house.pk}", n)  # one locked step, as a batch file takes them
    receiver = information_receiver()  # the practice, looked up once as a batch does
    for i in range(n):
        coverage = coverages[i % len(coverages)]
        request = build_request(
            coverage,
            trace_number=new_trace_number(),
            service_date=day,
            service_types=("30",),
            receiver=receiver,
        )
        texts.append(build_270(request, envelope_ids_for(house, numbers[i])))
    return n / (time.perf_counter() - began), texts


def _answers(texts: list[str]) -> list[str]:
    config = load_config()
    answers = []
    for number, text in enumerate(texts, start=1):
        request = read_270(text)[0]
        ids = EnvelopeIds(sender_id="PAYERSIM", receiver_id="MEDOFFICE",
                          interchange_control_number=number, group_control_number=number,
                          transaction_control_number=number % 10_000 or 1,
                          created=timezone.now())  # fmt: skip
        answers.append(build_271(request, answer_eligibility(config, request), ids))
    return answers


def _waiting(coverages: list[Coverage], texts: list[str]) -> list[EligibilityCheck]:
    now, day = timezone.now(), timezone.localdate()
    rows = []
    for i, text in enumerate(texts):
        coverage = coverages[i % len(coverages)]
        trace = read_270(text)[0].trace_number
        rows.append(EligibilityCheck(
            coverage=coverage, patient_id=coverage.patient_id, service_date=day,
            source=CheckSource.BATCH, status=CheckStatus.SENT, trace_number=trace,
            requested_at=now, raw_270=text,
        ))  # fmt: skip
    with transaction.atomic():
        return EligibilityCheck.objects.bulk_create(rows, batch_size=500)


def measure_store(coverages: list[Coverage], texts: list[str]) -> float:
    checks = _waiting(coverages, texts)
    answers = _answers(texts)
    began = time.perf_counter()
    store_answers(list(zip(checks, answers, strict=True)))
    return len(checks) / (time.perf_counter() - began)


class InsuranceWorkload:
    help = "Insurance: build 270s from coverages, read and store 271s (batch answers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--transactions", type=int, default=10_000, help="270s and 271s.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def database_size(self, options: dict[str, Any]) -> int:
        return InsuranceSize(PATIENTS)

    def worker_arguments(self, options: dict[str, Any]) -> list[str]:
        return ["--transactions", str(options["transactions"]), "--seed", str(options["seed"])]

    def work(self, options: dict[str, Any], record: Path, write: Callable[[str], None]) -> int:
        from medoffice.demo.bench.workloads import _database_version

        seed, n = int(options["seed"]), int(options["transactions"])
        call_command("migrate", verbosity=0, interactive=False)
        found = build.state(PATIENTS, seed)
        if found == "stale":
            return STALE_EXIT
        if found == "empty":
            write(f"Building the benchmark database: {PATIENTS:,} patients (seed {seed})...")
            build.build(PATIENTS, seed, record, lambda k: None)
        house, coverages = _set_up()
        write(
            f"medoffice bench insurance | {_database_version()} | {n:,} transactions"
            f" | {timezone.localtime():%Y-%m-%d %H:%M}"
        )
        built, texts = measure_build(house, coverages, n)
        write(
            f"  270 built from coverages (with envelope numbers): {built:,.0f}/s (target 2,000/s)"
        )
        stored = measure_store(coverages, texts)
        write(
            f"  271 read and stored (bulk, audited per chunk):     {stored:,.0f}/s (target 2,000/s)"
        )
        return 0
