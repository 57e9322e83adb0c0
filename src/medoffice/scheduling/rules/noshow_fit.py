"""Logistic regression with an L2 penalty, fitted by Newton's method (IRLS), and the measures
that say whether its risks can be trusted: Brier score, AUC and calibration bands.

Plain numpy: a practice's history is a few thousand to a few hundred thousand visits and a
couple of dozen features, so each Newton step is one small d x d solve and the fit converges
in under ten steps. The intercept is not penalized.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
BANDS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.30, 0.50, 1.0)


@dataclass(frozen=True)
class Fitted:
    intercept: float
    coefficients: dict[str, float]
    iterations: int


def sigmoid(z: Floats) -> Floats:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


def fit_logistic(
    x: Floats, y: Floats, names: Sequence[str], *, l2: float = 1.0, max_iterations: int = 50
) -> Fitted:
    """Coefficients minimizing log-loss + l2/2 * |w|^2 over the rows of ``x`` (no intercept
    column: it is added here)."""
    rows = x.shape[0]
    design = np.hstack([np.ones((rows, 1)), x])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    weights = np.zeros(design.shape[1])
    weights[0] = _log_odds(float(y.mean())) if rows else 0.0
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        p = sigmoid(design @ weights)
        gradient = design.T @ (p - y) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        hessian[np.diag_indices_from(hessian)] += 1e-9  # a never-seen feature stays solvable
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    coefficients = {name: float(w) for name, w in zip(names, weights[1:], strict=True)}
    return Fitted(float(weights[0]), coefficients, iterations)


def _log_odds(rate: float) -> float:
    rate = min(max(rate, 1e-6), 1 - 1e-6)
    return float(np.log(rate / (1 - rate)))


def predict(fitted: Fitted, x: Floats, names: Sequence[str]) -> Floats:
    w = np.array([fitted.coefficients.get(name, 0.0) for name in names])
    return sigmoid(fitted.intercept + x @ w)


def brier(p: Floats, y: Floats) -> float:
    """Mean squared error of the predicted risks (0 is perfect; lower is better)."""
    return float(np.mean((p - y) ** 2)) if len(y) else float("nan")


def auc(p: Floats, y: Floats) -> float:
    """Chance that a random no-show scored higher than a random kept visit (ties count half)."""
    positives = int(y.sum())
    negatives = len(y) - positives
    if not positives or not negatives:
        return float("nan")
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sorted_p = p[order]
    i = 0
    while i < len(p):  # average ranks over ties
        j = i
        while j + 1 < len(p) and sorted_p[j + 1] == sorted_p[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positive_ranks = float(ranks[y == 1].sum())
    return (positive_ranks - positives * (positives + 1) / 2) / (positives * negatives)


def calibration(p: Floats, y: Floats, edges: Sequence[float] = BANDS) -> list[dict[str, object]]:
    """Per band of predicted risk: the mean predicted, the share that really missed, how many."""
    bands: list[dict[str, object]] = []
    for low, high in itertools.pairwise(edges):
        inside = (p >= low) & ((p < high) if high < 1.0 else (p <= high))
        count = int(inside.sum())
        if not count:
            continue
        bands.append(
            {
                "band": f"{low:.0%}-{high:.0%}",
                "predicted": round(float(p[inside].mean()), 4),
                "observed": round(float(y[inside].mean()), 4),
                "count": count,
            }
        )
    return bands
