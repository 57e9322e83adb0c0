"""Our 270s and 271s pass an independent validator (linuxforhealth-x12), which fails bad ones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from medoffice.interchange.x12 import Benefit, Party, build_270, build_270_batch, build_271

from .factories import DR_WELBY, FIXTURES, child, ids, request, response, subscriber
from .validator import validate

SEVERAL = ("30", "98", "47", "86", "UC", "MH")


def _assert_valid(text: str, tmp_path: Path) -> None:
    valid, output = validate(text, tmp_path)
    assert valid, output


@pytest.mark.parametrize(
    "req",
    [
        request(),
        request(dependent=child()),
        request(provider=DR_WELBY, subscriber=subscriber(group_number="GRP1")),
        request(dependent=child(), service_types=("98",)),
    ],
)
def test_our_270_validates(req, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _assert_valid(build_270(req, ids()), tmp_path)


def test_our_270_with_several_service_types_in_one_eq_validates(tmp_path: Path) -> None:
    _assert_valid(build_270(request(service_types=SEVERAL), ids(), eq_repetition=True), tmp_path)


def test_our_270_batch_to_two_payers_validates(tmp_path: Path) -> None:
    # one 2000C per 2000A: the only batch hierarchy this validator follows (see the xfails below)
    other_payer = Party("GLOBEX INSURANCE", id_qualifier="PI", identifier="77777", entity_code="PR")
    batch = [
        request(trace_number="T1", service_types=SEVERAL),
        request(trace_number="T2", payer=other_payer, dependent=child(), service_types=SEVERAL),
    ]
    text = build_270_batch(batch, ids(3), eq_repetition=True)

    assert text.count("ST*270") == 1
    _assert_valid(text, tmp_path)


@pytest.mark.xfail(
    strict=True,
    reason="linuxforhealth-x12 0.57 models a single 2110C loop per subscriber, although X279A1 "
    "lets it repeat (one EQ per service type)",
)
def test_validator_limit_one_eq_per_service_type(tmp_path: Path) -> None:
    _assert_valid(build_270(request(service_types=SEVERAL), ids()), tmp_path)


HL_BUG = (
    "linuxforhealth-x12 0.57 wants each HL's parent to be the HL just before it, so it refuses "
    "a second 2000C under one 2000B, or a second 2000B under one 2000A"
)


@pytest.mark.xfail(strict=True, reason=HL_BUG)
def test_validator_limit_two_subscribers_under_one_provider(tmp_path: Path) -> None:
    batch = [request(trace_number="T1"), request(trace_number="T2", subscriber=subscriber())]
    _assert_valid(build_270_batch(batch, ids()), tmp_path)


@pytest.mark.xfail(strict=True, reason=HL_BUG)
def test_validator_limit_two_providers_under_one_payer(tmp_path: Path) -> None:
    batch = [request(trace_number="T1"), request(trace_number="T2", provider=DR_WELBY)]
    _assert_valid(build_270_batch(batch, ids()), tmp_path)


def _benefits_without_eb09() -> tuple[Benefit, ...]:
    return tuple(b for b in response().benefits if not b.quantity_qualifier)


@pytest.mark.parametrize("kind", ["subscriber", "dependent", "medicaid"])
def test_our_271_validates(kind: str, tmp_path: Path) -> None:
    req = request(dependent=child() if kind == "dependent" else None)
    benefits = _benefits_without_eb09()
    if kind == "medicaid":
        mco = Party("SUNSHINE HEALTH", id_qualifier="PI", identifier="68069", entity_code="Y2")
        medicaid = Benefit(
            "R", ("30",), insurance_type="MC", references=(("NQ", "SH1"),), related=(mco,)
        )
        benefits = (*benefits, medicaid)

    _assert_valid(build_271(req, response(req, benefits=benefits), ids()), tmp_path)


@pytest.mark.xfail(
    strict=True, reason="linuxforhealth-x12 0.57 types EB09 (quantity qualifier) as a number"
)
def test_validator_limit_eb09_quantity_qualifier(tmp_path: Path) -> None:
    visits = Benefit("F", ("98",), quantity_qualifier="VS", quantity=Decimal(30))
    _assert_valid(build_271(request(), response(benefits=(visits,)), ids()), tmp_path)


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in FIXTURES.glob("*.271")
        if not p.name.startswith("reject_7") and not p.name.startswith("reject_58")
    ),
)
def test_our_271_fixtures_validate(name: str, tmp_path: Path) -> None:
    # (the 2100C AAA fixtures are left out: linuxforhealth checks 2100C AAA codes against the
    # 2100B list, where 72, 73, 75 and 58 are missing)
    _assert_valid((FIXTURES / name).read_text(), tmp_path)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("SE*13*", "SE*14*"),  # wrong segment count
        ("EQ*30", "EQ*"),  # EQ without a service type
        ("HL*3*2*22*0", "HL*3*2*22*1"),  # says a dependent follows, none does
    ],
)
def test_the_validator_refuses_a_broken_270(old: str, new: str, tmp_path: Path) -> None:
    text = build_270(request(service_types=("30",)), ids())
    assert old in text

    valid, output = validate(text.replace(old, new), tmp_path)

    assert not valid, output


def test_missing_validator_skips_but_fails_under_ci(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from . import validator

    monkeypatch.setattr(validator, "PYTHON", tmp_path / "no-such-python")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match=r"install-x12-validators\.sh"):
        validator.require_validator()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        validator.require_validator()
