"""Payers, plans, a clearinghouse and coverages for the insurance tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from medoffice.insurance.choices import ClearinghouseKind, CoverageOrder, PlanType
from medoffice.insurance.models import Clearinghouse, Coverage, InsurancePlan, Payer
from medoffice.patients.tests.factories import make_patient


def make_clearinghouse(**fields: Any) -> Clearinghouse:
    values: dict[str, Any] = {
        "name": "Loopback payer simulator",
        "kind": ClearinghouseKind.CORE_HTTP,
        "endpoint_url": "http://127.0.0.1:9/core",
        "username": "demo",
        "password": "demo-password",
        "sender_id": "MEDOFFICE",
        "receiver_id": "PAYERSIM",
        "timeout_seconds": 2,
        "retries": 0,
    }
    values.update(fields)
    return Clearinghouse.objects.create(**values)


def make_payer(name: str = "Acme Health", payer_id: str = "ACME1", **fields: Any) -> Payer:
    return Payer.objects.create(name=name, payer_id=payer_id, **fields)


def make_plan(
    payer: Payer | None = None,
    name: str = "Choice PPO",
    plan_type: str = PlanType.PPO,
    **fields: Any,
) -> InsurancePlan:
    payer = payer or make_payer()
    return InsurancePlan.objects.create(payer=payer, name=name, plan_type=plan_type, **fields)


def make_coverage(
    patient: Any = None,
    plan: InsurancePlan | None = None,
    *,
    order: int = CoverageOrder.PRIMARY,
    member_id: str = "ACM123456789",
    effective_date: dt.date = dt.date(2026, 1, 1),
    **fields: Any,
) -> Coverage:
    return Coverage.objects.create(
        patient=patient or make_patient(),
        plan=plan or make_plan(),
        order=order,
        member_id=member_id,
        effective_date=effective_date,
        **fields,
    )
