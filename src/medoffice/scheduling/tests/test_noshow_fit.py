"""Logistic regression by Newton's method, and the measures of a fitted model (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from medoffice.scheduling.rules import noshow_fit


def _synthetic(rows: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.normal(size=rows), rng.integers(0, 2, size=rows).astype(float)])
    logit = -2.0 + 0.8 * x[:, 0] + 1.2 * x[:, 1]
    y = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(float)
    return x, y


def test_the_fit_recovers_known_coefficients() -> None:
    # given data drawn from known log-odds
    x, y = _synthetic(40_000)
    # when
    fitted = noshow_fit.fit_logistic(x, y, ["lead", "new"], l2=0.0)
    # then
    assert fitted.intercept == pytest.approx(-2.0, abs=0.06)
    assert fitted.coefficients["lead"] == pytest.approx(0.8, abs=0.05)
    assert fitted.coefficients["new"] == pytest.approx(1.2, abs=0.07)
    assert fitted.iterations < 15


def test_the_penalty_shrinks_coefficients_but_not_the_intercept() -> None:
    x, y = _synthetic(2_000)
    loose = noshow_fit.fit_logistic(x, y, ["lead", "new"], l2=0.0)
    tight = noshow_fit.fit_logistic(x, y, ["lead", "new"], l2=5_000.0)
    assert abs(tight.coefficients["lead"]) < abs(loose.coefficients["lead"]) / 2
    assert tight.intercept == pytest.approx(np.log(y.mean() / (1 - y.mean())), abs=0.15)


def test_a_feature_that_never_occurs_gets_no_weight() -> None:
    x, y = _synthetic(1_000)
    x = np.column_stack([x, np.zeros(len(y))])
    fitted = noshow_fit.fit_logistic(x, y, ["lead", "new", "never"], l2=1.0)
    assert fitted.coefficients["never"] == pytest.approx(0.0, abs=1e-9)


def test_predict_uses_coefficients_by_name() -> None:
    fitted = noshow_fit.Fitted(intercept=0.0, coefficients={"b": 2.0}, iterations=1)
    p = noshow_fit.predict(fitted, np.array([[5.0, 0.0], [0.0, 1.0]]), ["a", "b"])
    assert p == pytest.approx([0.5, 1 / (1 + np.exp(-2.0))])


def test_brier_score() -> None:
    p = np.array([0.1, 0.9, 0.5])
    y = np.array([0.0, 1.0, 1.0])
    assert noshow_fit.brier(p, y) == pytest.approx((0.01 + 0.01 + 0.25) / 3)


def test_auc_counts_ties_as_half() -> None:
    y = np.array([0.0, 0.0, 1.0, 1.0])
    assert noshow_fit.auc(np.array([0.1, 0.2, 0.3, 0.4]), y) == 1.0
    assert noshow_fit.auc(np.array([0.4, 0.3, 0.2, 0.1]), y) == 0.0
    assert noshow_fit.auc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5
    assert noshow_fit.auc(np.array([0.1, 0.3, 0.3, 0.4]), y) == pytest.approx(0.875)
    assert np.isnan(noshow_fit.auc(np.array([0.1, 0.2]), np.array([0.0, 0.0])))


def test_calibration_bands() -> None:
    p = np.array([0.02, 0.04, 0.12, 0.14, 0.6, 1.0])
    y = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    assert noshow_fit.calibration(p, y) == [
        {"band": "0%-5%", "predicted": 0.03, "observed": 0.0, "count": 2},
        {"band": "10%-15%", "predicted": 0.13, "observed": 0.5, "count": 2},
        {"band": "50%-100%", "predicted": 0.8, "observed": 1.0, "count": 2},
    ]
