"""278 decisions by CPT rule, the configuration's checks, the shipped demo plans and the command."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from medoffice.cli.main import main
from medoffice.integrations.clearinghouses import PayloadType, connect
from medoffice.interchange.x12 import AuthorizationResponse, read_271, read_278_response
from medoffice.payer_sim import (
    ConfigError,
    RunningSimulator,
    config_from_dict,
    default_config_path,
    load_config,
    start_simulator,
)
from medoffice.payer_sim.tests.support import TEST_PLANS, settings_for, x12_270, x12_278


def _authorize(simulator: RunningSimulator, member_id: str, *codes: str) -> AuthorizationResponse:
    answer = connect(settings_for(simulator)).exchange_realtime(
        x12_278(member_id, *codes), payload_type=PayloadType.X12_278_REQUEST
    )
    [response] = read_278_response(answer.payload)
    return response


def test_an_approved_service_gets_a_stable_certification(simulator: RunningSimulator) -> None:
    first = _authorize(simulator, "PIN0001", "97110")
    again = _authorize(simulator, "PIN0001", "97110")
    assert first.status == "approved"
    assert first.certification_number == again.certification_number
    assert first.certification_number.startswith("TBC")
    assert len(first.certification_number) == 13
    assert (first.effective_from, first.effective_to) == (
        dt.date(2026, 3, 10),
        dt.date(2026, 6, 8),
    )
    assert [(d.code, d.status) for d in first.decisions] == [("97110", "A1")]


@pytest.mark.parametrize(
    ("codes", "status", "decisions"),
    [
        (("64483",), "denied", ["A3"]),
        (("70553",), "pending", ["A4"]),
        (("99213",), "not_required", ["NA"]),
        (("97110", "64483"), "partial", ["A1", "A3"]),
    ],
)
def test_rules_decide_each_service(
    simulator: RunningSimulator, codes: tuple[str, ...], status: str, decisions: list[str]
) -> None:
    response = _authorize(simulator, "PIN0001", *codes)
    assert response.status == status
    assert [d.status for d in response.decisions] == decisions


def test_an_unknown_member_is_rejected_not_decided(simulator: RunningSimulator) -> None:
    response = _authorize(simulator, "GONE0001", "97110")
    assert response.status == "rejected"
    assert [r.code for r in response.rejections] == ["75"]
    assert response.decisions == ()


def test_the_configuration_refuses_what_it_cannot_answer() -> None:
    unknown_plan = copy.deepcopy(TEST_PLANS)
    unknown_plan["members"] = [{"payer_id": "TESTBC", "member_id": "X", "plan_id": "PLATINUM"}]
    bad_override = copy.deepcopy(TEST_PLANS)
    bad_override["members"] = [
        {"payer_id": "TESTBC", "member_id": "X", "overrides": {"deductible_left": "1"}}
    ]
    bad_fault = copy.deepcopy(TEST_PLANS)
    bad_fault["members"] = [{"payer_id": "TESTBC", "member_id": "X", "fault": {"explode": 1}}]
    messages = []
    for broken in (unknown_plan, bad_override, bad_fault, {"payers": []}):
        with pytest.raises(ConfigError) as refused:
            config_from_dict(broken)
        messages.append(str(refused.value))
    assert messages == [
        "payer TESTBC has no plan 'PLATINUM'",
        "member X: unknown overrides ['deductible_left']",
        "member X: unknown fault settings ['explode']",
        "the configuration names no payers",
    ]


def test_the_shipped_demo_plans_load_and_answer() -> None:
    # Given the demo plans shipped with the package
    config = load_config()
    assert default_config_path().name == "demo_plans.json"
    assert [p.payer_id for p in config.payers] == ["SIMBC1", "SIMMCR", "SIMMCD"]
    # When the demo member with a pinned deductible is checked
    with start_simulator(config.with_credentials("office", "correct horse")) as running:
        answer = connect(settings_for(running)).exchange_realtime(
            x12_270("LBC100200300", payer_id="SIMBC1"), payload_type=PayloadType.X12_270_REQUEST
        )
    [response] = read_271(answer.payload)
    # Then the demo figures come back
    assert (response.active, response.plan_name) == (True, "Lakeshore Gold PPO")
    remaining = [
        b.amount
        for b in response.benefits
        if (b.code, b.coverage_level, b.time_period, b.in_network) == ("C", "IND", "29", True)
    ]
    assert remaining == [650]


def test_the_command_refuses_a_missing_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["payer-sim", "--config", str(tmp_path / "none.json"), "--port", "0"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.startswith(f"payer-sim: {tmp_path / 'none.json'}: ")


def test_the_command_wants_both_tls_files(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["payer-sim", "--tls-cert", "cert.pem"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == "payer-sim: --tls-cert and --tls-key go together\n"


def test_the_demo_plans_are_valid_json_with_synthetic_members_only() -> None:
    data = json.loads(default_config_path().read_text())
    assert {m["payer_id"] for m in data["members"]} <= {p["payer_id"] for p in data["payers"]}
