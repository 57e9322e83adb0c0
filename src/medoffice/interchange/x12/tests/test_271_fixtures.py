"""read_271 and summarize_271 on payer-style 271s written for these tests (fixtures/*.271)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from medoffice.interchange.x12 import OtherPayer, Party, read_271, summarize_271

from .factories import fixture


def _one(name: str):  # type: ignore[no-untyped-def]
    responses = read_271(fixture(name))
    assert len(responses) == 1
    return responses[0]


def test_active_ppo_gives_copay_coinsurance_deductible_and_oop_with_remaining() -> None:
    # given a PPO answer with office copay, coinsurance, deductibles and OOP maximums
    response = _one("ppo_active.271")

    # when the desk's summary is made
    summary = summarize_271(response)

    # then every figure is exact
    assert response.active is True
    assert response.plan_name == "GOLD PPO 1500"
    assert response.insurance_type == "PR"
    assert response.group_number == "GRP100200"
    assert response.plan_begin == date(2025, 1, 1)
    assert response.plan_end == date(2025, 12, 31)
    assert response.trace_numbers == ("TRACE0001",)
    assert response.subscriber.member_id == "W123456789"
    assert response.subscriber.address == ("12 ELM STREET", "SPRINGFIELD, IL 62701")
    assert len(response.benefits) == 15
    assert summary["active"] is True
    assert summary["plan"] == "GOLD PPO 1500"
    assert summary["copay_office_visit"] == "25.00"
    assert summary["copay_office_visit_out_of_network"] == "60.00"
    assert summary["coinsurance_in_network"] == "0.20"
    assert summary["coinsurance_out_of_network"] == "0.40"
    assert summary["deductible_individual_in_network"] == "1500.00"
    assert summary["deductible_remaining_individual_in_network"] == "650.00"
    assert summary["deductible_family_in_network"] == "3000.00"
    assert summary["deductible_remaining_family_in_network"] == "2100.00"
    assert summary["deductible_individual_out_of_network"] == "3000.00"
    assert summary["deductible_remaining_individual_out_of_network"] == "3000.00"
    assert summary["deductible_family_out_of_network"] is None
    assert summary["oop_individual_in_network"] == "6000.00"
    assert summary["oop_remaining_individual_in_network"] == "4200.50"
    assert summary["oop_family_in_network"] == "12000.00"
    assert summary["oop_remaining_family_in_network"] == "9750.00"
    assert summary["oop_individual_out_of_network"] is None
    assert summary["group_number"] == "GRP100200"
    assert summary["plan_begin"] == "2025-01-01"
    assert summary["plan_end"] == "2025-12-31"
    assert summary["pcp"] is None
    assert summary["rejections"] == []
    assert summary["messages"] == [
        "COPAY APPLIES PER OFFICE VISIT",
        "OUT OF POCKET MAXIMUM INCLUDES DEDUCTIBLE",
    ]
    benefits = summary["benefits"]
    assert isinstance(benefits, dict)
    assert benefits["98"] == {
        "name": "Professional (Physician) Visit - Office",
        "active": None,
        "copay_in_network": "25.00",
        "copay_out_of_network": "60.00",
        "coinsurance_in_network": None,
        "coinsurance_out_of_network": None,
        "authorization_required": None,
        "messages": ["COPAY APPLIES PER OFFICE VISIT"],
    }


def test_inactive_coverage_reads_as_not_active_with_its_end_date() -> None:
    response = _one("inactive.271")

    summary = summarize_271(response)

    assert response.active is False
    assert response.plan_name == "SILVER PPO"
    assert response.plan_begin == date(2020, 1, 1)
    assert response.plan_end == date(2024, 12, 31)
    assert response.benefits[0].code == "6"
    assert response.benefits[0].messages == ("COVERAGE TERMINATED 12/31/2024",)
    assert summary["active"] is False
    assert summary["copay_office_visit"] is None
    assert summary["deductible_individual_in_network"] is None


def test_hmo_names_the_pcp_from_the_2120c_loop() -> None:
    response = _one("hmo_pcp.271")

    summary = summarize_271(response)

    assert response.pcp == Party(
        "WELBY",
        "MARCUS",
        "A",
        entity_type="1",
        id_qualifier="XX",
        identifier="1234567893",
        entity_code="P3",
    )
    assert response.insurance_type == "HM"
    assert response.other_payers == ()
    assert summary["pcp"] == {
        "name": "WELBY, MARCUS",
        "id_qualifier": "XX",
        "identifier": "1234567893",
    }
    # EB12 W applies in and out of network
    assert summary["copay_office_visit"] == "15.00"
    assert summary["copay_office_visit_out_of_network"] == "15.00"
    benefits = summary["benefits"]
    assert isinstance(benefits, dict)
    assert benefits["UC"]["copay_in_network"] == "50.00"
    assert benefits["UC"]["authorization_required"] is True
    assert benefits["98"]["active"] is True


def test_medicare_part_b_has_deductible_and_20_percent_coinsurance_but_no_copay() -> None:
    response = _one("medicare_part_b.271")

    summary = summarize_271(response)

    assert response.payer.identifier == "CMS"
    assert response.insurance_type == "MB"
    assert response.active is True
    assert response.subscriber.member_id == "1EG4TE5MK73"
    assert response.plan_begin == date(2017, 6, 1)
    assert response.plan_end is None
    assert summary["insurance_type_name"] == "Medicare Part B"
    assert summary["copay_office_visit"] is None
    assert summary["coinsurance_in_network"] == "0.20"
    assert summary["coinsurance_out_of_network"] == "0.20"
    assert summary["deductible_individual_in_network"] == "257.00"
    assert summary["deductible_remaining_individual_in_network"] == "257.00"
    assert response.benefits[1].dates == (("291", "20250101-20251231"),)


def test_high_deductible_plan_gives_remaining_in_and_out_of_network_family_and_individual() -> None:
    response = _one("hdhp.271")

    summary = summarize_271(response)

    assert response.plan_begin == date(2025, 1, 1)
    assert response.plan_end == date(2025, 12, 31)
    assert response.group_number == "HSA2025"
    assert summary["copay_office_visit"] is None
    assert summary["coinsurance_in_network"] == "0.10"
    assert summary["coinsurance_out_of_network"] == "0.30"
    assert summary["deductible_individual_in_network"] == "3200.00"
    assert summary["deductible_remaining_individual_in_network"] == "2900.00"
    assert summary["deductible_family_in_network"] == "6400.00"
    assert summary["deductible_remaining_family_in_network"] == "5800.00"
    assert summary["deductible_individual_out_of_network"] == "6400.00"
    assert summary["deductible_remaining_individual_out_of_network"] == "6400.00"
    assert summary["deductible_family_out_of_network"] == "12800.00"
    assert summary["deductible_remaining_family_out_of_network"] == "12000.00"
    assert summary["oop_individual_in_network"] == "7000.00"
    assert summary["oop_remaining_individual_in_network"] == "6100.00"
    assert summary["oop_family_in_network"] == "14000.00"
    assert summary["oop_remaining_family_in_network"] == "12200.00"
    assert summary["oop_individual_out_of_network"] == "14000.00"
    assert summary["oop_remaining_individual_out_of_network"] == "13500.00"


def _rejection_case(name: str, code: str, words: str) -> None:
    response = _one(name)
    summary = summarize_271(response)
    assert response.active is None
    assert response.benefits == ()
    assert len(response.rejections) == 1
    rejection = response.rejections[0]
    assert rejection.loop == "2100C"
    assert rejection.code == code
    assert rejection.follow_up == "C"
    assert rejection.valid_request is False
    assert rejection.retry_may_help is False
    assert rejection.explanation == words
    assert summary["rejections"] == [
        {
            "code": code,
            "explanation": words,
            "follow_up": "C",
            "follow_up_words": "Please correct and resubmit",
            "retry_may_help": False,
            "loop": "2100C",
        }
    ]


def test_rejection_72_invalid_member_id() -> None:
    _rejection_case(
        "reject_72_member_id.271",
        "72",
        "Member ID not found or invalid: check the card and the ID typed, then check again.",
    )


def test_rejection_75_subscriber_not_found() -> None:
    _rejection_case(
        "reject_75_not_found.271",
        "75",
        "Subscriber not found: check the member ID, name and date of birth against the card.",
    )


def test_rejection_73_invalid_name() -> None:
    _rejection_case(
        "reject_73_name.271",
        "73",
        "The subscriber's name does not match: check the spelling against the card.",
    )


def test_rejection_58_invalid_date_of_birth() -> None:
    _rejection_case(
        "reject_58_dob.271",
        "58",
        "The date of birth is invalid or missing: check the date of birth against the card.",
    )


def test_rejection_42_at_the_payer_means_a_retry_may_help() -> None:
    response = _one("reject_42_2100a.271")

    assert response.subscriber.last_name == ""
    assert response.trace_numbers == ()
    assert [(r.loop, r.code, r.follow_up, r.retry_may_help) for r in response.rejections] == [
        ("2100A", "42", "R", True)
    ]
    assert response.rejections[0].explanation == (
        "The payer cannot answer right now: check again later."
    )


def test_several_service_types_each_with_their_copay() -> None:
    response = _one("service_types.271")

    summary = summarize_271(response)
    benefits = summary["benefits"]

    assert isinstance(benefits, dict)
    assert list(benefits) == ["30", "98", "47", "86", "UC", "MH"]
    copays = {code: benefits[code]["copay_in_network"] for code in benefits}
    assert copays == {
        "30": "0.00",
        "98": "30.00",
        "47": "250.00",
        "86": "150.00",
        "UC": "50.00",
        "MH": "20.00",
    }
    assert benefits["47"]["coinsurance_in_network"] == "0.15"
    assert benefits["47"]["messages"] == ["PER ADMISSION"]
    assert benefits["86"]["messages"] == ["WAIVED IF ADMITTED"]
    assert benefits["MH"]["authorization_required"] is True
    assert benefits["MH"]["active"] is True
    assert summary["copay_office_visit"] == "30.00"
    assert summarize_271(response, "UC")["copay_office_visit"] == "50.00"
    # a service type the payer did not list falls back to 30
    assert summarize_271(response, "AL")["copay_office_visit"] == "0.00"


def test_medicaid_managed_care_plan_named_as_other_payer() -> None:
    response = _one("medicaid_mco.271")

    summary = summarize_271(response)

    assert response.insurance_type == "MC"
    assert response.plan_begin == date(2025, 1, 1)
    assert response.other_payers == (
        OtherPayer(
            name="SUNSHINE HEALTH",
            payer_id="68069",
            member_id="SH55443322",
            insurance_type="MC",
            medicaid_managed_care=True,
        ),
        OtherPayer(
            name="AETNA",
            payer_id="60054",
            member_id="W9988776655",
            insurance_type="C1",
            medicaid_managed_care=False,
            primary=True,
        ),
    )
    assert summary["other_payers"] == [
        {
            "name": "SUNSHINE HEALTH",
            "payer_id": "68069",
            "member_id": "SH55443322",
            "insurance_type": "MC",
            "insurance_type_name": "Medicaid",
            "coverage_level": "",
            "medicaid_managed_care": True,
            "primary": None,
        },
        {
            "name": "AETNA",
            "payer_id": "60054",
            "member_id": "W9988776655",
            "insurance_type": "C1",
            "insurance_type_name": "Commercial",
            "coverage_level": "",
            "medicaid_managed_care": False,
            "primary": True,
        },
    ]


def test_dependent_answer_in_2000d_with_year_to_date_deductible() -> None:
    response = _one("dependent_child.271")

    summary = summarize_271(response)

    assert response.subscriber.last_name == "DOE"
    assert response.subscriber.first_name == "JOHN"
    assert response.dependent is not None
    assert response.dependent.first_name == "LILY"
    assert response.dependent.relationship == "19"
    assert response.dependent.birth_date == date(2012, 6, 15)
    assert response.trace_numbers == ("TRACE0002",)
    assert response.group_number == "GRP100200"
    assert response.benefits[1].amount == Decimal("25")
    assert summary["copay_office_visit"] == "25.00"
    assert summary["deductible_family_in_network"] == "3000.00"
    # no EB06 29 sent: remaining is the total less the year to date (24)
    assert summary["deductible_remaining_family_in_network"] == "2100.00"
