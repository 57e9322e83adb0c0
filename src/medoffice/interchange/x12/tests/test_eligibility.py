"""Building 270s and 271s, and reading them back."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from medoffice.interchange.x12 import (
    Benefit,
    OtherPayer,
    Party,
    Rejection,
    X12Error,
    build_270,
    build_270_batch,
    build_271,
    read_270,
    read_271,
    summarize_271,
)

from .factories import DR_WELBY, PCP, PROVIDER, child, ids, request, response, subscriber


def _segments(text: str) -> list[str]:
    return text.split("~")[:-1]


def test_270_follows_the_guide() -> None:
    # given a subscriber inquiry for two service types
    req = request(service_types=("30", "98"))

    # when it is built
    segments = _segments(build_270(req, ids(42)))

    # then envelope, BHT, HL levels, TRN, DTP*291 and one EQ per type are as the guide says
    assert len(segments[0]) + 1 == 106
    assert segments == [
        "ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*ACMEHEALTH     *250304*0930*^*00501"
        "*000000042*0*P*:",
        "GS*HS*SUBMITTER01*ACMEHEALTH*20250304*0930*42*X*005010X279A1",
        "ST*270*0042*005010X279A1",
        "BHT*0022*13*TRACE0001*20250304*0930",
        "HL*1**20*1",
        "NM1*PR*2*ACME HEALTH PLAN*****PI*60054",
        "HL*2*1*21*1",
        "NM1*1P*2*RIVERSIDE FAMILY MEDICINE*****XX*1234567893",
        "HL*3*2*22*0",
        "TRN*1*TRACE0001*9123456789",
        "NM1*IL*1*DOE*JANE****MI*W123456789",
        "DMG*D8*19800314*F",
        "DTP*291*D8*20250304",
        "EQ*30",
        "EQ*98",
        "SE*14*0042",
        "GE*1*42",
        "IEA*1*000000042",
    ]


def test_270_for_a_dependent_puts_the_patient_in_2000d() -> None:
    req = request(dependent=child(), subscriber=subscriber(group_number="GRP100200"))

    segments = _segments(build_270(req, ids()))

    body = segments[segments.index("HL*3*2*22*1") :]
    assert body[:10] == [
        "HL*3*2*22*1",
        "NM1*IL*1*DOE*JANE****MI*W123456789",
        "REF*6P*GRP100200",
        "DMG*D8*19800314*F",
        "HL*4*3*23*0",
        "TRN*1*TRACE0001*9123456789",
        "NM1*03*1*DOE*LILY",
        "DMG*D8*20120615*F",
        "INS*N*19",
        "DTP*291*D8*20250304",
    ]


@pytest.mark.parametrize(
    "req",
    [
        request(),
        request(service_types=("30", "98", "47", "86", "UC", "MH"), originator_id="1999999999"),
        request(dependent=child(), subscriber=subscriber(group_number="GRP1", suffix="JR")),
        request(provider=DR_WELBY, subscriber=subscriber(address=("1 A ST", "APT 2", "X, IL 1"))),
    ],
)
def test_270_round_trip(req) -> None:  # type: ignore[no-untyped-def]
    assert read_270(build_270(req, ids())) == [req]


def test_270_batch_is_one_transaction_with_a_2000c_per_request() -> None:
    requests = [
        request(trace_number="T1"),
        request(trace_number="T2", subscriber=subscriber(first_name="JOHN", member_id="W2")),
        request(trace_number="T3", dependent=child()),
        request(trace_number="T4", provider=DR_WELBY),
    ]

    text = build_270_batch(requests, ids(5))

    assert text.count("ST*270") == 1
    assert [s for s in _segments(text) if s.startswith("HL")] == [
        "HL*1**20*1",
        "HL*2*1*21*1",
        "HL*3*2*22*0",
        "HL*4*2*22*0",
        "HL*5*2*22*1",
        "HL*6*5*23*0",
        "HL*7*1*21*1",
        "HL*8*7*22*0",
    ]
    assert "BHT*0022*13*0005*20250304*0930" in text
    assert read_270(text) == requests


def test_270_writers_refuse_what_they_cannot_write() -> None:
    with pytest.raises(X12Error, match="at least one service type"):
        build_270(request(service_types=()), ids())
    with pytest.raises(X12Error, match="contains an X12 separator"):
        build_270(request(subscriber=subscriber(last_name="O*BRIEN")), ids())
    with pytest.raises(X12Error, match="interchange_control_number must be between"):
        build_270(request(), ids(0))
    with pytest.raises(X12Error, match="sender_id must be 1 to 15 characters"):
        build_270(request(), ids(sender_id="X" * 16))
    with pytest.raises(X12Error, match="first name is required"):
        build_270(request(subscriber=subscriber(first_name="")), ids())
    with pytest.raises(X12Error, match="at least one request"):
        build_270_batch([], ids())


def test_271_round_trip_gives_back_the_figures() -> None:
    # given a payer's answer with copays, deductibles, a PCP, dates and messages
    req = request()
    resp = response(req)

    # when it is written as a 271 and read back
    [back] = read_271(build_271(req, resp, ids()))

    # then the figures are the same (the PCP named in a 2120 loop is found, and the group
    # number written in REF*6P is the subscriber's too)
    expected = dataclasses.replace(
        resp, pcp=PCP, subscriber=dataclasses.replace(resp.subscriber, group_number="GRP100200")
    )
    assert back == expected
    assert summarize_271(back) == summarize_271(expected)


def test_271_round_trip_for_a_dependent_with_other_payers() -> None:
    req = request(dependent=child(), trace_number="T9")
    medicaid = Benefit(
        "R",
        ("30",),
        insurance_type="MC",
        plan_description="MEDICAID MANAGED CARE",
        references=(("NQ", "SH5544"),),
        related=(
            Party("SUNSHINE HEALTH", id_qualifier="PI", identifier="68069", entity_code="Y2"),
        ),
    )
    resp = response(
        req,
        benefits=(Benefit("1", ("30",), "FAM", "PR", "GOLD"), medicaid),
        plan_name="GOLD",
        plan_end=None,
        trace_numbers=("T9",),
    )

    [back] = read_271(build_271(req, resp, ids()))

    assert back.dependent == req.dependent
    assert back.subscriber == dataclasses.replace(req.subscriber, group_number="GRP100200")
    assert back.other_payers == (
        OtherPayer("SUNSHINE HEALTH", "68069", "SH5544", "MC", medicaid_managed_care=True),
    )
    assert back.benefits == resp.benefits
    assert back.trace_numbers == ("T9",)
    assert back.plan_begin == date(2025, 1, 1)


@pytest.mark.parametrize("loop", ["2100C", "2100D"])
def test_271_with_a_rejection_writes_the_aaa_and_no_eb(loop: str) -> None:
    req = request(dependent=child() if loop == "2100D" else None)
    rejection = Rejection(loop, "72", "C", False, "Member ID not found.", False)
    resp = response(req, rejections=(rejection,), active=None)

    text = build_271(req, resp, ids())
    [back] = read_271(text)

    assert "AAA*N**72*C" in text
    assert "EB*" not in text
    assert back.benefits == ()
    assert back.active is None
    assert [(r.loop, r.code, r.follow_up) for r in back.rejections] == [(loop, "72", "C")]


def test_271_with_a_payer_level_rejection_stops_at_the_provider() -> None:
    req = request()
    rejection = Rejection("2100A", "42", "R", True, "", True)

    text = build_271(req, response(req, rejections=(rejection,)), ids())
    [back] = read_271(text)

    assert "HL*3" not in text
    assert "HL*2*1*21*0" in text
    assert [(r.loop, r.code, r.retry_may_help) for r in back.rejections] == [("2100A", "42", True)]


def test_271_writer_refuses_a_value_with_a_separator() -> None:
    req = request()
    bad = Benefit("B", ("98",), messages=("COPAY~25",))

    with pytest.raises(X12Error, match="'COPAY~25'"):
        build_271(req, response(req, benefits=(bad,)), ids())


def test_eb03_repetitions_and_eb12_w_are_read() -> None:
    req = request()
    benefit = Benefit("B", ("98", "UC"), amount=Decimal("40"))
    text = build_271(req, response(req, benefits=(benefit,)), ids())
    text = text.replace("EB*B**98^UC***27", "EB*B**98^UC").replace("*40~", "*40*****W~")

    [back] = read_271(text)

    assert back.benefits[0].service_types == ("98", "UC")
    assert back.benefits[0].in_network is None
    assert summarize_271(back)["copay_office_visit"] == "40.00"
    assert summarize_271(back)["copay_office_visit_out_of_network"] == "40.00"


def test_provider_default_originator_is_9_and_the_npi_cut_to_10() -> None:
    text = build_271(request(provider=PROVIDER), response(), ids())

    assert "TRN*2*TRACE0001*9123456789~" in text
