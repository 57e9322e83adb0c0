"""What became of each planned visit: when it was booked, and whether it was kept, cancelled
(its slot often given to someone else) or missed.

A visit is booked some days ahead (``TypeInfo.lead_days``: a sick visit the same morning, a
physical months ahead); one whose booking moment lies after "now" is not booked yet, so the
future thins out with distance as a real book does. Missing a visit follows a logistic law of
lead time, the patient's own habit, weekday, hour and visit type, so the practice's fitted
no-show model has real signal to find.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from medoffice.demo.schedule_plan import Planned
from medoffice.scheduling.choices import AppointmentStatus, CancelReason

S = AppointmentStatus
BASE_LOGIT = -3.8
LEAD_WEIGHT = 0.45  # per log(1 + days)
NEW_PATIENT = 0.35
WEEKDAY = {0: 0.15, 1: 0.0, 2: -0.05, 3: 0.05, 4: 0.25, 5: -0.2, 6: 0.0}
TYPE = {"sick": -0.5, "well-child": -0.3, "physical": -0.2, "pt-session": 0.35,
        "telehealth": -0.4, "stress-test": -0.6, "cardio-consult": 0.1}  # fmt: skip
CANCEL_REASONS = ((CancelReason.PATIENT, 70), (CancelReason.RESCHEDULED, 12),
                  (CancelReason.PROVIDER, 8), (CancelReason.WEATHER, 4),
                  (CancelReason.OTHER, 6))  # fmt: skip
REFILL_SHARE = 0.45  # cancelled slots given to another patient
CONFIRMED_SHARE = 0.55  # patients who answer the reminder
OFFICE_OPENS, OFFICE_CLOSES = 8, 17


def _hour_effect(hour: int) -> float:
    if hour < 9:
        return 0.2
    if hour >= 15:
        return 0.3
    return 0.1 if hour >= 12 else 0.0


def no_show_chance(
    *, lead_days: float, habit: float, starts_local: dt.datetime, code: str, new: bool
) -> float:
    """The demo's hidden truth: how likely this patient misses this visit."""
    logit = (
        BASE_LOGIT
        + LEAD_WEIGHT * math.log1p(max(lead_days, 0.0))
        + habit
        + WEEKDAY[starts_local.weekday()]
        + _hour_effect(starts_local.hour)
        + TYPE.get(code, 0.0)
        + (NEW_PATIENT if new else 0.0)
    )
    return 1 / (1 + math.exp(-logit))


@dataclass
class Outcomes:
    """Called once per placed visit; returns the rows it became ([] if not booked yet)."""

    rng: random.Random
    now: dt.datetime
    time_zone: str
    habit: dict[int, float]
    refill_patient: Callable[[Planned], int | None]
    reasons: dict[str, tuple[str, ...]]

    def __call__(self, visit: Planned) -> list[Planned]:
        if visit.booked_at is None:
            low, high = visit.type.lead_days
            lead = low + (high - low) * self.rng.betavariate(1.2, 2.5)
            visit.booked_at = self.booked_at(visit.starts_at, lead)
        if visit.booked_at > self.now:
            return []
        if not visit.reason:
            visit.reason = self.reason(visit.type.code)
        cancelled = self._cancel(visit)
        if not cancelled:
            self.settle(visit)
            return [visit]
        refill = self._refill(visit)
        return [visit, refill] if refill is not None else [visit]

    def booked_at(self, starts_at: dt.datetime, lead_days: float) -> dt.datetime:
        """``lead_days`` before the visit, moved into office hours and at least 15 min before."""
        zone = zoneinfo.ZoneInfo(self.time_zone)
        local = (starts_at - dt.timedelta(days=lead_days)).astimezone(zone)
        if local.hour < OFFICE_OPENS:
            local = local.replace(hour=OFFICE_OPENS, minute=self.rng.randrange(45))
        elif local.hour >= OFFICE_CLOSES:
            local = local.replace(hour=OFFICE_CLOSES - 1, minute=self.rng.randrange(60))
        if local > starts_at - dt.timedelta(minutes=15):
            day_before = (starts_at - dt.timedelta(days=1)).astimezone(zone)
            local = day_before.replace(hour=15, minute=self.rng.randrange(60))
        return local

    def reason(self, code: str) -> str:
        pool = self.reasons.get(code, ())
        return self.rng.choice(pool) if pool else ""

    def _cancel(self, visit: Planned) -> bool:
        assert visit.booked_at is not None
        lead = (visit.starts_at - visit.booked_at).total_seconds() / 86400
        if self.rng.random() >= 0.05 + 0.025 * math.log1p(lead):
            return False
        share = self.rng.random() ** 2
        at = visit.starts_at - (visit.starts_at - visit.booked_at) * share
        if at > self.now:
            return False
        visit.status = S.CANCELLED
        visit.cancelled_at = at
        if visit.starts_at - at < dt.timedelta(hours=24) and self.rng.random() < 0.8:
            visit.cancel_reason = CancelReason.LATE_CANCEL
        else:
            reasons = [reason for reason, _ in CANCEL_REASONS]
            weights = [weight for _, weight in CANCEL_REASONS]
            visit.cancel_reason = self.rng.choices(reasons, weights=weights)[0]
        return True

    def settle(self, visit: Planned) -> None:
        """Kept or missed once past; booked or confirmed while ahead."""
        assert visit.booked_at is not None
        soon = visit.starts_at - dt.timedelta(days=3)
        visit.confirmed = soon <= self.now and self.rng.random() < CONFIRMED_SHARE
        if visit.starts_at >= self.now:
            visit.status = S.CONFIRMED if visit.confirmed else S.BOOKED
            return
        chance = no_show_chance(
            lead_days=(visit.starts_at - visit.booked_at).total_seconds() / 86400,
            habit=self.habit.get(visit.patient, 0.0),
            starts_local=visit.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone)),
            code=visit.type.code,
            new=visit.type.new_patient,
        )
        visit.status = S.NO_SHOW if self.rng.random() < chance else S.CHECKED_OUT

    def _refill(self, visit: Planned) -> Planned | None:
        assert visit.cancelled_at is not None
        until = min(visit.starts_at, self.now)
        if until - visit.cancelled_at < dt.timedelta(hours=2) or self.rng.random() >= REFILL_SHARE:
            return None
        patient = self.refill_patient(visit)
        if patient is None:
            return None
        again = Planned(
            patient, visit.provider, visit.location, visit.type, visit.starts_at, visit.ends_at
        )
        again.booked_at = visit.cancelled_at + (until - visit.cancelled_at) * (
            self.rng.random() / 2
        )
        again.reason = self.reason(visit.type.code)
        self.settle(again)
        return again
