"""``desk_figures`` (used to store many 271s) gives exactly ``summarize_271``'s four figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from medoffice.interchange.x12 import desk_figures, read_271, summarize_271

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.271"))
KEYS = (
    "copay_office_visit",
    "coinsurance_in_network",
    "deductible_remaining_individual_in_network",
    "oop_remaining_individual_in_network",
)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
@pytest.mark.parametrize("service_type", ["98", "30", "MH"])
def test_the_four_figures_match_the_summary(path: Path, service_type: str) -> None:
    for response in read_271(path.read_text()):
        summary = summarize_271(response, service_type)
        figures = desk_figures(response, service_type)
        as_text = {k: None if v is None else summary_money(v) for k, v in figures.items()}
        assert as_text == {k: summary[k] for k in KEYS}


def summary_money(value: Decimal) -> str:
    from medoffice.interchange.x12.eligibility_summary import money

    return str(money(value))


def test_the_ppo_fixture_has_its_figures() -> None:
    (response,) = read_271((Path(__file__).parent / "fixtures" / "ppo_active.271").read_text())
    figures = desk_figures(response)
    assert figures["copay_office_visit"] == Decimal("25")
    assert figures["deductible_remaining_individual_in_network"] == Decimal("650")
