"""A small payer configuration and request builders shared by the simulator and client tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from medoffice.integrations.clearinghouses import ClearinghouseSettings
from medoffice.interchange.x12 import (
    AuthorizationRequest,
    EligibilityRequest,
    EnvelopeIds,
    Party,
    Person,
    ServiceLine,
    build_270,
    build_278_request,
)
from medoffice.payer_sim import RunningSimulator, SimulatorConfig, config_from_dict

USERNAME = "office"
PASSWORD = "correct horse"
SERVICE_DATE = dt.date(2026, 3, 2)
PROVIDER = Party(name="HARBOR FAMILY MEDICINE", id_qualifier="XX", identifier="1456782311")

PINNED = {
    "deductible_remaining_individual_in_network": "650.00",
    "deductible_remaining_family_in_network": "1850.00",
    "deductible_remaining_individual_out_of_network": "3000.00",
    "deductible_remaining_family_out_of_network": "6000.00",
    "oop_remaining_individual_in_network": "4100.00",
    "oop_remaining_family_in_network": "9900.00",
    "oop_remaining_individual_out_of_network": "12000.00",
    "oop_remaining_family_out_of_network": "24000.00",
}

TEST_PLANS: dict[str, Any] = {
    "payers": [
        {
            "payer_id": "TESTBC",
            "name": "TEST BLUE CROSS",
            "plans": [
                {
                    "plan_id": "GOLD",
                    "name": "Test Gold PPO",
                    "insurance_type": "PR",
                    "group_number": "GRP-777",
                    "plan_begin": "2026-01-01",
                    "copays": {"98": "25.00", "specialist": "50.00", "UC": "75.00"},
                    "coinsurance": {"in_network": "0.20", "out_of_network": "0.40"},
                    "deductible": {
                        "individual": {"in_network": "1500.00", "out_of_network": "3000.00"},
                        "family": {"in_network": "3000.00", "out_of_network": "6000.00"},
                    },
                    "out_of_pocket": {
                        "individual": {"in_network": "6000.00", "out_of_network": "12000.00"},
                        "family": {"in_network": "12000.00", "out_of_network": "24000.00"},
                    },
                },
                {
                    "plan_id": "HMO",
                    "name": "Test Silver HMO",
                    "insurance_type": "HM",
                    "group_number": "GRP-888",
                    "plan_begin": "2025-07-01",
                    "pcp": {"last_name": "OKAFOR", "first_name": "ADAEZE", "npi": "1234567893"},
                    "copays": {"98": "20.00"},
                    "deductible": {"individual": {"in_network": "500.00"}},
                    "non_covered": ["AL"],
                },
            ],
            "prior_auth": {
                "approve": ["97110", "72148"],
                "pend": ["70553"],
                "deny": ["64483"],
                "not_required": ["99213"],
                "certification_prefix": "TBC",
            },
        },
        {
            "payer_id": "TESTMCR",
            "name": "TEST MEDICARE",
            "plans": [
                {
                    "plan_id": "B",
                    "name": "Medicare Part B",
                    "insurance_type": "MB",
                    "plan_begin": "2019-07-01",
                    "coinsurance": {"in_network": "0.20"},
                    "deductible": {"individual": {"in_network": "283.00"}},
                }
            ],
            "fault": {"http_status": 500},
        },
    ],
    "members": [
        {
            "payer_id": "TESTBC",
            "member_id": "PIN0001",
            "plan_id": "GOLD",
            "last_name": "RIVERA",
            "first_name": "ANA",
            "birth_date": "1982-03-14",
            "overrides": PINNED,
        },
        {"payer_id": "TESTBC", "member_id": "HMO0001", "plan_id": "HMO"},
        {"payer_id": "TESTBC", "member_id": "GONE0001", "status": "not_found"},
        {
            "payer_id": "TESTBC",
            "member_id": "OLD0001",
            "status": "inactive",
            "coverage_end": "2025-12-31",
        },
        {"payer_id": "TESTBC", "member_id": "ENDED0001", "coverage_end": "2026-02-28"},
        {"payer_id": "TESTBC", "member_id": "ENDING0001", "coverage_end": "2026-06-30"},
        {
            "payer_id": "TESTBC",
            "member_id": "DUAL0001",
            "other_payer": {
                "name": "SUNRISE COMMUNITY HEALTH PLAN",
                "payer_id": "SCHP1",
                "member_id": "SCH555",
                "insurance_type": "MC",
                "medicaid_managed_care": True,
                "primary": False,
            },
        },
        {"payer_id": "TESTBC", "member_id": "SLOW0001", "fault": {"delay_ms": 5000}},
        {"payer_id": "TESTBC", "member_id": "ERR5000001", "fault": {"http_status": 500}},
        {"payer_id": "TESTBC", "member_id": "BUSY0001", "fault": {"aaa_42": True}},
        {"payer_id": "TESTBC", "member_id": "JUNK0001", "fault": {"garbage_payload": True}},
        {"payer_id": "TESTBC", "member_id": "DROP0001", "fault": {"close_connection": True}},
    ],
}


def simulator_config() -> SimulatorConfig:
    return config_from_dict(TEST_PLANS).with_credentials(USERNAME, PASSWORD)


def ids(number: int = 1) -> EnvelopeIds:
    return EnvelopeIds(
        sender_id="MEDOFFICE01",
        receiver_id="PAYERSIM",
        interchange_control_number=number,
        group_control_number=number,
        transaction_control_number=number,
        created=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
    )


def inquiry(
    member_id: str,
    *,
    payer_id: str = "TESTBC",
    last_name: str = "RIVERA",
    first_name: str = "ANA",
    birth_date: dt.date | None = dt.date(1982, 3, 14),
    service_types: tuple[str, ...] = ("30", "98"),
    dependent: Person | None = None,
    trace: str = "TRACE0001",
) -> EligibilityRequest:
    return EligibilityRequest(
        trace_number=trace,
        payer=Party(name="TEST BLUE CROSS", id_qualifier="PI", identifier=payer_id),
        provider=PROVIDER,
        subscriber=Person(
            last_name=last_name, first_name=first_name, member_id=member_id, birth_date=birth_date
        ),
        service_date=SERVICE_DATE,
        service_types=service_types,
        dependent=dependent,
    )


def x12_270(member_id: str, **changes: Any) -> str:
    return build_270(inquiry(member_id, **changes), ids())


def x12_278(member_id: str, *codes: str, payer_id: str = "TESTBC") -> str:
    request = AuthorizationRequest(
        trace_number="AUTHTRACE1",
        payer=Party(name="TEST BLUE CROSS", id_qualifier="PI", identifier=payer_id),
        requester=PROVIDER,
        subscriber=Person(
            last_name="RIVERA",
            first_name="ANA",
            member_id=member_id,
            birth_date=dt.date(1982, 3, 14),
        ),
        dependent=None,
        diagnoses=("M5416",),
        services=tuple(ServiceLine(code=code, units=Decimal(6)) for code in codes),
        from_date=dt.date(2026, 3, 10),
    )
    return build_278_request(request, ids())


def settings_for(simulator: RunningSimulator, **changes: Any) -> ClearinghouseSettings:
    values: dict[str, Any] = {
        "kind": "core_http",
        "name": "Test Clearinghouse",
        "endpoint_url": simulator.url,
        "username": USERNAME,
        "password": PASSWORD,
        "sender_id": "MEDOFFICE01",
        "receiver_id": "PAYERSIM",
        "timeout_seconds": 0.3,
        "retries": 2,
        "backoff_seconds": 0.01,
    }
    values.update(changes)
    return ClearinghouseSettings(**values)
