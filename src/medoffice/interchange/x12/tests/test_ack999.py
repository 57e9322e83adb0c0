"""999 acknowledgments: built for what we received, read for what we sent."""

from __future__ import annotations

import pytest

from medoffice.interchange.x12 import (
    Acknowledgment,
    TransactionAck,
    X12Error,
    build_270,
    build_270_batch,
    build_999,
    read_999,
)

from .factories import ids, request


def test_build_999_accepting_a_270_follows_x231() -> None:
    original = build_270(request(), ids(12))

    text = build_999(original, ids(40, sender_id="ACMEHEALTH", receiver_id="SUBMITTER01"))

    assert text.split("~")[1:-1] == [
        "GS*FA*ACMEHEALTH*SUBMITTER01*20250304*0930*40*X*005010X231A1",
        "ST*999*0040*005010X231A1",
        "AK1*HS*12*005010X279A1",
        "AK2*270*0012*005010X279A1",
        "IK5*A",
        "AK9*A*1*1*1",
        "SE*6*0040",
        "GE*1*40",
        "IEA*1*000000040",
    ]
    assert read_999(text) == [
        Acknowledgment(
            group_control_number="12",
            functional_id="HS",
            status="A",
            accepted=True,
            transactions=(TransactionAck("270", "0012", "A", ()),),
            version="005010X279A1",
            included=1,
            received=1,
            accepted_count=1,
        )
    ]


def test_build_999_rejecting_says_why_in_codes() -> None:
    original = build_270_batch([request(), request(trace_number="T2")], ids(3))

    [ack] = read_999(build_999(original, ids(4), reject_reason="1"))

    assert ack.accepted is False
    assert ack.status == "R"
    assert ack.accepted_count == 0
    assert ack.transactions == (
        TransactionAck("270", "0003", "R", ("Transaction set: transaction set not supported.",)),
    )


def test_free_text_reject_reason_is_sent_as_segments_in_error() -> None:
    [ack] = read_999(build_999(build_270(request(), ids()), ids(2), reject_reason="no such plan"))

    assert ack.transactions[0].errors == ("Transaction set: one or more segments in error.",)


def test_element_errors_name_the_element() -> None:
    text = build_999(build_270(request(), ids()), ids(2), reject_reason="5")
    text = text.replace(
        "IK5*R*5", "IK3*NM1*9*2100C*8~IK4*9*67*1~CTX*SITUATIONAL TRIGGER*NM1*9~IK5*R*5"
    ).replace("SE*6*", "SE*9*")

    [ack] = read_999(text)

    assert ack.transactions[0].errors == (
        "Segment NM1 at position 9 in loop 2100C: segment has data element errors.",
        "Element NM109 (data element 67): required data element missing.",
        "Transaction set: one or more segments in error.",
    )


def test_read_999_refuses_a_999_without_ak9() -> None:
    text = build_999(build_270(request(), ids()), ids(2))
    text = text.replace("AK9*A*1*1*1~", "").replace("SE*6*", "SE*5*")

    with pytest.raises(X12Error, match="has no AK9 group status"):
        read_999(text)


def test_build_999_refuses_a_broken_original() -> None:
    broken = build_270(request(), ids()).replace("SE*13*", "SE*12*")

    with pytest.raises(X12Error, match="SE01 says"):
        build_999(broken, ids(2))
