"""What the no-show model looks at, computed from plain facts about one visit (no database).

Features are few and readable, so the model stays transparent: how far ahead the visit was
booked (log-scaled days), the patient's no-shows and no-show rate *before* this visit (never
after: no leakage from the future), weekday, hour band, visit type (one-hot for the common
ones), and whether the visit is for a new patient. ``explain`` turns a fitted model's
coefficients back into words for the desk.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

KEPT, MISSED = "kept", "missed"
MAX_PRIOR = 5  # prior no-shows beyond this say nothing more
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOUR_BANDS = (("early", 9, "before 9:00"), ("morning", 12, "9:00-12:00"),
              ("midday", 15, "12:00-15:00"), ("late", 24, "after 15:00"))  # fmt: skip
OTHER_TYPE = "type_other"
MIN_CONTRIBUTION = 0.05  # log-odds; smaller effects are not worth saying


@dataclass(frozen=True)
class VisitFacts:
    starts_local: dt.datetime  # wall-clock start at the location
    lead_days: float  # from booking to the visit
    type_code: str
    new_patient: bool
    prior_no_shows: int
    prior_kept: int


def lead_days(booked_at: dt.datetime, starts_at: dt.datetime) -> float:
    return max(0.0, (starts_at - booked_at).total_seconds() / 86400)


def hour_band(hour: int) -> str:
    return next(name for name, before, _ in HOUR_BANDS if hour < before)


def features(facts: VisitFacts, common_types: Iterable[str]) -> dict[str, float]:
    """Feature name -> value (absent names are 0)."""
    seen = facts.prior_no_shows + facts.prior_kept
    code = f"type_{facts.type_code}"
    return {
        "lead_time": math.log1p(facts.lead_days),
        "prior_no_shows": float(min(facts.prior_no_shows, MAX_PRIOR)),
        "prior_no_show_rate": facts.prior_no_shows / seen if seen else 0.0,
        "new_patient": 1.0 if facts.new_patient else 0.0,
        f"weekday_{WEEKDAYS[facts.starts_local.weekday()]}": 1.0,
        f"hour_{hour_band(facts.starts_local.hour)}": 1.0,
        code if facts.type_code in set(common_types) else OTHER_TYPE: 1.0,
    }


def common_types(codes: Sequence[str], *, share: float = 0.03, most: int = 8) -> list[str]:
    """Type codes frequent enough to get a feature of their own (the rest: ``type_other``)."""
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return sorted(code for code, n in ranked[:most] if n >= share * len(codes))


def prior_outcomes(
    history: Mapping[int, tuple[Sequence[dt.datetime], Sequence[bool]]],
    patient: int,
    before: dt.datetime,
) -> tuple[int, int]:
    """(no-shows, kept visits) of ``patient`` that started before ``before``.

    ``history`` maps a patient to their past visits' start times (sorted) and whether each
    was missed; only visits strictly earlier than ``before`` count.
    """
    starts, missed = history.get(patient, ((), ()))
    seen = bisect.bisect_left(starts, before)
    no_shows = sum(1 for flag in missed[:seen] if flag)
    return no_shows, seen - no_shows


def running_priors(
    visits: Sequence[tuple[int, dt.datetime, bool]],
) -> list[tuple[int, int]]:
    """For visits (patient, starts_at, missed) sorted by start: each one's prior
    (no-shows, kept), counting only that patient's visits that started earlier."""
    tally: dict[int, list[int]] = {}
    pending: list[tuple[int, bool]] = []
    out: list[tuple[int, int]] = []
    current: dt.datetime | None = None
    for patient, starts_at, missed in visits:
        if starts_at != current:  # visits at the same instant do not see one another
            for who, flag in pending:
                counts = tally.setdefault(who, [0, 0])
                counts[0 if flag else 1] += 1
            pending.clear()
            current = starts_at
        counts = tally.get(patient, [0, 0])
        out.append((counts[0], counts[1]))
        pending.append((patient, missed))
    return out


def logit(
    coefficients: Mapping[str, float], intercept: float, values: Mapping[str, float]
) -> float:
    return intercept + sum(coefficients.get(name, 0.0) * x for name, x in values.items())


def probability(
    coefficients: Mapping[str, float], intercept: float, values: Mapping[str, float]
) -> float:
    z = logit(coefficients, intercept, values)
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _words(name: str, facts: VisitFacts, type_names: Mapping[str, str]) -> str:
    if name == "lead_time":
        days = round(facts.lead_days)
        return "booked the same day" if days == 0 else f"lead time {days} day{'s' * (days != 1)}"
    if name == "prior_no_shows":
        n = facts.prior_no_shows
        return f"{n} prior no-show{'s' * (n != 1)}" if n else "no prior no-shows"
    if name == "prior_no_show_rate":
        seen = facts.prior_no_shows + facts.prior_kept
        return f"missed {facts.prior_no_shows} of {seen} past visits"
    if name == "new_patient":
        return "new patient"
    if name.startswith("weekday_"):
        return f"on a {WEEKDAY_WORDS[WEEKDAYS.index(name.removeprefix('weekday_'))]}"
    if name.startswith("hour_"):
        band = name.removeprefix("hour_")
        return next(words for key, _, words in HOUR_BANDS if key == band)
    if name == OTHER_TYPE:
        return "a less common visit type"
    code = name.removeprefix("type_")
    return type_names.get(code, code)


def explain(
    coefficients: Mapping[str, float],
    facts: VisitFacts,
    common: Iterable[str],
    type_names: Mapping[str, str],
    *,
    top: int = 3,
) -> list[str]:
    """The features that push this visit's risk most, in words with their direction:
    ["lead time 34 days (+)", "2 prior no-shows (+)", "on a Wednesday (-)"]."""
    values = features(facts, common)
    effects = [(coefficients.get(name, 0.0) * x, name) for name, x in values.items() if x]
    effects = [(effect, name) for effect, name in effects if abs(effect) >= MIN_CONTRIBUTION]
    effects.sort(key=lambda item: (-abs(item[0]), item[1]))
    return [
        f"{_words(name, facts, type_names)} ({'+' if effect > 0 else '-'})"
        for effect, name in effects[:top]
    ]


def overbook_suggested(risks_in_slot: Sequence[float], threshold: float) -> bool:
    """True when an extra patient in this slot is likely to find a free provider.

    The slot is a safe overbook when the chance that at least one booked patient does not
    come, 1 - prod(1 - risk), reaches ``threshold`` (e.g. 0.3). An empty slot needs no overbook.
    """
    if not risks_in_slot:
        return False
    everyone_comes = math.prod(1 - min(max(r, 0.0), 1.0) for r in risks_in_slot)
    return 1 - everyone_comes >= threshold
