"""Synthetic people, payers and envelopes for the X12 tests (no real data)."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal
from pathlib import Path

from medoffice.interchange.x12 import (
    AuthorizationRequest,
    Benefit,
    EligibilityRequest,
    EligibilityResponse,
    EnvelopeIds,
    Party,
    Person,
    ServiceLine,
)

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[6] / "shared" / "fixtures" / "x12"
CREATED = datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC)

PAYER = Party("ACME HEALTH PLAN", id_qualifier="PI", identifier="60054", entity_code="PR")
PROVIDER = Party(
    "RIVERSIDE FAMILY MEDICINE", id_qualifier="XX", identifier="1234567893", entity_code="1P"
)
DR_WELBY = Party(
    "WELBY", "MARCUS", entity_type="1", id_qualifier="XX", identifier="1245319599", entity_code="1P"
)
PCP = Party(
    "WELBY", "MARCUS", entity_type="1", id_qualifier="XX", identifier="1245319599", entity_code="P3"
)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def ids(number: int = 1, **overrides: object) -> EnvelopeIds:
    values: dict[str, object] = {
        "sender_id": "SUBMITTER01",
        "receiver_id": "ACMEHEALTH",
        "interchange_control_number": number,
        "group_control_number": number,
        "transaction_control_number": number,
        "created": CREATED,
    }
    values.update(overrides)
    return EnvelopeIds(**values)  # type: ignore[arg-type]


def subscriber(**overrides: object) -> Person:
    values: dict[str, object] = {
        "last_name": "DOE",
        "first_name": "JANE",
        "member_id": "W123456789",
        "birth_date": date(1980, 3, 14),
        "sex": "F",
    }
    values.update(overrides)
    return Person(**values)  # type: ignore[arg-type]


def child(**overrides: object) -> Person:
    values: dict[str, object] = {
        "last_name": "DOE",
        "first_name": "LILY",
        "birth_date": date(2012, 6, 15),
        "sex": "F",
        "relationship": "19",
    }
    values.update(overrides)
    return Person(**values)  # type: ignore[arg-type]


def request(**overrides: object) -> EligibilityRequest:
    values: dict[str, object] = {
        "trace_number": "TRACE0001",
        "payer": PAYER,
        "provider": PROVIDER,
        "subscriber": subscriber(),
        "service_date": date(2025, 3, 4),
        "service_types": ("30",),
    }
    values.update(overrides)
    return EligibilityRequest(**values)  # type: ignore[arg-type]


def ppo_benefits() -> tuple[Benefit, ...]:
    return (
        Benefit("1", ("30",), "IND", "PR", "GOLD PPO 1500"),
        Benefit(
            "B",
            ("98",),
            insurance_type="PR",
            time_period="27",
            amount=Decimal("25.00"),
            in_network=True,
            messages=("COPAY APPLIES PER OFFICE VISIT",),
        ),
        Benefit("B", ("98", "UC"), time_period="27", amount=Decimal("60"), in_network=False),
        Benefit("A", ("30",), time_period="27", percent=Decimal("0.2"), in_network=True),
        Benefit("C", ("30",), "IND", time_period="23", amount=Decimal("1500"), in_network=True),
        Benefit("C", ("30",), "IND", time_period="29", amount=Decimal("650"), in_network=True),
        Benefit("G", ("30",), "IND", time_period="23", amount=Decimal("6000"), in_network=True),
        Benefit(
            "G",
            ("30",),
            "IND",
            time_period="29",
            amount=Decimal("4200"),
            in_network=True,
            dates=(("291", "20250101-20251231"),),
            references=(("6P", "GRP100200"),),
        ),
        Benefit("L", (), related=(PCP,)),
        Benefit(
            "1",
            ("47", "86"),
            quantity_qualifier="VS",
            quantity=Decimal("30"),
            authorization_required=True,
            in_network=True,
        ),
    )


def response(req: EligibilityRequest | None = None, **overrides: object) -> EligibilityResponse:
    req = req or request()
    values: dict[str, object] = {
        "trace_numbers": (req.trace_number,),
        "payer": PAYER,
        "provider": PROVIDER,
        "subscriber": req.subscriber,
        "dependent": req.dependent,
        "active": True,
        "plan_name": "GOLD PPO 1500",
        "insurance_type": "PR",
        "group_number": "GRP100200",
        "plan_begin": date(2025, 1, 1),
        "plan_end": date(2025, 12, 31),
        "pcp": None,
        "other_payers": (),
        "benefits": ppo_benefits(),
        "rejections": (),
    }
    values.update(overrides)
    return EligibilityResponse(**values)  # type: ignore[arg-type]


def authorization_request(**overrides: object) -> AuthorizationRequest:
    values: dict[str, object] = {
        "trace_number": "PA20250304001",
        "payer": Party(
            "ACME HEALTH PLAN UM", id_qualifier="PI", identifier="60054", entity_code="X3"
        ),
        "requester": PROVIDER,
        "subscriber": subscriber(),
        "dependent": None,
        "diagnoses": ("M5416", "M5126"),
        "services": (
            ServiceLine("72148", Decimal(1), date(2025, 3, 10), date(2025, 4, 9)),
            ServiceLine(
                "97110",
                Decimal(12),
                date(2025, 3, 10),
                date(2025, 4, 9),
                service_type="PT",
                modifiers=("GP",),
            ),
        ),
        "service_type": "2",
        "from_date": date(2025, 3, 10),
        "to_date": date(2025, 4, 9),
    }
    values.update(overrides)
    return AuthorizationRequest(**values)  # type: ignore[arg-type]
