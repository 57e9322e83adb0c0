"""The people of "a day at the desk", and near-duplicate records for the duplicates worklist.

Scripted people come first in every demo population, with fixed names and phone numbers (area
code 555, exchange 201) and ages counted back from today: Jonah Smith, 4, whose guarantor is his
mother Rachel ("smith jo" finds him); María Hernández, who prefers Spanish and needs an
interpreter; and three pairs of records that are one person registered twice: "Jon"/"Jonah"
Brennan, Laura Bennett/Castillo (a maiden name, same birth date and phone), and Kevin O'Brien
with day and month of birth swapped.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from medoffice.patients import choices as c


@dataclass(frozen=True)
class PracticeIds:
    """Ids of the demo practice's providers the patients point at."""

    family: tuple[int, ...]  # primary care for adults (family medicine, nurse practitioner)
    pediatrics: tuple[int, ...]
    referrers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Alert:
    key: str  # the row key of the patient
    kind: str
    severity: str
    message: str


@dataclass
class Household:
    rows: list[dict[str, Any]]
    alerts: list[Alert] = field(default_factory=list)
    duplicate_of: str = ""  # key of the record this one repeats (a deliberate near-duplicate)


def born_years_ago(today: dt.date, years: int, days: int) -> dt.date:
    """A birth date making the person ``years`` old today, ``days`` (< 365) past the birthday."""
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - dt.timedelta(days=days)


def _phone(last4: str, kind: str = "mobile", **consents: bool) -> dict[str, Any]:
    return {"kind": kind, "number": f"+1555201{last4}", **consents}


def _address(line1: str, city: str, zip_code: str, line2: str = "") -> dict[str, str]:
    return {"use": "home", "line1": line1, "line2": line2, "city": city, "state": "NY",
            "zip_code": zip_code}  # fmt: skip


def _adult(key: str, first: str, last: str, sex: str, born: dt.date, pcp: int | None,
           **values: Any) -> dict[str, Any]:  # fmt: skip
    return {"key": key, "first_name": first, "last_name": last, "sex": sex, "birth_date": born,
            "primary_care_provider": pcp, **values}  # fmt: skip


def _smiths(today: dt.date, adult_pcp: int | None, child_pcp: int | None) -> Household:
    home = _address("48 Willow Way", "Riverbend", "12401")
    landline = _phone("7700", "home", voicemail_consent=True)
    rachel_mobile = _phone("7788", sms_consent=True, voicemail_consent=True)
    white = {"race": [c.Race.WHITE], "ethnicity": c.Ethnicity.NOT_HISPANIC}
    rachel = _adult(
        "s-rachel", "Rachel", "Smith", "female", born_years_ago(today, 34, 121), adult_pcp,
        email="rachel.smith@example.com", email_consent=True,
        preferred_contact_method=c.ContactMethod.SMS, addresses=[home], **white,
        phones=[{**rachel_mobile, "is_primary": True}, landline],
        emergency_contacts=[{"name": "Daniel Smith", "relationship": "spouse",
                             "phone": "+15552017789"}],
    )  # fmt: skip
    daniel = _adult(
        "s-daniel", "Daniel", "Smith", "male", born_years_ago(today, 36, 40), adult_pcp,
        addresses=[home], phones=[_phone("7789", is_primary=True), landline], **white,
        emergency_contacts=[{"name": "Rachel Smith", "relationship": "spouse",
                             "phone": rachel_mobile["number"]}],
    )  # fmt: skip
    children = [
        ("s-emma", "Emma", "female", born_years_ago(today, 7, 200)),
        ("s-jonah", "Jonah", "male", born_years_ago(today, 4, 100)),
    ]
    kids = [
        _adult(key, first, "Smith", sex, born, child_pcp, addresses=[home],
               guarantor_key="s-rachel", guarantor_relationship=c.Relationship.MOTHER,
               phones=[{**landline, "is_primary": True}, rachel_mobile], **white,
               emergency_contacts=[{"name": "Daniel Smith", "relationship": "father",
                                    "phone": "+15552017789"}])
        for key, first, sex, born in children
    ]  # fmt: skip
    return Household([rachel, daniel, *kids])


def scripted_households(today: dt.date, practice: PracticeIds) -> list[Household]:
    adult_pcp = practice.family[0] if practice.family else None
    child_pcp = practice.pediatrics[0] if practice.pediatrics else None
    maria = _adult(
        "s-maria", "María", "Hernández", "female", born_years_ago(today, 58, 33), adult_pcp,
        middle_name="Guadalupe", preferred_language=c.Language.SPANISH, interpreter_needed=True,
        ethnicity=c.Ethnicity.HISPANIC, preferred_contact_method=c.ContactMethod.SMS,
        phones=[_phone("7790", sms_consent=True, voicemail_consent=True)],
        addresses=[_address("215 River Rd", "Kingston", "12401", "Apt 2B")],
    )  # fmt: skip
    jonah_born = born_years_ago(today, 35, 77)
    brennan = {"last_name": "Brennan", "sex": "male", "birth_date": jonah_born,
               "addresses": [_address("9 Orchard Ln", "Saugerties", "12477")],
               "phones": [_phone("7791", sms_consent=True)],
               "primary_care_provider": adult_pcp}  # fmt: skip
    laura_born = born_years_ago(today, 37, 150)
    laura = {"first_name": "Laura", "sex": "female", "birth_date": laura_born,
             "phones": [_phone("7792", voicemail_consent=True)]}  # fmt: skip
    year = today.year - 47
    kevin = {"first_name": "Kevin", "last_name": "O'Brien", "sex": "male",
             "phones": [_phone("7793")], "primary_care_provider": adult_pcp,
             "addresses": [_address("1120 Broadway", "Kingston", "12401")]}  # fmt: skip
    dorothy = _adult(
        "s-dorothy", "Dorothy", "Klein", "female", born_years_ago(today, 87, 12), adult_pcp,
        phones=[_phone("7794", "home", voicemail_consent=True)],
        addresses=[_address("5 Church St", "Rhinebeck", "12572")],
        emergency_contacts=[{"name": "Susan Klein-Moore", "relationship": "child",
                             "phone": "+15552017795"}],
    )  # fmt: skip
    return [
        _smiths(today, adult_pcp, child_pcp),
        Household([maria], [Alert("s-maria", c.AlertKind.INTERPRETER, c.AlertSeverity.INFO,
                                  "Needs a Spanish interpreter")]),
        Household([{**brennan, "key": "s-jonah-b", "first_name": "Jonah",
                    "email": "jonah.brennan@example.com"}]),
        Household([{**brennan, "key": "s-jon-b", "first_name": "Jon"}], duplicate_of="s-jonah-b"),
        Household([{**laura, "key": "s-laura-b", "last_name": "Bennett",
                    "addresses": [_address("77 Hillcrest Dr", "New Paltz", "12561")]}]),
        Household([{**laura, "key": "s-laura-c", "last_name": "Castillo",
                    "addresses": [_address("310 Prospect St", "Riverbend", "12402")]}],
                  duplicate_of="s-laura-b"),
        Household([{**kevin, "key": "s-kevin-1", "birth_date": dt.date(year, 4, 3)}],
                  [Alert("s-kevin-1", c.AlertKind.COLLECTIONS, c.AlertSeverity.WARNING,
                         "Balance in collections")]),
        Household([{**kevin, "key": "s-kevin-2", "birth_date": dt.date(year, 3, 4)}],
                  duplicate_of="s-kevin-1"),
        Household([dorothy], [
            Alert("s-dorothy", c.AlertKind.ACCESSIBILITY, c.AlertSeverity.WARNING,
                  "Fall risk: uses a walker; offer the wheelchair at check-in"),
            Alert("s-dorothy", c.AlertKind.OTHER, c.AlertSeverity.INFO,
                  "Prefers afternoon calls"),
        ]),
    ]  # fmt: skip


# ---- near-duplicates of generated people ---------------------------------------------------

KEPT = ("first_name", "last_name", "birth_date", "sex", "preferred_language",
        "interpreter_needed", "primary_care_provider", "race", "ethnicity")  # fmt: skip
MAIDEN_NAMES = ("Walsh", "Porter", "Fleming", "Hartley", "Navarro", "Quinn", "Lowell", "Dunn")


def _typo(name: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped, never the first (a slip of the keyboard)."""
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _swapped(born: dt.date, today: dt.date) -> dt.date | None:
    """Day and month swapped, when that is another real date."""
    if born.day <= 12 and born.day != born.month:
        swapped = born.replace(month=born.day, day=born.month)
        return swapped if swapped <= today else None
    return None


def near_duplicate(
    row: dict[str, Any], rng: random.Random, key: str, today: dt.date
) -> dict[str, Any]:
    """The same person registered again on another day with a small difference.

    Always findable by ``duplicates.find_duplicates``: a typo in the first name with the same
    birth date, a new last name with the same birth date and first name, or day and month of
    birth swapped with the same name and phone.
    """
    twin: dict[str, Any] = {k: row[k] for k in KEPT if k in row}
    twin["key"] = key
    twin["addresses"] = [dict(a) for a in row.get("addresses", [])]
    twin["phones"] = [{**row["phones"][0], "is_primary": True}] if row.get("phones") else []
    kinds = ["typo"] if len(twin["first_name"]) >= 5 and twin["first_name"].isalpha() else []
    if twin["sex"] == "female":
        kinds.append("maiden")
    swapped = _swapped(twin["birth_date"], today)
    if swapped and twin["phones"]:
        kinds.append("transposed")
    kind = rng.choice(kinds) if kinds else "maiden"
    if kind == "typo":
        twin["first_name"] = _typo(twin["first_name"], rng)
    elif kind == "transposed":
        twin["birth_date"] = swapped
    else:
        choices = [name for name in MAIDEN_NAMES if name != twin["last_name"]]
        twin["last_name"] = rng.choice(choices)
    return twin
