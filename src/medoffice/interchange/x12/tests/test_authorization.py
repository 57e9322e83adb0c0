"""278 prior authorization (005010X217): request and response, built and read back.

No offline validator exists for the 278, so these tests check the structure the implementation
guide lays down: BHT*0007, HL 20/21/22(/23)/EV/SS, TRN, UM, HCR, REF*BB, DTP, HI, SV1, HSD, MSG.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from medoffice.interchange.x12 import (
    AuthorizationResponse,
    Party,
    Rejection,
    ServiceDecision,
    X12Error,
    build_278_request,
    build_278_response,
    read_271,
    read_278_request,
    read_278_response,
)

from .factories import authorization_request, child, ids


def _segments(text: str) -> list[str]:
    return text.split("~")[:-1]


def _approved(**overrides: object) -> AuthorizationResponse:
    values: dict[str, object] = {
        "trace_numbers": ("PA20250304001",),
        "status": "partial",
        "certification_number": "CERT778899",
        "effective_from": date(2025, 3, 10),
        "effective_to": date(2025, 4, 9),
        "decisions": (
            ServiceDecision("72148", "A1", "CERT778899", None, "MRI approved."),
            ServiceDecision("97110", "A2", "CERT778900", Decimal(8), "8 of 12 visits.", "0U"),
        ),
        "rejections": (),
        "explanation": "Partly approved, 8 of 12 therapy visits.",
    }
    values.update(overrides)
    return AuthorizationResponse(**values)  # type: ignore[arg-type]


def test_278_request_follows_the_guide() -> None:
    segments = _segments(build_278_request(authorization_request(), ids(9)))

    assert len(segments[0]) + 1 == 106
    assert segments[1:] == [
        "GS*HI*SUBMITTER01*ACMEHEALTH*20250304*0930*9*X*005010X217",
        "ST*278*0009*005010X217",
        "BHT*0007*13*PA20250304001*20250304*0930",
        "HL*1**20*1",
        "NM1*X3*2*ACME HEALTH PLAN UM*****PI*60054",
        "HL*2*1*21*1",
        "NM1*1P*2*RIVERSIDE FAMILY MEDICINE*****XX*1234567893",
        "HL*3*2*22*1",
        "NM1*IL*1*DOE*JANE****MI*W123456789",
        "DMG*D8*19800314*F",
        "HL*4*3*EV*1",
        "TRN*1*PA20250304001*9123456789",
        "UM*HS*I*2*11:B",
        "DTP*AAH*RD8*20250310-20250409",
        "HI*ABK:M5416*ABF:M5126",
        "NM1*SJ*2*RIVERSIDE FAMILY MEDICINE*****XX*1234567893",
        "HL*5*4*SS*0",
        "UM*HS*I",
        "DTP*472*RD8*20250310-20250409",
        "SV1*HC:72148**UN*1",
        "HL*6*4*SS*0",
        "UM*HS*I*PT",
        "DTP*472*RD8*20250310-20250409",
        "SV1*HC:97110:GP**UN*12",
        "SE*24*0009",
        "GE*1*9",
        "IEA*1*000000009",
    ]


@pytest.mark.parametrize(
    "req",
    [
        authorization_request(),
        authorization_request(
            dependent=child(),
            service_provider=Party(
                "ELM IMAGING CENTER", id_qualifier="XX", identifier="1003000126", entity_code="SJ"
            ),
        ),
        authorization_request(
            services=(),
            from_date=date(2025, 3, 10),
            to_date=None,
            request_category="AR",
            facility_code="21",
            service_type="48",
        ),
        authorization_request(diagnoses=(), originator_id="1123456789"),
    ],
)
def test_278_request_round_trip(req) -> None:  # type: ignore[no-untyped-def]
    assert read_278_request(build_278_request(req, ids())) == [req]


def test_278_request_writes_diagnoses_without_the_dot() -> None:
    req = authorization_request(diagnoses=("M54.16",))

    [back] = read_278_request(build_278_request(req, ids()))

    assert back.diagnoses == ("M5416",)


def test_278_partial_approval_round_trip() -> None:
    req = authorization_request()
    resp = _approved()

    text = build_278_response(req, resp, ids(10))

    assert "BHT*0007*11*PA20250304001*20250304*0930" in text
    assert "TRN*2*PA20250304001*9123456789~UM*HS*I*2*11:B~HCR*A2*CERT778899~" in text
    assert "DTP*007*D8*20250310~DTP*036*D8*20250409~" in text
    assert (
        "HCR*A2*CERT778900*0U~DTP*472*RD8*20250310-20250409~SV1*HC:97110:GP**UN*12~HSD*FL*8~"
        in text
    )
    assert read_278_response(text) == [resp]


@pytest.mark.parametrize(
    ("status", "hcr"),
    [
        ("approved", "A1"),
        ("denied", "A3"),
        ("pending", "A4"),
        ("modified", "A6"),
        ("cancelled", "C"),
        ("contact_payer", "CT"),
        ("not_required", "NA"),
    ],
)
def test_278_event_status_maps_to_hcr01(status: str, hcr: str) -> None:
    resp = _approved(status=status, decisions=(), explanation="")

    text = build_278_response(authorization_request(), resp, ids())
    [back] = read_278_response(text)

    assert f"HCR*{hcr}*CERT778899~" in text
    assert back.status == status
    assert back.decisions == ()
    assert back.certification_number == "CERT778899"
    assert back.explanation.endswith("; certification number CERT778899.")


def test_278_denial_explanation_in_plain_words_when_no_msg() -> None:
    resp = _approved(
        status="denied",
        certification_number="",
        explanation="",
        reason_code="0A",
        decisions=(),
        effective_from=None,
        effective_to=None,
    )

    [back] = read_278_response(build_278_response(authorization_request(), resp, ids()))

    assert back.explanation == "Denied (not certified) (reason code 0A)."
    assert back.reason_code == "0A"
    assert (back.effective_from, back.effective_to) == (None, None)


def test_278_rejected_at_the_subscriber_stops_there() -> None:
    rejection = Rejection("2010C", "75", "C", False, "Subscriber not found.", False)
    resp = _approved(
        status="rejected",
        decisions=(),
        rejections=(rejection,),
        explanation="",
        certification_number="",
        effective_from=None,
        effective_to=None,
        trace_numbers=(),
    )

    text = build_278_response(authorization_request(), resp, ids())
    [back] = read_278_response(text)

    assert "HL*4" not in text
    assert "HCR" not in text
    assert _segments(text)[-7:-3] == [
        "HL*3*2*22*0",
        "NM1*IL*1*DOE*JANE****MI*W123456789",
        "AAA*N**75*C",
        "DMG*D8*19800314*F",
    ]
    assert back.status == "rejected"
    assert [(r.loop, r.code) for r in back.rejections] == [("2010C", "75")]
    assert back.explanation == (
        "Subscriber not found: check the member ID, name and date of birth against the card."
    )


def test_278_rejected_at_the_event_keeps_the_event_without_a_decision() -> None:
    rejection = Rejection("2000E", "AF", "C", True, "", False)
    resp = _approved(
        status="rejected",
        decisions=(),
        rejections=(rejection,),
        explanation="Diagnosis missing, resend with ICD-10 codes.",
        certification_number="",
        effective_from=None,
        effective_to=None,
    )

    [back] = read_278_response(build_278_response(authorization_request(), resp, ids()))

    assert back == dataclasses.replace(
        resp,
        rejections=(
            dataclasses.replace(
                rejection, explanation="Diagnosis code(s) invalid or missing: check the diagnoses."
            ),
        ),
    )


def test_278_response_for_a_dependent() -> None:
    req = authorization_request(dependent=child())

    text = build_278_response(req, _approved(), ids())

    assert "HL*4*3*23*1~NM1*QC*1*DOE*LILY~DMG*D8*20120615*F~INS*N*19~HL*5*4*EV*1" in text
    assert read_278_response(text) == [_approved()]


def test_278_readers_check_what_they_read() -> None:
    request_text = build_278_request(authorization_request(), ids())
    response_text = build_278_response(authorization_request(), _approved(), ids())

    with pytest.raises(X12Error, match="BHT"):
        read_278_response(request_text)
    with pytest.raises(X12Error, match="BHT"):
        read_278_request(response_text)
    with pytest.raises(X12Error, match="holds transaction set 278"):
        read_271(request_text)
    with pytest.raises(X12Error, match="no SV1/SV2 service line"):
        read_278_request(request_text.replace("SV1*HC:72148**UN*1", "SVX*HC:72148**UN*1"))
    with pytest.raises(X12Error, match="no patient event level"):
        read_278_request(request_text.replace("*EV*", "*XX*"))


def test_278_writers_refuse_bad_values() -> None:
    with pytest.raises(X12Error, match="Unknown authorization status 'maybe'"):
        build_278_response(authorization_request(), _approved(status="maybe"), ids())
    with pytest.raises(X12Error, match="needs at least one rejection"):
        build_278_response(authorization_request(), _approved(status="rejected"), ids())
    with pytest.raises(X12Error, match="contains an X12 separator"):
        build_278_response(authorization_request(), _approved(explanation="Note: call"), ids())
    with pytest.raises(X12Error, match="at most 12 diagnoses"):
        build_278_request(
            authorization_request(diagnoses=tuple(f"Z{i:03d}" for i in range(13))), ids()
        )
    with pytest.raises(X12Error, match="requesting provider's NPI"):
        build_278_request(authorization_request(requester=Party("NO NPI CLINIC")), ids())
