"""Who comes to each planned visit: patients picked by age group, own provider and habit.

Each patient gets, from the seeded generator and in id order, how often they come (older
people more) and a hidden no-show habit: most are reliable, a few often miss visits, so a
patient's past no-shows say something about the next one, as in a real practice's history.
A patient is never planned into two visits at once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

CHILD, ADULT, ADULT40, ANYONE = "child", "adult", "adult40", "any"
OWN_PROVIDER_SHARE = 0.7  # visits with a primary care provider go to their own patients
HABITUAL_SHARE = 0.07  # patients who often miss visits
TRIES = 6


@dataclass(frozen=True)
class PatientRow:
    id: int
    birth_date: dt.date
    primary_care_provider: int | None = None


class Pool:
    """Ids picked in proportion to their weights."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.cumulative: list[float] = []

    def add(self, patient: int, weight: float) -> None:
        self.ids.append(patient)
        self.cumulative.append((self.cumulative[-1] if self.cumulative else 0.0) + weight)

    def pick(self, rng: random.Random) -> int | None:
        if not self.ids:
            return None
        point = rng.random() * self.cumulative[-1]
        return self.ids[min(bisect.bisect_right(self.cumulative, point), len(self.ids) - 1)]


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _groups(age: int) -> list[str]:
    groups = [ANYONE, CHILD if age < 18 else ADULT]
    if age >= 40:
        groups.append(ADULT40)
    return groups


class Patients:
    def __init__(self, rows: list[PatientRow], rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.habit: dict[int, float] = {}
        self.pools: dict[tuple[str, int | None], Pool] = defaultdict(Pool)
        self.busy: dict[tuple[int, dt.date], list[tuple[dt.datetime, dt.datetime]]] = {}
        for row in sorted(rows, key=lambda r: r.id):
            age = _age(row.birth_date, today)
            weight = rng.lognormvariate(0, 0.7) * (1.8 if age >= 65 else 1.0)
            habitual = rng.random() < HABITUAL_SHARE
            self.habit[row.id] = rng.gauss(0, 0.6) + (1.7 if habitual else 0.0)
            for group in _groups(age):
                self.pools[(group, None)].add(row.id, weight)
                if row.primary_care_provider is not None:
                    self.pools[(group, row.primary_care_provider)].add(row.id, weight)

    def pick(
        self, group: str, provider: int, start: dt.datetime, end: dt.datetime, *, hold: bool = True
    ) -> int | None:
        """A patient of ``group`` free at that time (their own provider's, mostly); ``hold``
        marks them busy then."""
        own = self.pools.get((group, provider))
        for _ in range(TRIES):
            use_own = own is not None and self.rng.random() < OWN_PROVIDER_SHARE
            pool = own if use_own and own is not None else self.pools.get((group, None))
            patient = pool.pick(self.rng) if pool is not None else None
            if patient is not None and self.free(patient, start, end):
                if hold:
                    self.hold(patient, start, end)
                return patient
        return None

    def free(self, patient: int, start: dt.datetime, end: dt.datetime) -> bool:
        spans = self.busy.get((patient, start.date()), ())
        return all(end <= s or e <= start for s, e in spans)

    def hold(self, patient: int, start: dt.datetime, end: dt.datetime) -> None:
        self.busy.setdefault((patient, start.date()), []).append((start, end))
