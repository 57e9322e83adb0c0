"""The demo's insurance: the simulated payers and plans, coverages for most patients (Medicare
from 65, family members under the guarantor's plan, some Medicaid managed care and HMO, some
uninsured), prices for the estimates, and real eligibility checks of today's and the next
business day's visits, answered by the payer simulator over the CORE envelope on loopback.

The simulator's configuration is the shipped demo plans plus the members the demo needs it to
know (HMO members, and the three problems of the 07:45 list: a coverage that ended last month, a
member ID not found, an HMO patient seeing the cardiologist without a referral). It is written to
``<data dir>/payer-sim.json`` so that ``make run``'s simulator answers the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from medoffice.insurance.choices import (
    ClearinghouseKind,
    CoverageOrder,
    PlanType,
    SubscriberRelationship,
)
from medoffice.insurance.models import (
    AllowedAmount,
    Clearinghouse,
    Coverage,
    InsurancePlan,
    Payer,
    PlannedService,
)
from medoffice.insurance.services import batch
from medoffice.patients.models import Patient
from medoffice.payer_sim import config_from_dict, default_config_path, start_simulator
from medoffice.scheduling.models import Appointment, AppointmentType

SIM_URL = "http://127.0.0.1:8787/core"
VISITING = ["arrived", "roomed", "with_provider"]
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
PRICES = {  # code: (description, self-pay price)
    "99202": ("Office visit, new, straightforward", "110.00"),
    "99204": ("Office visit, new, moderate", "245.00"),
    "99213": ("Office visit, established, low", "135.00"),
    "99214": ("Office visit, established, moderate", "190.00"),
    "99392": ("Preventive visit, age 1-4", "175.00"),
    "99396": ("Preventive visit, age 40-64", "230.00"),
    "93000": ("Electrocardiogram, complete", "45.00"),
    "93015": ("Cardiovascular stress test", "395.00"),
    "97162": ("Physical therapy evaluation, moderate", "185.00"),
    "97110": ("Therapeutic exercise, 15 minutes", "48.00"),
}
PLANNED = {  # visit type: [(code, units)]
    "Sick visit": [("99213", 1)],
    "Well-child visit": [("99392", 1)],
    "Annual physical": [("99396", 1)],
    "New patient visit": [("99204", 1)],
    "Follow-up": [("99213", 1)],
    "Cardiology consult": [("99204", 1), ("93000", 1)],
    "Stress test": [("93015", 1)],
    "EKG": [("93000", 1)],
    "PT evaluation": [("97162", 1)],
    "PT session": [("97110", 3)],
    "Telehealth visit": [("99213", 1)],
}
RATES = {"ppo": "0.80", "hmo": "0.70", "medicare": "0.55", "medicaid_mco": "0.45"}


@dataclass
class InsuranceDemo:
    coverages: int = 0
    uninsured: int = 0
    checks: int = 0
    flagged: list[str] = field(default_factory=list)
    config_path: str = ""


def _payers(house: Clearinghouse) -> dict[str, InsurancePlan]:
    blue = Payer.objects.create(
        name="Lakeshore Blue Cross",
        payer_id="SIMBC1",
        clearinghouse=house,
        accepts_278=True,
        address_line1="PO Box 4400",
        city="Chicago",
        state="IL",
        zip_code="60680",
        phone="(555) 201-4400",
        fax="(555) 201-4401",
        authorization_phone="(555) 201-4410",
        authorization_fax="(555) 201-4411",
    )
    medicare = Payer.objects.create(
        name="Medicare Part B",
        payer_id="SIMMCR",
        clearinghouse=house,
        member_id_pattern="",
        phone="(555) 633-4227",
    )
    sunrise = Payer.objects.create(
        name="Sunrise Community Health Plan",
        payer_id="SIMMCD",
        clearinghouse=house,
        phone="(555) 310-7000",
        authorization_fax="(555) 310-7001",
    )
    union = Payer.objects.create(
        name="Builders Union Health Fund",
        payer_id="",
        checks_eligibility=False,
        phone="(555) 440-1200",
        fax="(555) 440-1201",
    )
    new = InsurancePlan.objects.create
    return {
        "ppo": new(payer=blue, name="Lakeshore Gold PPO", plan_type=PlanType.PPO),
        "hmo": new(
            payer=blue,
            name="Lakeshore Silver HMO",
            plan_type=PlanType.HMO,
            requires_referral=True,
            requires_prior_authorization=True,
        ),
        "medicare": new(payer=medicare, name="Medicare Part B", plan_type=PlanType.MEDICARE),
        "medicaid_mco": new(
            payer=sunrise,
            name="Sunrise Standard",
            plan_type=PlanType.MEDICAID_MANAGED,
            requires_referral=True,
            requires_prior_authorization=True,
        ),
        "union": new(payer=union, name="Union Family Plan", plan_type=PlanType.OTHER),
    }


def _prices(plans: dict[str, InsurancePlan]) -> None:
    rows = []
    for code, (description, price) in PRICES.items():
        rows.append(AllowedAmount(code=code, description=description, amount=Decimal(price)))
        for key, rate in RATES.items():
            allowed = (Decimal(price) * Decimal(rate)).quantize(Decimal("0.01"))
            rows.append(
                AllowedAmount(code=code, description=description, plan=plans[key], amount=allowed)
            )
    AllowedAmount.objects.bulk_create(rows)
    types = {t.name: t for t in AppointmentType.objects.all()}
    PlannedService.objects.bulk_create(
        PlannedService(appointment_type=types[name], code=code, units=units)
        for name, lines in PLANNED.items()
        if name in types
        for code, units in lines
    )


def _mbi(rng: Any) -> str:
    def letter() -> str:
        return str(rng.choice(MBI_LETTERS))

    def either() -> str:
        return str(rng.choice(MBI_LETTERS + "0123456789"))

    def digit() -> str:
        return str(rng.randrange(10))

    parts = [
        str(rng.randrange(1, 10)),
        letter(),
        either(),
        digit(),
        letter(),
        either(),
        digit(),
        letter(),
        letter(),
        digit(),
        digit(),
    ]
    return "".join(parts)


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _own_plan(rng: Any, age: int) -> str:
    if age >= 65:
        return "medicare"
    roll = rng.random()
    if age < 19:
        return "medicaid_mco" if roll < 0.35 else "ppo"
    return (
        "ppo"
        if roll < 0.55
        else "hmo"
        if roll < 0.72
        else "medicaid_mco"
        if roll < 0.80
        else "union"
        if roll < 0.86
        else ""
    )


def _member_id(rng: Any, key: str) -> str:
    if key == "medicare":
        return _mbi(rng)
    prefix = {"ppo": "LBC", "hmo": "LBC", "medicaid_mco": "SCH", "union": "BUF"}[key]
    return f"{prefix}{rng.randrange(10**8, 10**9)}"


def _coverages(
    ctx: Any, plans: dict[str, InsurancePlan], today: dt.date
) -> tuple[list[Coverage], int]:
    rng = ctx.rng
    patients = list(Patient.objects.filter(status="active").order_by("pk"))
    own: dict[int, Coverage] = {}
    rows: list[Coverage] = []
    uninsured = 0
    for patient in patients:
        if patient.guarantor_id is not None:
            continue
        key = _own_plan(rng, _age(patient.birth_date, today))
        if not key:
            uninsured += 1
            continue
        since = today.replace(month=1, day=1) - dt.timedelta(days=365 * rng.randrange(0, 4))
        coverage = Coverage(
            patient=patient,
            plan=plans[key],
            order=CoverageOrder.PRIMARY,
            member_id=_member_id(rng, key),
            group_number="" if key == "medicare" else f"GRP-{rng.randrange(100000, 999999)}",
            effective_date=since,
        )
        own[patient.pk] = coverage
        rows.append(coverage)
    for patient in patients:
        if patient.guarantor_id is None:
            continue
        age = _age(patient.birth_date, today)
        head = own.get(patient.guarantor_id)
        if age >= 65 or head is None or head.plan.plan_type == PlanType.MEDICARE:
            key = _own_plan(rng, age)
            if key:
                rows.append(
                    Coverage(
                        patient=patient,
                        plan=plans[key],
                        order=CoverageOrder.PRIMARY,
                        member_id=_member_id(rng, key),
                        effective_date=today.replace(month=1, day=1),
                    )
                )
            else:
                uninsured += 1
            continue
        relationship = SubscriberRelationship.CHILD if age < 26 else SubscriberRelationship.SPOUSE
        rows.append(
            Coverage(
                patient=patient,
                plan=head.plan,
                order=CoverageOrder.PRIMARY,
                member_id=head.member_id,
                group_number=head.group_number,
                relationship=relationship,
                subscriber_patient_id=patient.guarantor_id,
                effective_date=head.effective_date,
            )
        )
    return Coverage.objects.bulk_create(rows), uninsured


def _next_day_problems(
    today: dt.date, plans: dict[str, InsurancePlan], members: list[dict[str, Any]]
) -> list[str]:
    """The three coverages the 07:45 list flags for the next business day."""
    day = batch.next_business_day(today)
    start, end = batch.day_bounds(day)
    upcoming = Appointment.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status__in=batch.UPCOMING
    )
    covered = {
        c.patient_id: c
        for c in Coverage.objects.filter(
            patient_id__in=upcoming.values("patient_id"),
            relationship=SubscriberRelationship.SELF,
            plan__plan_type=PlanType.PPO,
        )
    }
    done: list[str] = []
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    cardio = upcoming.filter(appointment_type__name="Cardiology consult").values_list(
        "patient_id", flat=True
    )
    for patient_id in cardio:
        coverage = Coverage.objects.filter(patient_id=patient_id).first()
        if coverage is not None and coverage.relationship == SubscriberRelationship.SELF:
            Coverage.objects.filter(pk=coverage.pk).update(plan=plans["hmo"])
            members.append(
                {"payer_id": "SIMBC1", "member_id": coverage.member_id, "plan_id": "HMO-SILVER"}
            )
            covered.pop(patient_id, None)
            done.append("HMO patient seeing the cardiologist (referral needed)")
            break
    for problem in ("ended", "not_found"):
        if not covered:
            break
        _, coverage = covered.popitem()
        if problem == "ended":
            members.append(
                {
                    "payer_id": "SIMBC1",
                    "member_id": coverage.member_id,
                    "status": "inactive",
                    "coverage_end": last_month_end.isoformat(),
                }
            )
            done.append("coverage ended last month")
        else:
            members.append(
                {"payer_id": "SIMBC1", "member_id": coverage.member_id, "status": "not_found"}
            )
            done.append("member ID not found")
    return done


def _config(coverages: list[Coverage], plans: dict[str, InsurancePlan]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_config_path().read_text())
    data["members"] = list(data.get("members", [])) + [
        {"payer_id": "SIMBC1", "member_id": c.member_id, "plan_id": "HMO-SILVER"}
        for c in coverages
        if c.plan_id == plans["hmo"].pk and c.relationship == SubscriberRelationship.SELF
    ]
    return data


def populate(ctx: Any) -> InsuranceDemo:
    """Run after the front-desk demo (needs patients and appointments)."""
    result = InsuranceDemo()
    today = ctx.today or timezone.localdate()
    house = Clearinghouse.objects.create(
        name="Payer simulator (loopback)",
        kind=ClearinghouseKind.CORE_HTTP,
        endpoint_url=SIM_URL,
        username=os.environ.get("MEDOFFICE_PAYER_SIM_USER", "demo"),
        password=os.environ.get("MEDOFFICE_PAYER_SIM_PASSWORD", "demo-password"),
        sender_id="MEDOFFICE",
        receiver_id="PAYERSIM",
        timeout_seconds=5,
        retries=1,
    )
    plans = _payers(house)
    _prices(plans)
    coverages, result.uninsured = _coverages(ctx, plans, today)
    result.coverages = len(coverages)
    data = _config(coverages, plans)
    result.flagged = _next_day_problems(today, plans, data["members"])
    path = Path(settings.DATA_DIR) / "payer-sim.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))
    result.config_path = str(path)
    if ctx.booked is not None:
        result.checks = _check_days(house, data, today)
    return result


def _check_days(house: Clearinghouse, data: dict[str, Any], today: dt.date) -> int:
    """Today's and the next business day's visits, checked for real against a simulator run
    in-process for the seed (the clearinghouse keeps the address ``make run`` serves)."""
    with start_simulator(config_from_dict(data)) as running:
        Clearinghouse.objects.filter(pk=house.pk).update(endpoint_url=running.url)
        try:
            here = batch.run_day(today, statuses=[*batch.UPCOMING, *VISITING])
            ahead = batch.run_day(batch.next_business_day(today))
            counts = [here.counts["checked"], ahead.counts["checked"]]
        finally:
            Clearinghouse.objects.filter(pk=house.pk).update(endpoint_url=SIM_URL)
    return sum(counts)
