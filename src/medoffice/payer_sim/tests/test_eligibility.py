"""The simulator's 271s, read back with the X12 package exactly as the desk will read them.

Every request goes through the real CORE client on loopback.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from medoffice.integrations.clearinghouses import PayloadType, connect
from medoffice.interchange.x12 import (
    EligibilityResponse,
    Person,
    read_271,
    summarize_271,
)
from medoffice.payer_sim import RunningSimulator
from medoffice.payer_sim.figures import remaining
from medoffice.payer_sim.tests.support import PINNED, settings_for, simulator_config, x12_270


def _ask(simulator: RunningSimulator, member_id: str, **changes: object) -> EligibilityResponse:
    answer = connect(settings_for(simulator)).exchange_realtime(
        x12_270(member_id, **changes), payload_type=PayloadType.X12_270_REQUEST
    )
    [response] = read_271(answer.payload)
    return response


def test_a_listed_member_gets_exactly_the_configured_figures(simulator: RunningSimulator) -> None:
    # Given a member of the Gold PPO with every remaining figure pinned
    # When the desk checks eligibility
    summary = summarize_271(_ask(simulator, "PIN0001"))
    # Then the 271 carries the plan's figures and the pinned remaining amounts, to the cent
    assert {key: summary[key] for key in PINNED} == PINNED
    assert {
        key: summary[key]
        for key in (
            "active",
            "plan",
            "insurance_type",
            "group_number",
            "plan_begin",
            "plan_end",
            "copay_office_visit",
            "coinsurance_in_network",
            "coinsurance_out_of_network",
            "deductible_individual_in_network",
            "deductible_family_in_network",
            "oop_individual_in_network",
            "oop_family_in_network",
            "deductible_individual_out_of_network",
            "oop_family_out_of_network",
            "pcp",
            "other_payers",
            "rejections",
        )
    } == {
        "active": True,
        "plan": "Test Gold PPO",
        "insurance_type": "PR",
        "group_number": "GRP-777",
        "plan_begin": "2026-01-01",
        "plan_end": None,
        "copay_office_visit": "25.00",
        "coinsurance_in_network": "0.20",
        "coinsurance_out_of_network": "0.40",
        "deductible_individual_in_network": "1500.00",
        "deductible_family_in_network": "3000.00",
        "oop_individual_in_network": "6000.00",
        "oop_family_in_network": "12000.00",
        "deductible_individual_out_of_network": "3000.00",
        "oop_family_out_of_network": "24000.00",
        "pcp": None,
        "other_payers": [],
        "rejections": [],
    }


def test_copays_per_service_type_and_the_specialist_visit(simulator: RunningSimulator) -> None:
    response = _ask(simulator, "PIN0001")
    copays = [
        (b.service_types, b.amount, b.time_period, b.in_network, b.messages)
        for b in response.benefits
        if b.code == "B"
    ]
    assert copays == [
        (("98",), Decimal("25.00"), "27", True, ()),
        (("98",), Decimal("50.00"), "27", True, ("SPECIALIST OFFICE VISIT",)),
        (("UC",), Decimal("75.00"), "27", True, ()),
    ]


def test_unlisted_figures_come_from_the_member_id_and_stay_put(
    simulator: RunningSimulator,
) -> None:
    # Given two members the configuration does not list
    first = summarize_271(_ask(simulator, "NEW0000001"))
    again = summarize_271(_ask(simulator, "NEW0000001"))
    other = summarize_271(_ask(simulator, "NEW0000002"))
    # Then each is active on the payer's first plan, with figures derived from the ID
    plan = simulator_config().payers[0].plans[0]
    derived = remaining(plan, "TESTBC", "NEW0000001")
    assert first == again
    assert (first["active"], first["plan"]) == (True, "Test Gold PPO")
    assert first["deductible_remaining_individual_in_network"] == str(
        derived.get("deductible_remaining_individual_in_network")
    )
    assert first["oop_remaining_family_out_of_network"] == str(
        derived.get("oop_remaining_family_out_of_network")
    )
    keys = [key for key in PINNED if key.endswith("_in_network")]
    assert [first[k] for k in keys] != [other[k] for k in keys]


@pytest.mark.parametrize("member_id", [f"M{n:05d}" for n in range(40)])
def test_derived_figures_are_consistent(member_id: str) -> None:
    plan = simulator_config().payers[0].plans[0]
    left = remaining(plan, "TESTBC", member_id)
    for network in ("in_network", "out_of_network"):
        ded_ind = left.get(f"deductible_remaining_individual_{network}")
        ded_fam = left.get(f"deductible_remaining_family_{network}")
        oop_ind = left.get(f"oop_remaining_individual_{network}")
        oop_fam = left.get(f"oop_remaining_family_{network}")
        assert None not in (ded_ind, ded_fam, oop_ind, oop_fam)
        assert ded_ind is not None
        assert ded_fam is not None
        assert oop_ind is not None
        assert oop_fam is not None
        assert Decimal(0) <= ded_ind <= ded_fam
        assert Decimal(0) <= oop_ind <= oop_fam
        # What went to the deductible counts toward the out-of-pocket maximum too.
        ded_total = getattr(plan.deductible_individual, network)
        oop_total = getattr(plan.oop_individual, network)
        assert oop_total - oop_ind >= ded_total - ded_ind


def test_a_member_not_found_is_an_aaa_75_with_the_desks_words(
    simulator: RunningSimulator,
) -> None:
    summary = summarize_271(_ask(simulator, "GONE0001"))
    assert summary["active"] is None
    assert summary["rejections"] == [
        {
            "code": "75",
            "explanation": "Subscriber not found: check the member ID, name and date of birth "
            "against the card.",
            "follow_up": "C",
            "follow_up_words": "Please correct and resubmit",
            "retry_may_help": False,
            "loop": "2100C",
        }
    ]


def test_an_unknown_payer_id_is_rejected_at_the_payer_loop(simulator: RunningSimulator) -> None:
    response = _ask(simulator, "PIN0001", payer_id="NOSUCHPAYER")
    assert [(r.loop, r.code, r.follow_up) for r in response.rejections] == [("2100A", "79", "C")]
    assert response.active is None


def test_a_payer_that_cannot_answer_says_retry(simulator: RunningSimulator) -> None:
    response = _ask(simulator, "BUSY0001")
    assert [(r.code, r.retry_may_help) for r in response.rejections] == [("42", True)]


def test_demographics_that_do_not_match_are_rejected(simulator: RunningSimulator) -> None:
    from datetime import date

    wrong_birth = _ask(simulator, "PIN0001", birth_date=date(1982, 3, 15))
    wrong_name = _ask(simulator, "PIN0001", last_name="RIVERO")
    assert [r.code for r in wrong_birth.rejections] == ["71"]
    assert [r.code for r in wrong_name.rejections] == ["73"]


def test_coverage_that_ended_is_inactive_with_its_end_date(simulator: RunningSimulator) -> None:
    inactive = summarize_271(_ask(simulator, "OLD0001"))
    ended = summarize_271(_ask(simulator, "ENDED0001"))
    ending = summarize_271(_ask(simulator, "ENDING0001"))
    assert (inactive["active"], inactive["plan_begin"], inactive["plan_end"]) == (
        False,
        "2025-01-01",
        "2025-12-31",
    )
    assert (ended["active"], ended["plan_end"]) == (False, "2026-02-28")
    assert (ending["active"], ending["plan_end"]) == (True, "2026-06-30")


def test_an_hmo_names_the_primary_care_provider(simulator: RunningSimulator) -> None:
    response = _ask(simulator, "HMO0001", service_types=("30", "98", "AL"))
    summary = summarize_271(response)
    assert summary["pcp"] == {
        "name": "OKAFOR, ADAEZE",
        "id_qualifier": "XX",
        "identifier": "1234567893",
    }
    assert [b.service_types for b in response.benefits if b.code == "I"] == [("AL",)]


def test_other_coverage_names_the_medicaid_managed_care_plan(simulator: RunningSimulator) -> None:
    summary = summarize_271(_ask(simulator, "DUAL0001"))
    assert summary["other_payers"] == [
        {
            "name": "SUNRISE COMMUNITY HEALTH PLAN",
            "payer_id": "SCHP1",
            "member_id": "SCH555",
            "insurance_type": "MC",
            "insurance_type_name": "Medicaid",
            "coverage_level": "",
            "medicaid_managed_care": True,
            "primary": False,
        }
    ]


def test_a_dependent_is_answered_for_as_the_patient(simulator: RunningSimulator) -> None:
    from datetime import date

    child = Person(last_name="RIVERA", first_name="LUCIA", birth_date=date(2015, 6, 1))
    response = _ask(simulator, "PIN0001", dependent=child)
    assert response.dependent is not None
    assert (response.dependent.first_name, response.active) == ("LUCIA", True)
    assert response.subscriber.member_id == "PIN0001"
