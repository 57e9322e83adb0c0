"""What Riverbend Family Health books, where, and when its six providers work (pure data).

Providers are named by last name (``steps.PROVIDERS``). Sessions are wall-clock times at the
location; each provider's day is cut into sessions around a lunch gap (12:00-13:00), and some
providers reserve 09:00 and 14:00 for new patients. Type mixes weight what a session books.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from medoffice.scheduling.choices import BlockKind, ResourceKind

FAMILY = ("Marsh", "Whitfield")
PRIMARY = ("Marsh", "Whitfield", "Lindqvist")


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    minutes: int
    color: str
    providers: tuple[str, ...]
    own_minutes: dict[str, int] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    needs_referral: bool = False
    needs_prior_authorization: bool = False
    new_patients_only: bool = False
    service_type_codes: str = "98"
    prep: tuple[str, str] = ("", "")  # English, Spanish
    lead_days: tuple[float, float] = (1, 30)  # how far ahead it is usually booked


TYPES: tuple[TypeSpec, ...] = (
    TypeSpec("sick", "Sick visit", 20, "#d9822b", (*PRIMARY, "Raman"),
             own_minutes={"Whitfield": 15, "Lindqvist": 15}, service_type_codes="98,BY",
             lead_days=(0, 2)),
    TypeSpec("well-child", "Well-child visit", 30, "#4fa36b", ("Raman", "Marsh"),
             service_type_codes="98,BZ", lead_days=(7, 90),
             prep=("Bring your child's immunization record.",
                   "Traiga la cartilla de vacunas de su hijo.")),
    TypeSpec("physical", "Annual physical", 40, "#2f7fbf", PRIMARY,
             own_minutes={"Whitfield": 45, "Lindqvist": 45}, service_type_codes="98,BZ",
             lead_days=(14, 120),
             prep=("Please fast for 8 hours before your visit (water is fine) for blood work.",
                   "Por favor no coma durante 8 horas antes de su cita (puede tomar agua) "
                   "para los análisis de sangre.")),
    TypeSpec("new-patient", "New patient visit", 40, "#7a5cc4", (*PRIMARY, "Raman"),
             own_minutes={"Whitfield": 60, "Lindqvist": 60}, new_patients_only=True,
             lead_days=(7, 50),
             prep=("Arrive 15 minutes early with your insurance card, photo ID and a list of "
                   "your medicines.",
                   "Llegue 15 minutos antes con su tarjeta de seguro, una identificación con "
                   "foto y una lista de sus medicamentos.")),
    TypeSpec("follow-up", "Follow-up", 20, "#5b8fa8", (*PRIMARY, "Raman", "Okafor"),
             own_minutes={"Whitfield": 15, "Lindqvist": 15}, lead_days=(7, 100)),
    TypeSpec("cardio-consult", "Cardiology consult", 60, "#b03a48", ("Okafor",),
             needs_referral=True, new_patients_only=True, lead_days=(7, 50),
             prep=("Bring your referral, recent test results and all your medicines.",
                   "Traiga su referido, los resultados de sus pruebas recientes y todos sus "
                   "medicamentos.")),
    TypeSpec("stress-test", "Stress test", 60, "#8c2d3c", ("Okafor",),
             needs=(ResourceKind.TREADMILL, ResourceKind.PROCEDURE_ROOM),
             needs_prior_authorization=True, service_type_codes="73", lead_days=(10, 45),
             prep=("No caffeine for 24 hours before the test. Wear walking shoes and "
                   "comfortable clothes.",
                   "No tome cafeína durante las 24 horas antes de la prueba. Use zapatos para "
                   "caminar y ropa cómoda.")),
    TypeSpec("ekg", "EKG", 20, "#c46a7a", ("Okafor", "Marsh"), needs=(ResourceKind.EKG,),
             service_type_codes="73", lead_days=(1, 21)),
    TypeSpec("pt-eval", "PT evaluation", 60, "#2f9f8f", ("Serrano",),
             needs=(ResourceKind.PT_GYM,), service_type_codes="PT", lead_days=(2, 21),
             prep=("Wear comfortable clothes you can move in; bring any imaging reports.",
                   "Use ropa cómoda que le permita moverse; traiga sus informes de imágenes.")),
    TypeSpec("pt-session", "PT session", 45, "#47b5a4", ("Serrano",),
             needs=(ResourceKind.PT_GYM,), service_type_codes="PT", lead_days=(2, 14)),
    TypeSpec("telehealth", "Telehealth visit", 20, "#8a8f98", ("Marsh", "Whitfield", "Lindqvist",
             "Okafor"), own_minutes={"Whitfield": 15, "Lindqvist": 15}, lead_days=(0, 14)),
)  # fmt: skip

RESOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "main": (
        ("Exam 1", ResourceKind.EXAM_ROOM), ("Exam 2", ResourceKind.EXAM_ROOM),
        ("Exam 3", ResourceKind.EXAM_ROOM), ("Exam 4", ResourceKind.EXAM_ROOM),
        ("Procedure room", ResourceKind.PROCEDURE_ROOM), ("EKG cart", ResourceKind.EKG),
    ),
    "north": (
        ("Exam 1", ResourceKind.EXAM_ROOM), ("Exam 2", ResourceKind.EXAM_ROOM),
        ("Exam 3", ResourceKind.EXAM_ROOM), ("Procedure room", ResourceKind.PROCEDURE_ROOM),
        ("EKG cart", ResourceKind.EKG), ("Treadmill", ResourceKind.TREADMILL),
        ("PT gym", ResourceKind.PT_GYM),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class SessionSpec:
    provider: str
    site: str
    days: str  # RRULE BYDAY list, e.g. "MO,WE,FR"
    start: dt.time
    end: dt.time
    grid: int
    label: str = ""
    types: tuple[str, ...] = ()  # reserved for these type codes (none: any)
    overbook_limit: int = 0
    every_weeks: int = 1
    week_offset: int = 0  # with every_weeks=2: which of the two weeks

    @property
    def rrule(self) -> str:
        interval = f";INTERVAL={self.every_weeks}" if self.every_weeks > 1 else ""
        return f"FREQ=WEEKLY{interval};BYDAY={self.days}"


NEW = "New patients"
WEEKDAYS = "MO,TU,WE,TH,FR"


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _day(provider: str, site: str, days: str, grid: int, new: tuple[str, str, str] | None,
         overbook: int = 0) -> list[SessionSpec]:  # fmt: skip
    """A full day 08:00-12:00 and 13:00-17:00; ``new`` = (type code, 09:00 end, 14:00 end)."""

    def general(start: str, end: str) -> SessionSpec:
        return SessionSpec(provider, site, days, _t(start), _t(end), grid, overbook_limit=overbook)

    if new is None:
        return [general("08:00", "12:00"), general("13:00", "17:00")]
    code, am_end, pm_end = new
    reserved = [
        SessionSpec(provider, site, days, _t(start), _t(end), grid, NEW, (code,))
        for start, end in (("09:00", am_end), ("14:00", pm_end))
    ]
    spans = (("08:00", "09:00"), (am_end, "12:00"), ("13:00", "14:00"), (pm_end, "17:00"))
    return [*(general(start, end) for start, end in spans), *reserved]


def _sessions() -> list[SessionSpec]:
    np40 = ("new-patient", "09:40", "14:40")
    np60 = ("new-patient", "10:00", "15:00")
    consult = ("cardio-consult", "10:00", "15:00")
    raman_am = [SessionSpec("Raman", "north", WEEKDAYS, _t("08:00"), _t("09:00"), 10,
                            overbook_limit=1),
                SessionSpec("Raman", "north", WEEKDAYS, _t("09:00"), _t("09:40"), 10, NEW,
                            ("new-patient",)),
                SessionSpec("Raman", "north", WEEKDAYS, _t("09:40"), _t("12:00"), 10,
                            overbook_limit=1)]  # fmt: skip
    raman_pm = [SessionSpec("Raman", "main", WEEKDAYS, _t("13:00"), _t("17:00"), 10,
                            overbook_limit=1)]  # fmt: skip
    saturdays = [
        SessionSpec("Marsh", "north", "SA", _t("09:00"), _t("12:00"), 10, every_weeks=2),
        SessionSpec(
            "Raman", "north", "SA", _t("09:00"), _t("12:00"), 10, every_weeks=2, week_offset=1
        ),
    ]
    return [
        *_day("Marsh", "main", "MO,WE,FR", 10, np40, overbook=1),
        *_day("Marsh", "north", "TU,TH", 10, np40, overbook=1),
        *_day("Whitfield", "main", WEEKDAYS, 15, np60, overbook=1),
        *raman_am,
        *raman_pm,
        *_day("Okafor", "north", WEEKDAYS, 20, consult),
        *_day("Lindqvist", "main", WEEKDAYS, 15, None, overbook=1),
        *_day("Serrano", "north", WEEKDAYS, 15, None),
        *saturdays,
    ]


SESSIONS: tuple[SessionSpec, ...] = tuple(_sessions())

# What each provider's sessions book (relative weights); reserved sessions book their own types.
MIX: dict[str, dict[str, float]] = {
    "Marsh": {"sick": 30, "physical": 14, "follow-up": 30, "well-child": 4, "ekg": 5,
              "telehealth": 9},
    "Whitfield": {"sick": 32, "physical": 16, "follow-up": 34, "telehealth": 10},
    "Raman": {"sick": 40, "well-child": 45, "follow-up": 15},
    "Okafor": {"follow-up": 45, "stress-test": 14, "ekg": 26, "telehealth": 8},
    "Lindqvist": {"sick": 32, "physical": 12, "follow-up": 32, "telehealth": 14,
                  "new-patient": 6},
    "Serrano": {"pt-session": 80, "pt-eval": 20},
}  # fmt: skip


@dataclass(frozen=True)
class BlockSpec:
    provider: str
    kind: str
    title: str
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time


BLOCKS: tuple[BlockSpec, ...] = (
    BlockSpec("Whitfield", BlockKind.ADMIN, "Charts and refills", 3, _t("15:45"), _t("17:00")),
    BlockSpec("Lindqvist", BlockKind.ADMIN, "Charts and refills", 4, _t("16:00"), _t("17:00")),
    BlockSpec("Okafor", BlockKind.ROUNDS, "Hospital rounds", 2, _t("08:00"), _t("09:00")),
)

ON_CALL = ("Marsh", "Whitfield", "Raman", "Okafor")  # weeknights in turn; weekends by week
VACATION = ("Whitfield", 5)  # whose week off, and how many weeks from the scripted day
ON_CALL_PHONES = {"Marsh": "+15550102101", "Whitfield": "+15550102102",
                  "Raman": "+15550102103", "Okafor": "+15550102104"}  # fmt: skip
