"""The estimate rule without a database: copay, deductible, coinsurance, out-of-pocket cap."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from medoffice.insurance.rules.estimate import (
    Benefits,
    PlannedLine,
    estimate,
    self_pay_estimate,
)

VISIT = [PlannedLine("99213", "Office visit, established", 1, D("128.40"))]
NEW_AND_EKG = [
    PlannedLine("99204", "Office visit, new", 1, D("212.00")),
    PlannedLine("93000", "EKG", 1, D("31.15")),
]


def test_copay_visit_owes_the_copay_only():
    result = estimate(VISIT, Benefits(copay=D("25"), deductible_remaining=D("650")))
    assert (result.patient_owes, result.plan_pays, result.deductible) == (
        D("25.00"),
        D("103.40"),
        D("0.00"),
    )


def test_copay_above_the_allowed_amount_is_capped_at_it():
    result = estimate(VISIT, Benefits(copay=D("150")))
    assert result.patient_owes == D("128.40")


def test_deductible_then_coinsurance():
    benefits = Benefits(coinsurance=D("0.2"), deductible_remaining=D("100"))
    result = estimate(NEW_AND_EKG, benefits)
    # 243.15 allowed: 100.00 deductible, 20 % of 143.15 = 28.63
    assert (result.deductible, result.coinsurance, result.patient_owes) == (
        D("100.00"),
        D("28.63"),
        D("128.63"),
    )
    assert result.steps[-1] == "Coinsurance 20 % of $143.15: $28.63"


def test_high_deductible_swallows_the_visit():
    result = estimate(NEW_AND_EKG, Benefits(coinsurance=D("0.3"), deductible_remaining=D("2800")))
    assert (result.patient_owes, result.plan_pays) == (D("243.15"), D("0.00"))


def test_out_of_pocket_left_caps_the_share():
    benefits = Benefits(
        coinsurance=D("0.2"), deductible_remaining=D("500"), out_of_pocket_remaining=D("40")
    )
    result = estimate(NEW_AND_EKG, benefits)
    assert (result.patient_owes, result.capped_by_out_of_pocket) == (D("40.00"), True)


def test_unknown_figures_are_named_not_guessed():
    result = estimate(VISIT, Benefits())
    assert result.unknowns == ("deductible left", "coinsurance")
    assert result.patient_owes == D("0.00")


def test_self_pay_is_the_whole_price():
    result = self_pay_estimate(NEW_AND_EKG)
    assert (result.patient_owes, result.self_pay) == (D("243.15"), True)


money = st.decimals(min_value=0, max_value=20_000, places=2, allow_nan=False)


@given(
    amounts=st.lists(money, min_size=1, max_size=5),
    copay=st.none() | money,
    coinsurance=st.none() | st.decimals(min_value=0, max_value=1, places=2),
    deductible=st.none() | money,
    oop=st.none() | money,
)
def test_share_is_never_negative_nor_above_the_allowed_total(
    amounts, copay, coinsurance, deductible, oop
):
    lines = [PlannedLine(f"9921{i}", "", 1, amount) for i, amount in enumerate(amounts)]
    result = estimate(lines, Benefits(copay, coinsurance, deductible, oop))
    assert D("0") <= result.patient_owes <= result.allowed_total
    assert result.patient_owes + result.plan_pays == result.allowed_total
    if oop is not None:
        assert result.patient_owes <= oop
    assert result.patient_owes == result.patient_owes.quantize(D("0.01"))
