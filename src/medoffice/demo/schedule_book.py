"""Planning the demo practice's booked calendar, about three months back and ahead.

The scripted scenes go first (``schedule_script``), then every session window is filled slot
by slot with each provider's usual mix (new-patient sessions with new patients only), a few
overbooks squeezed in where a session allows one, and waitlist entries for patients who would
like an earlier visit. Randomness comes from one generator seeded with the demo seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from medoffice.demo import schedule_spec as spec
from medoffice.demo.schedule_outcomes import Outcomes
from medoffice.demo.schedule_patients import ADULT, ADULT40, ANYONE, CHILD, PatientRow, Patients
from medoffice.demo.schedule_plan import Calendars, Filler, Mix, Planned, TypeInfo, Window, windows
from medoffice.demo.schedule_script import Script, SeriesPlan, WaitPlan
from medoffice.demo.schedule_setup import Layout
from medoffice.scheduling.choices import AppointmentStatus, WaitlistStatus

FILL, NEW_FILL, SATURDAY_FILL = 0.95, 0.8, 0.85
OVERBOOK_SHARE = 0.05  # session days that get an overbook
WAITLIST = 10
REASONS: dict[str, tuple[str, ...]] = {
    "sick": (
        "Fever",
        "Sore throat",
        "Cough",
        "Ear pain",
        "Rash",
        "Stomach ache",
        "Sinus pain",
        "Urinary symptoms",
        "Back pain",
        "Headache",
    ),
    "follow-up": (
        "Blood pressure check",
        "Diabetes follow-up",
        "Lab results",
        "Medication review",
        "Recheck after antibiotics",
        "Thyroid follow-up",
        "Cholesterol follow-up",
    ),
    "physical": ("Annual physical", "Medicare wellness visit", "Pre-employment physical"),
    "well-child": ("Well-child check", "School physical", "Vaccines"),
    "new-patient": ("New patient, establishing care",),
    "cardio-consult": ("Chest pain, referred", "Palpitations, referred", "Murmur, referred"),
    "stress-test": ("Exercise stress test",),
    "ekg": ("EKG",),
    "pt-eval": ("Knee pain", "Low back pain", "Shoulder after surgery", "Ankle sprain"),
    "pt-session": ("Physical therapy",),
    "telehealth": ("Medication refill", "Lab results by video", "Follow-up by video"),
}


@dataclass
class Plan:
    appointments: list[Planned]
    series: list[SeriesPlan]
    waitlist: list[WaitPlan]


def patient_group(doctor: str, code: str) -> str:
    """Which patients a visit of this type with this provider is for."""
    if doctor == "Raman" or code == "well-child":
        return CHILD
    if doctor == "Okafor":
        return ADULT40
    return ANYONE if doctor == "Marsh" else ADULT


class Planner:
    def __init__(
        self,
        layout: Layout,
        patients: list[PatientRow],
        who: dict[str, int],
        seed: int,
        today: dt.date,
        now: dt.datetime,
    ) -> None:
        self.layout = layout
        self.rng = random.Random(f"medoffice-demo-schedule:{seed}")  # noqa: S311 - synthetic
        self.people = Patients(patients, self.rng, today)
        self.names = {pk: name for name, pk in layout.providers.items()}
        self.calendars = Calendars(layout.resources)
        self.outcomes = Outcomes(
            self.rng,
            now,
            layout.time_zone,
            self.people.habit,
            lambda v: self.patient(v.type, v),
            REASONS,
        )
        self.script = Script(layout, self.calendars, self.people, self.outcomes, self.rng, now, who)
        self.filler = Filler(self.rng, self.calendars, self.patient, self.outcomes)
        self.now = now
        self.today = today
        self.overbooked: set[tuple[int, dt.date]] = set()

    def patient(self, kind: TypeInfo, visit: Planned) -> int | None:
        group = patient_group(self.names[visit.provider], kind.code)
        return self.people.pick(group, visit.provider, visit.starts_at, visit.ends_at)

    def mix(self, window: Window) -> Mix:
        types = self.layout.types
        if window.session.types:
            return [(t, 1.0) for t in types.values() if t.id in window.session.types]
        weights = spec.MIX[self.names[window.session.provider]]
        return [(types[code], weight) for code, weight in weights.items()]

    def fill_level(self, window: Window) -> float:
        base = NEW_FILL if window.session.types else FILL
        if window.day.weekday() == 5:
            base = SATURDAY_FILL
        return min(1.0, base + self.rng.uniform(-0.06, 0.05))

    def plan(self) -> Plan:
        self.script.run()
        layout = self.layout
        for window in windows(layout.sessions, layout.first, layout.last, layout.closed):
            before = len(self.filler.planned)
            keep_free = self.script.keep_free.get(window.session.provider, ())
            self.filler.fill(window, self.mix(window), self.fill_level(window), keep_free)
            self._overbook(window, self.filler.planned[before:])
        visits = self.script.planned + self.filler.planned
        waitlist = self.script.waitlist + self._waitlist(self.filler.planned)
        return Plan(visits, self.script.series, waitlist)

    def _overbook(self, window: Window, placed: list[Planned]) -> None:
        """Now and then a sick patient squeezed in on top of a booked slot."""
        session = window.session
        occurrence = (session.key, window.day)
        if not session.overbook_limit or session.types or occurrence in self.overbooked:
            return
        if self.rng.random() >= OVERBOOK_SHARE:
            return
        taken = [p for p in placed if p.holds_time and not p.overbook]
        kind = self.layout.types["sick"]
        if not taken or kind.code not in spec.MIX[self.names[session.provider]]:
            return
        under = self.rng.choice(taken)
        end = under.starts_at + dt.timedelta(minutes=kind.minutes_for(session.provider))
        if end > window.end:
            return
        squeezed = Planned(0, session.provider, session.location, kind, under.starts_at, end)
        squeezed.overbook = True
        patient = self.patient(kind, squeezed)
        if patient is None or not self.calendars.place(squeezed):
            return
        squeezed.patient = patient
        squeezed.booked_at = self.outcomes.booked_at(under.starts_at, self.rng.uniform(0, 0.5))
        squeezed.note = "Overbook: squeezed in"
        self.overbooked.add(occurrence)
        self.filler.add(squeezed)

    def _waitlist(self, visits: list[Planned]) -> list[WaitPlan]:
        """Patients booked weeks ahead who would take an earlier slot."""
        soonest = self.today + dt.timedelta(days=10)
        wanted = {"follow-up", "physical", "well-child"}
        candidates = [
            v
            for v in visits
            if v.status == AppointmentStatus.BOOKED
            and not v.overbook
            and v.series is None
            and v.type.code in wanted
            and v.starts_at.date() >= soonest
        ]
        out = []
        for visit in self.rng.sample(candidates, min(WAITLIST, len(candidates))):
            assert visit.booked_at is not None
            mornings = self.rng.random() < 0.3
            out.append(
                WaitPlan(
                    visit.patient,
                    visit.type.code,
                    visit.provider,
                    self.today,
                    visit.starts_at.date() - dt.timedelta(days=1),
                    min(self.now, visit.booked_at + dt.timedelta(hours=2)),
                    current=visit,
                    earliest_time=dt.time(8) if mornings else None,
                    latest_time=dt.time(12) if mornings else None,
                    note="Mornings only" if mornings else "",
                )
            )
        out += self._waitlist_done(visits)
        return out

    def _waitlist_done(self, visits: list[Planned]) -> list[WaitPlan]:
        """A few entries that already got their earlier visit last month."""
        kept = [
            v
            for v in visits
            if v.status == AppointmentStatus.CHECKED_OUT
            and v.type.code == "follow-up"
            and v.starts_at.date() >= self.today - dt.timedelta(days=40)
        ]
        out = []
        for visit in self.rng.sample(kept, min(3, len(kept))):
            assert visit.booked_at is not None
            asked = visit.booked_at - dt.timedelta(days=12)
            out.append(
                WaitPlan(
                    visit.patient,
                    visit.type.code,
                    visit.provider,
                    asked.date(),
                    asked.date() + dt.timedelta(days=30),
                    asked,
                    booked=visit,
                    status=WaitlistStatus.BOOKED,
                )
            )
        return out
