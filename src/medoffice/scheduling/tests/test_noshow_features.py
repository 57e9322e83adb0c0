"""The no-show model's features, priors without leakage, explanations and the overbook hint
(pure functions, no database)."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo

import pytest

from medoffice.scheduling.rules import noshow_features as nf

NY = zoneinfo.ZoneInfo("America/New_York")
WEDNESDAY_0830 = dt.datetime(2026, 12, 2, 8, 30, tzinfo=NY)


def _facts(**overrides: object) -> nf.VisitFacts:
    values: dict[str, object] = {
        "starts_local": WEDNESDAY_0830,
        "lead_days": 34.0,
        "type_code": "follow-up",
        "new_patient": False,
        "prior_no_shows": 2,
        "prior_kept": 3,
    }
    values.update(overrides)
    return nf.VisitFacts(**values)  # type: ignore[arg-type]


def test_features_of_one_visit() -> None:
    # when
    values = nf.features(_facts(), ["follow-up", "sick"])
    # then
    assert values == {
        "lead_time": pytest.approx(math.log1p(34)),
        "prior_no_shows": 2.0,
        "prior_no_show_rate": pytest.approx(0.4),
        "new_patient": 0.0,
        "weekday_wed": 1.0,
        "hour_early": 1.0,
        "type_follow-up": 1.0,
    }


def test_an_uncommon_type_and_a_first_visit() -> None:
    values = nf.features(
        _facts(type_code="stress-test", prior_no_shows=0, prior_kept=0, new_patient=True),
        ["follow-up"],
    )
    assert values["type_other"] == 1.0
    assert "type_stress-test" not in values
    assert values["prior_no_show_rate"] == 0.0
    assert values["new_patient"] == 1.0


def test_prior_no_shows_are_capped() -> None:
    assert nf.features(_facts(prior_no_shows=9), [])["prior_no_shows"] == nf.MAX_PRIOR


@pytest.mark.parametrize(
    ("hour", "band"), [(7, "early"), (8, "early"), (9, "morning"), (12, "midday"), (15, "late")]
)
def test_hour_bands(hour: int, band: str) -> None:
    assert nf.hour_band(hour) == band


def test_lead_days_never_negative() -> None:
    booked = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
    assert nf.lead_days(booked, booked - dt.timedelta(hours=1)) == 0.0
    assert nf.lead_days(booked, booked + dt.timedelta(days=2, hours=12)) == 2.5


def test_common_types_by_share() -> None:
    codes = ["sick"] * 50 + ["follow-up"] * 45 + ["ekg"] * 4 + ["rare"] * 1
    assert nf.common_types(codes, share=0.03) == ["ekg", "follow-up", "sick"]
    assert nf.common_types(codes, share=0.03, most=2) == ["follow-up", "sick"]


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=dt.UTC)


def test_running_priors_count_only_earlier_visits() -> None:
    # given patient 1 misses, keeps, then comes again; patient 2 has two visits at one instant
    visits = [
        (1, _at(1), True),
        (2, _at(2), False),
        (2, _at(2), True),
        (1, _at(3), False),
        (1, _at(4), True),
        (2, _at(5), False),
    ]
    # when
    priors = nf.running_priors(visits)
    # then each visit sees only what happened before it started (never itself, never later)
    assert priors == [(0, 0), (0, 0), (0, 0), (1, 0), (1, 1), (1, 1)]


def test_prior_outcomes_from_a_history() -> None:
    history = {7: ([_at(1), _at(3), _at(5)], [True, False, True])}
    assert nf.prior_outcomes(history, 7, before=_at(5)) == (1, 1)
    assert nf.prior_outcomes(history, 7, before=_at(6)) == (2, 1)
    assert nf.prior_outcomes(history, 7, before=_at(1)) == (0, 0)
    assert nf.prior_outcomes(history, 8, before=_at(6)) == (0, 0)


def test_probability_matches_the_logistic_function() -> None:
    coefficients = {"lead_time": 0.5, "new_patient": 1.0}
    values = {"lead_time": 2.0, "new_patient": 1.0}
    assert nf.probability(coefficients, -3.0, values) == pytest.approx(1 / (1 + math.exp(1.0)))
    assert nf.probability({}, 800.0, {}) == pytest.approx(1.0)
    assert nf.probability({}, -800.0, {}) == pytest.approx(0.0)


def test_explain_names_the_strongest_features_with_direction() -> None:
    coefficients = {
        "lead_time": 0.4,
        "prior_no_shows": 0.3,
        "prior_no_show_rate": 0.5,
        "weekday_wed": -0.2,
        "hour_early": 0.01,
        "type_follow-up": 0.1,
    }
    # when
    words = nf.explain(coefficients, _facts(), ["follow-up"], {"follow-up": "Follow-up"}, top=4)
    # then lead 0.4*log(35)=1.42, prior 0.6, rate 0.2, Wednesday -0.2 (tie broken by name)
    assert words == [
        "lead time 34 days (+)",
        "2 prior no-shows (+)",
        "missed 2 of 5 past visits (+)",
        "on a Wednesday (-)",
    ]


def test_explain_leaves_out_tiny_effects_and_says_same_day() -> None:
    coefficients = {"lead_time": 0.4, "hour_early": 0.01, "type_follow-up": -0.3}
    facts = _facts(lead_days=0.2, prior_no_shows=0, prior_kept=0)
    assert nf.explain(coefficients, facts, ["follow-up"], {"follow-up": "Follow-up"}) == [
        "Follow-up (-)",
        "booked the same day (+)",
    ]


def test_overbook_suggested_when_someone_is_likely_missing() -> None:
    assert nf.overbook_suggested([0.35], threshold=0.3)
    assert not nf.overbook_suggested([0.1], threshold=0.3)
    assert nf.overbook_suggested([0.2, 0.15], threshold=0.3)  # 1 - 0.8*0.85 = 0.32
    assert not nf.overbook_suggested([], threshold=0.3)
    assert not nf.overbook_suggested([-1.0], threshold=0.3)
