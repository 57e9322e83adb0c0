"""The scripted scenes of "a day at the desk" in the booked calendar, and two recurring series.

Placed before the calendar is filled at random, so nothing takes their time:

- Jonah Smith's 10:20 sick visit with Dr. Raman at North on the desk day; every earlier slot of
  her North morning that a sick visit could take is booked, so 10:20 is the first available.
- Dr. Whitfield's 09:00 new-patient slot and Dr. Okafor's 14:00 consult slot stay open that day.
- The next open day's 09:40 with Dr. Marsh (Dorothy Klein), and Laura Bennett on the waitlist
  for an earlier visit with her (the 14:00 cancellation scene).
- Kevin O'Brien's stress test (needs prior authorization), María Hernández's physical (her prep
  note in Spanish).
- Weekly physical therapy for Daniel Smith, and a cardiology follow-up every 8 weeks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from medoffice.demo.schedule_outcomes import Outcomes
from medoffice.demo.schedule_patients import ADULT40, CHILD, Patients
from medoffice.demo.schedule_plan import Calendars, Interval, Planned
from medoffice.demo.schedule_setup import Layout, desk_day
from medoffice.scheduling.choices import AppointmentStatus, WaitlistStatus

S = AppointmentStatus
SCRIPTED = {
    "jonah": ("Jonah", "Smith"),
    "daniel": ("Daniel", "Smith"),
    "dorothy": ("Dorothy", "Klein"),
    "laura": ("Laura", "Bennett"),
    "kevin": ("Kevin", "O'Brien"),
    "maria": ("María", "Hernández"),
}


@dataclass
class SeriesPlan:
    patient: int
    provider: int
    location: int
    type_code: str
    rrule: str
    first_starts_at: dt.datetime
    created_at: dt.datetime


@dataclass
class WaitPlan:
    patient: int
    type_code: str
    provider: int | None
    earliest: dt.date
    latest: dt.date
    created_at: dt.datetime
    current: Planned | None = None
    booked: Planned | None = None
    status: str = WaitlistStatus.WAITING
    weekdays: list[int] = field(default_factory=list)
    earliest_time: dt.time | None = None
    latest_time: dt.time | None = None
    note: str = ""


@dataclass
class Script:
    layout: Layout
    calendars: Calendars
    people: Patients
    outcomes: Outcomes
    rng: random.Random
    now: dt.datetime
    who: dict[str, int]  # SCRIPTED key -> patient id (those found)
    planned: list[Planned] = field(default_factory=list)
    series: list[SeriesPlan] = field(default_factory=list)
    waitlist: list[WaitPlan] = field(default_factory=list)
    keep_free: dict[int, list[Interval]] = field(default_factory=dict)

    # ---- placing --------------------------------------------------------------------------

    def visit(
        self,
        patient: int,
        doctor: str,
        site: str,
        code: str,
        at: dt.datetime,
        booked_at: dt.datetime,
        **values: object,
    ) -> Planned | None:
        """One fixed visit; settled like any other unless a status is given."""
        kind = self.layout.types[code]
        provider = self.layout.providers[doctor]
        end = at + dt.timedelta(minutes=kind.minutes_for(provider))
        item = Planned(patient, provider, self.layout.locations[site], kind, at, end)
        item.booked_at = booked_at
        item.reason = self.outcomes.reason(code)
        for name, value in values.items():
            setattr(item, name, value)
        if not self.people.free(patient, at, end) or not self.calendars.place(item):
            return None
        self.people.hold(patient, at, end)
        if "status" not in values:
            self.outcomes.settle(item)
        if not item.holds_time:
            self.calendars.release(item)
        self.planned.append(item)
        return item

    def run(self) -> None:
        day = self.layout.desk_day
        self._raman_morning(day)
        self._desk_scenes(day)
        self._physical_therapy(day)
        self._cardiology(day)

    # ---- scenes ---------------------------------------------------------------------------

    def _raman_morning(self, day: dt.date) -> None:
        at = self.layout.at
        raman = self.layout.providers["Raman"]
        for hour, minute in ((8, 0), (8, 20), (8, 40), (9, 40), (10, 0)):
            start = at(day, hour, minute)
            child = self.people.pick(
                CHILD, raman, start, start + dt.timedelta(minutes=20), hold=False
            )
            if child is not None:
                lead = self.rng.uniform(0.2, 1.5)
                self.visit(
                    child, "Raman", "north", "sick", start, self.outcomes.booked_at(start, lead)
                )
        if "jonah" in self.who:
            self.visit(
                self.who["jonah"],
                "Raman",
                "north",
                "sick",
                at(day, 10, 20),
                self.now,
                status=S.BOOKED,
                reason="Fever and cough since yesterday",
            )

    def _desk_scenes(self, day: dt.date) -> None:
        at, providers = self.layout.at, self.layout.providers
        self.keep_free[providers["Whitfield"]] = [(at(day, 9), at(day, 10))]
        self.keep_free[providers["Okafor"]] = [(at(day, 14), at(day, 15))]
        tomorrow = desk_day(day + dt.timedelta(days=1), {d for d, _ in self.layout.holidays})
        marsh_site = "main" if tomorrow.weekday() in (0, 2, 4) else "north"
        booked = self.now - dt.timedelta(days=40)
        if "dorothy" in self.who:
            self.visit(
                self.who["dorothy"],
                "Marsh",
                marsh_site,
                "follow-up",
                at(tomorrow, 9, 40),
                booked,
                reason="Blood pressure check",
            )
        if "laura" in self.who:
            later = self._open_day(day + dt.timedelta(days=24))
            site = "main" if later.weekday() in (0, 2, 4) else "north"
            current = self.visit(
                self.who["laura"],
                "Marsh",
                site,
                "follow-up",
                at(later, 15, 0),
                self.now - dt.timedelta(days=3),
            )
            self.waitlist.append(
                WaitPlan(
                    self.who["laura"],
                    "follow-up",
                    providers["Marsh"],
                    day,
                    day + dt.timedelta(days=14),
                    self.now - dt.timedelta(days=3),
                    current=current,
                    note="Would like an earlier visit; any time of day",
                )
            )
        if "kevin" in self.who:
            self.visit(
                self.who["kevin"],
                "Okafor",
                "north",
                "stress-test",
                at(self._open_day(day + dt.timedelta(days=14)), 10),
                self.now - dt.timedelta(days=1),
                note="Prior authorization pending",
            )
        if "maria" in self.who:
            visit_day = self._open_day(day + dt.timedelta(days=9))
            site = "main" if visit_day.weekday() in (0, 2, 4) else "north"
            self.visit(
                self.who["maria"],
                "Marsh",
                site,
                "physical",
                at(visit_day, 10),
                self.now - dt.timedelta(days=20),
                note="Spanish interpreter; prep note sent in Spanish",
            )

    def _open_day(self, day: dt.date) -> dt.date:
        return desk_day(day, {d for d, _ in self.layout.holidays} | self._vacation_days())

    def _vacation_days(self) -> set[dt.date]:
        zone = self.layout.zone()
        days = set()
        for closed in self.layout.closed:
            if closed.provider is not None and closed.ends_at - closed.starts_at >= dt.timedelta(
                days=1
            ):
                day = closed.starts_at.astimezone(zone).date()
                while self.layout.at(day, 0) < closed.ends_at:
                    days.add(day)
                    day += dt.timedelta(days=1)
        return days

    def _series(
        self, plan: SeriesPlan, doctor: str, site: str, days: list[dt.date], time: dt.time
    ) -> None:
        index = len(self.series)
        self.series.append(plan)
        closed = {d for d, _ in self.layout.holidays} | self._vacation_days()
        for day in days:
            if day in closed or not self.layout.first <= day <= self.layout.last:
                continue
            start = self.layout.at(day, time.hour, time.minute)
            self.visit(
                plan.patient, doctor, site, plan.type_code, start, plan.created_at, series=index
            )

    def _physical_therapy(self, day: dt.date) -> None:
        if "daniel" not in self.who:
            return
        monday = day - dt.timedelta(days=day.weekday())
        first = monday - dt.timedelta(weeks=6) + dt.timedelta(days=1)  # a Tuesday
        start = self.layout.at(first, 16)
        plan = SeriesPlan(
            self.who["daniel"],
            self.layout.providers["Serrano"],
            self.layout.locations["north"],
            "pt-session",
            "FREQ=WEEKLY;COUNT=12",
            start,
            start - dt.timedelta(days=5),
        )
        days = [first + dt.timedelta(weeks=n) for n in range(12)]
        self._series(plan, "Serrano", "north", days, dt.time(16))

    def _cardiology(self, day: dt.date) -> None:
        okafor = self.layout.providers["Okafor"]
        monday = day - dt.timedelta(days=day.weekday())
        first = monday - dt.timedelta(weeks=10) + dt.timedelta(days=3)  # a Thursday
        start = self.layout.at(first, 11)
        patient = self.people.pick(
            ADULT40, okafor, start, start + dt.timedelta(minutes=20), hold=False
        )
        if patient is None:
            return
        plan = SeriesPlan(
            patient,
            okafor,
            self.layout.locations["north"],
            "follow-up",
            "FREQ=WEEKLY;INTERVAL=8",
            start,
            start - dt.timedelta(days=30),
        )
        days = [first + dt.timedelta(weeks=8 * n) for n in range(4)]
        self._series(plan, "Okafor", "north", days, dt.time(11))
