"""Malformed files are refused with plain words, never half read."""

from __future__ import annotations

import pytest

from medoffice.interchange.x12 import X12Error, build_270, build_271, read_270, read_271

from .factories import fixture, ids, request, response


def _271() -> str:
    return build_271(request(), response(), ids(7))


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_a_valid_file_reads() -> None:
    assert len(read_271(_271())) == 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: "", "does not start with an ISA segment"),
        (lambda t: t[:80], "The ISA segment is cut short: it must be 106 characters"),
        (lambda t: _replace(t, "*SUBMITTER01    *", "*SUBMITTER01  *"), "fixed 106 characters"),
        (lambda t: t[:104] + "^" + t[105:], "inconsistent separators"),
        (lambda t: t.replace("*00501*", "*00401*", 1), "version 00401, not 5010"),
        (lambda t: t[:106].replace("*", "|") + t[106:], "The segment after the ISA is not GS"),
        (lambda t: t.replace("SE*30*0007", "SE*29*0007"), "SE01 says transaction set 0007 has 29"),
        (lambda t: t.replace("SE*30*0007", "SE*30*0008"), "SE02 control number 0008 does not"),
        (lambda t: t.replace("GE*1*7", "GE*2*7"), "GE01 says 2 transaction sets"),
        (lambda t: t.replace("GE*1*7", "GE*1*8"), "GE02 control number 8 does not match GS06 7"),
        (lambda t: t.replace("IEA*1*000000007", "IEA*1*000000009"), "IEA02 control number"),
        (lambda t: t.replace("IEA*1*000000007", "IEA*2*000000007"), "IEA01 says 2 functional"),
        (lambda t: t[: t.index("SE*")], "no SE segment"),
        (lambda t: t[: t.index("GE*")], "no GE segment"),
        (lambda t: t[: t.index("IEA*")], "before the IEA segment"),
        (lambda t: t.replace("SE*30*0007~", "", 1), "has no SE segment before this GE"),
        (lambda t: t.replace("SE*30", "SE*X0"), "SE01 (number of included segments) must be"),
        (lambda t: t.replace("BHT*0022*11", "XYZ*0022*11"), "has no BHT segment"),
        (lambda t: t.replace("BHT*0022*11", "BHT*0022*13"), "is not the header"),
        (lambda t: t.replace("NM1*IL", "NM1*QQ"), "has no NM1*IL name segment"),
        (lambda t: t.replace("HL*3*2*", "HL*3*9*"), "names parent 9, which does not come"),
        (lambda t: t.replace("HL*3*2*", "HL*2*2*"), "HL01 '2' is missing or used twice"),
        (lambda t: t.replace("EB*C", "eb*C"), "'eb' is not a valid segment identifier"),
        (lambda t: t.replace("*1500*", "*15O0*"), "EB07 benefit amount: '15O0' is not a number"),
        (lambda t: t.replace("20250101", "20251301"), "is not a real calendar date"),
        (lambda t: t + "GS*HB~", "Unexpected GS segment after the IEA"),
    ],
)
def test_malformed_271_is_refused(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    text = mutate(_271())

    with pytest.raises(X12Error) as caught:
        read_271(text)

    assert message in caught.value.message


def test_error_names_the_segment() -> None:
    text = _271().replace("SE*30*0007", "SE*29*0007")

    with pytest.raises(X12Error) as caught:
        read_271(text)

    assert caught.value.segment_id == "SE"
    assert caught.value.segment_index == 31
    assert str(caught.value).endswith("[at segment 32 (SE)]")


def test_counts_stay_errors_even_when_not_strict() -> None:
    text = _271().replace("SE*30*0007", "SE*27*0007")

    with pytest.raises(X12Error, match="SE01 says"):
        read_271(text, strict=False)


def test_line_breaks_after_terminators_are_tolerated() -> None:
    text = _271()

    assert read_271(text.replace("~", "~\r\n")) == read_271(text)
    assert read_271(fixture("ppo_active.271"))[0].active is True


def test_two_interchanges_in_one_file_are_both_read() -> None:
    first = build_271(request(), response(), ids(7))
    second = build_271(request(trace_number="T2"), response(trace_numbers=("T2",)), ids(8))

    responses = read_271(first + "\n" + second)

    assert [r.trace_numbers for r in responses] == [("TRACE0001",), ("T2",)]


def test_other_separators_are_honoured() -> None:
    text = build_270(request(service_types=("30", "98")), ids())
    swapped = text.replace("*", "|").replace("^", "!").replace(":", "\\").replace("~", "'")

    assert read_270(swapped) == read_270(text)


def test_a_270_reader_refuses_a_271() -> None:
    with pytest.raises(X12Error, match=r"read_270 reads 270 .* holds transaction set 271"):
        read_270(_271())
