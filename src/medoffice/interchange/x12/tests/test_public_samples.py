"""Our readers on real X12 files published by other projects (../shared/fixtures/x12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from medoffice.interchange.x12 import (
    Acknowledgment,
    Party,
    Person,
    TransactionAck,
    X12Error,
    read_270,
    read_271,
    read_999,
    summarize_271,
)

LFH = "linuxforhealth"


def test_subscriber_270_sample(shared_x12: Path) -> None:
    text = (
        shared_x12 / LFH / "270_005010X279A1" / "subscriber-health-benefit-check.270"
    ).read_text()

    [request] = read_270(text)

    assert request.trace_number == "93175-012547"
    assert request.originator_id == "9877281234"
    assert request.payer == Party(
        "ABC COMPANY", id_qualifier="PI", identifier="842610001", entity_code="PR"
    )
    assert request.provider == Party(
        "BONE AND JOINT CLINIC", id_qualifier="SV", identifier="2000035", entity_code="1P"
    )
    assert request.subscriber == Person(
        "SMITH", "ROBERT", member_id="11122333301", birth_date=date(1943, 5, 19)
    )
    assert request.dependent is None
    assert request.service_date == date(2006, 5, 1)
    assert request.service_types == ("30",)


def test_dependent_270_sample(shared_x12: Path) -> None:
    text = (
        shared_x12 / LFH / "270_005010X279A1" / "dependent-health-benefit-check.270"
    ).read_text()

    [request] = read_270(text)

    assert request.subscriber == Person("", "", member_id="11122333301")
    assert request.dependent == Person("SMITH", "MARY", birth_date=date(1978, 10, 14))
    assert request.provider.entity_type == "1"
    assert (request.provider.name, request.provider.first_name) == ("JONES", "MARCUS")


@pytest.mark.parametrize(
    "name", ["subscriber-health-benefit-check.271", "dependent-health-benefit-check.271"]
)
def test_271_samples(shared_x12: Path, name: str) -> None:
    text = (shared_x12 / LFH / "271_005010X279A1" / name).read_text()

    [response] = read_271(text)
    summary = summarize_271(response)

    assert response.trace_numbers == ("93175-012547",)
    assert response.active is True
    assert response.plan_name == "GOLD 123 PLAN"
    assert response.insurance_type == "HM"
    assert response.plan_begin == date(2006, 1, 1)
    assert response.subscriber.member_id == "123456789"
    assert response.pcp == Party(
        "JONES",
        "MARCUS",
        entity_type="1",
        id_qualifier="SV",
        identifier="0202034",
        entity_code="P3",
    )
    assert response.benefits[2].service_types == (
        "1",
        "33",
        "35",
        "47",
        "86",
        "88",
        "98",
        "AL",
        "MH",
        "UC",
    )
    assert [(b.code, b.amount, b.in_network) for b in response.benefits[3:]] == [
        ("B", Decimal("10.00"), True),
        ("B", Decimal("30.00"), False),
    ]
    assert summary["copay_office_visit"] == "10.00"
    assert summary["copay_office_visit_out_of_network"] == "30.00"
    if name.startswith("dependent"):
        assert response.dependent is not None
        assert response.dependent.first_name == "MARY"
        assert response.dependent.relationship == "19"
    else:
        assert response.dependent is None


def test_271_error_sample_has_an_se02_defect_refused_by_default(shared_x12: Path) -> None:
    # given the public sample whose SE02 (4323) does not match its ST02 (4321)
    path = shared_x12 / LFH / "271_005010X279A1" / "subscriber-health-benefit-check-error.271"
    text = path.read_text()

    # when it is read strictly, it is refused with plain words naming the SE
    with pytest.raises(X12Error) as caught:
        read_271(text)
    assert caught.value.message == "SE02 control number 4323 does not match ST02 4321."
    assert caught.value.segment_id == "SE"
    assert caught.value.segment_index == 9

    # and when told to tolerate control numbers, the AAA at 2100B comes through
    [response] = read_271(text, strict=False)
    assert response.warnings == ("SE02 control number 4323 does not match ST02 4321.",)
    assert response.active is None
    assert [(r.loop, r.code, r.follow_up, r.valid_request) for r in response.rejections] == [
        ("2100B", "50", "N", True)
    ]
    assert response.rejections[0].retry_may_help is False
    assert response.provider.name == "BONE AND JOIN CLINIC"


def test_999_rejected_sample(shared_x12: Path) -> None:
    text = (shared_x12 / "imsweb" / "837_5010" / "x12_999_rejected.txt").read_text()

    assert read_999(text) == [
        Acknowledgment(
            group_control_number="28",
            functional_id="HC",
            status="R",
            accepted=False,
            transactions=(
                TransactionAck(
                    "837",
                    "0028",
                    "R",
                    (
                        "Segment NM at position 17: unrecognized segment ID.",
                        "Transaction set: one or more segments in error.",
                    ),
                ),
            ),
            version="005010X223A2",
            included=1,
            received=1,
            accepted_count=0,
        )
    ]


def test_999_accepted_sample_has_an_iea02_defect(shared_x12: Path) -> None:
    text = (shared_x12 / "imsweb" / "837_5010" / "x12_999_accepted.txt").read_text()

    with pytest.raises(X12Error) as caught:
        read_999(text)
    assert caught.value.message == "IEA02 control number 000000001 does not match ISA13 000000286."

    [ack] = read_999(text, strict=False)
    assert ack == Acknowledgment(
        group_control_number="17456",
        functional_id="HC",
        status="A",
        accepted=True,
        transactions=(TransactionAck("837", "0001", "A", ()),),
        version="005010X223A2",
        included=1,
        received=1,
        accepted_count=1,
        warnings=("IEA02 control number 000000001 does not match ISA13 000000286.",),
    )


def test_read_271_refuses_an_837(shared_x12: Path) -> None:
    text = (shared_x12 / LFH / "837_005010X222A2" / "demo.example1.837").read_text()

    with pytest.raises(X12Error) as caught:
        read_271(text)

    assert caught.value.message == (
        "read_271 reads 271 (eligibility response), but this file holds transaction set 837 "
        "(claim)."
    )
    assert caught.value.segment_id == "ST"


@pytest.mark.parametrize("name", ["x12_valid.txt", "x12_valid_different_separators.txt"])
def test_4010_style_repetition_separator_u_is_refused(shared_x12: Path, name: str) -> None:
    # given files whose ISA11 is "U" (4010) although ISA12 says 00501
    text = (shared_x12 / "imsweb" / "837_5010" / name).read_text()

    with pytest.raises(X12Error, match="ISA11 is 'U', not a separator"):
        read_271(text)


def test_file_without_isa_is_refused(shared_x12: Path) -> None:
    text = (shared_x12 / "imsweb" / "837_5010" / "x12_no_isa_line.txt").read_text()

    with pytest.raises(X12Error, match="does not start with an ISA"):
        read_271(text)
