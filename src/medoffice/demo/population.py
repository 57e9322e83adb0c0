"""The synthetic population of the demo practice: households of made-up patients.

Households share an address and, often, a home phone; children have a parent (now and then a
grandparent) as guarantor, spouses one another. Ages run from newborns to 95, weighted like a
family practice; names, languages and race/ethnicity follow the household's background
(``names.BACKGROUNDS``). Rows are shaped for ``patients.bulk.import_patients``. Every value
comes from ``random.Random`` generators seeded with the demo seed (one for the people, one for
their numbers, see ``identities``), so a seed and a day give the same people; ages count back
from that day. The scripted people of the day come first (``scripted``), and about one adult in
a thousand is registered a second time with a small difference (``near_duplicate``).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from typing import Any

from medoffice.demo import names as n
from medoffice.demo.identities import Identities
from medoffice.demo.scripted import (
    Alert,
    Household,
    PracticeIds,
    born_years_ago,
    near_duplicate,
    scripted_households,
)
from medoffice.patients import choices as c

HOUSEHOLDS = (("single", 32), ("couple", 29), ("family", 20), ("single_parent", 8),
              ("adult_child", 9), ("grandparent", 2))  # fmt: skip
SINGLE_AGES = ((18, 29, 20), (30, 44, 21), (45, 64, 32), (65, 79, 19), (80, 95, 8))
COUPLE_AGES = ((24, 44, 30), (45, 64, 40), (65, 79, 22), (80, 92, 8))
KIDS = (1, 2, 3, 4)
KIDS_WEIGHTS = (42, 40, 13, 5)
NEAR_DUPLICATE_SHARE = 0.001
ALERTS = (
    (0.005, c.AlertKind.COLLECTIONS, c.AlertSeverity.WARNING, "Balance in collections"),
    (0.003, c.AlertKind.OTHER, c.AlertSeverity.INFO, "Prefers afternoon calls"),
)
FALL_RISK = "Fall risk: uses a walker; offer the wheelchair at check-in"


@functools.cache
def _cum_weights(count: int) -> list[float]:
    """Rank weights (most common first), cumulated for ``random.choices``."""
    total, out = 0.0, []
    for rank in range(count):
        total += 1 / (rank + 3)
        out.append(total)
    return out


class Population:
    """``stream`` 0 is the demo population; other streams are more people of the same kind
    for the benchmark (no scripted people, phone numbers and SSNs of their own)."""

    def __init__(self, seed: int, today: dt.date, practice: PracticeIds, stream: int = 0) -> None:
        suffix = f":{stream}" if stream else ""
        self.rng = random.Random(f"medoffice-demo-patients:{seed}{suffix}")  # noqa: S311
        self.stream = stream
        self.today = today
        self.practice = practice
        self.ids = Identities(seed, stream)
        self.count = 0
        self._weights = [b.weight for b in n.BACKGROUNDS]

    # ---- picking ------------------------------------------------------------------------------

    def pick(self, items: tuple[str, ...]) -> str:
        return self.rng.choices(items, cum_weights=_cum_weights(len(items)))[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def age(self, bands: tuple[tuple[int, int, int], ...]) -> int:
        low, high, _ = self.rng.choices(bands, weights=[b[2] for b in bands])[0]
        return self.rng.randint(low, high)

    def born(self, age: int) -> dt.date:
        return born_years_ago(self.today, age, self.rng.randrange(365))

    def first_name(self, bg: n.Background, sex: str, born: dt.date) -> str:
        # The era goes by age, not birth year, so a seed gives the same names on any day.
        age = self.age_of(born)
        era = 0 if age >= 60 else 1 if age >= 25 else 2
        general = bg.code in ("general", "native") or (era == 2 and self.chance(0.3))
        if general:
            return self.pick(n.MALE_BY_ERA[era] if sex == "male" else n.FEMALE_BY_ERA[era])
        return self.pick(bg.male if sex == "male" else bg.female)

    def surname(self, bg: n.Background) -> str:
        name = self.pick(bg.surnames)
        if bg.code == "hispanic" and self.chance(0.12):
            name = f"{name}{self.rng.choice(('-', ' '))}{self.pick(bg.surnames)}"
        return name

    def background(self) -> n.Background:
        return self.rng.choices(n.BACKGROUNDS, weights=self._weights)[0]

    # ---- one person ---------------------------------------------------------------------------

    def person(self, home: dict[str, Any], bg: n.Background, sex: str, born: dt.date,
               last: str, *, adult: bool) -> dict[str, Any]:  # fmt: skip
        self.count += 1
        first = self.first_name(bg, sex, born)
        if bg.feminine_surnames:
            last = n.feminine(last) if sex == "female" else n.masculine(last)
        row: dict[str, Any] = {
            "key": f"p{self.count}", "last_name": last, "first_name": first, "birth_date": born,
            "sex": sex, "addresses": [dict(home["address"])], "phones": [],
            "preferred_language": home["language"], "interpreter_needed": home["interpreter"],
            "status": home["status"], "primary_care_provider": self.pcp(born),
            "appointment_reminders": self.chance(0.95), "mail_consent": self.chance(0.9),
        }  # fmt: skip
        self.identity(row, bg, adult)
        if home["phone"]:
            row["phones"].append({"kind": "home", "number": home["phone"],
                                  "voicemail_consent": self.chance(0.8)})  # fmt: skip
        if adult or (self.age_of(born) >= 13 and self.chance(0.5)):
            self.contact_details(row, born)
        return row

    def age_of(self, born: dt.date) -> int:
        years = self.today.year - born.year
        return years - ((self.today.month, self.today.day) < (born.month, born.day))

    def one_of(self, ids: tuple[int, ...], share: float) -> int | None:
        """One of ``ids`` for ``share`` of the calls. Draws the same whatever ``ids`` holds, so
        the people generated do not depend on the practice's ids."""
        wanted, pick = self.chance(share), self.rng.random()
        return ids[int(pick * len(ids))] if wanted and ids else None

    def pcp(self, born: dt.date) -> int | None:
        doctors = self.practice.pediatrics if self.age_of(born) < 18 else self.practice.family
        return self.one_of(doctors, 0.88)

    def identity(self, row: dict[str, Any], bg: n.Background, adult: bool) -> None:
        """Middle and preferred names, suffix, gender identity, race and ethnicity, SSN."""
        first = row["first_name"]
        if self.chance(0.5 if bg.code in ("general", "black", "hispanic") else 0.15):
            pool = n.MIDDLE if bg.code != "hispanic" else (bg.male if row["sex"] == "male"
                                                           else bg.female)  # fmt: skip
            middle = self.pick(pool)
            row["middle_name"] = middle if middle != first else ""
        if adult and first in n.NICKNAMES and self.chance(0.2):
            row["preferred_name"] = n.NICKNAMES[first]
        elif adult and bg.english_names and self.chance(bg.english_names):
            row["preferred_name"] = self.pick(n.ENGLISH_NAMES[row["sex"] == "female"])
        if adult and row["sex"] == "male" and self.chance(0.015):
            row["suffix"] = self.rng.choice(("Jr", "Jr", "III", "Sr"))
        roll = self.rng.random()
        if roll < 0.004:
            row.update(gender_identity=c.GenderIdentity.NON_BINARY, pronouns=c.Pronouns.THEY)
        elif roll < 0.1:
            female = row["sex"] == "female"
            row["gender_identity"] = c.GenderIdentity.FEMALE if female else c.GenderIdentity.MALE
            row["pronouns"] = c.Pronouns.SHE if female else c.Pronouns.HE
        roll = self.rng.random()
        if roll < 0.07:
            row.update(race=[c.Race.DECLINED], ethnicity=c.Ethnicity.DECLINED)
        elif roll < 0.85:
            race = [self.rng.choice(bg.race)]
            if self.chance(0.03):
                race.append(self.rng.choice((c.Race.WHITE, c.Race.BLACK, c.Race.ASIAN)))
            row.update(race=sorted(set(race)), ethnicity=bg.ethnicity)
        if self.chance(0.35 if adult else 0.2):
            row["ssn"] = self.ids.ssn()

    def contact_details(self, row: dict[str, Any], born: dt.date) -> None:
        """Own mobile (with SMS consent), e-mail and the way they like to be reached."""
        older = self.age_of(born) >= 70
        if self.chance(0.75 if older else 0.92):
            sms = self.chance(0.75)
            mobile = {"kind": "mobile", "number": self.ids.phone(), "sms_consent": sms,
                      "voicemail_consent": self.chance(0.85), "is_primary": True}  # fmt: skip
            row["phones"].insert(0, mobile)
            if sms and self.chance(0.55):
                row["preferred_contact_method"] = c.ContactMethod.SMS
        if self.chance(0.45 if older else 0.72):
            row["email"] = self.ids.email(row["first_name"], row["last_name"])
            row["email_consent"] = self.chance(0.8)
            if "preferred_contact_method" not in row and self.chance(0.25):
                row["preferred_contact_method"] = self.rng.choice(
                    (c.ContactMethod.EMAIL, c.ContactMethod.PORTAL)
                )

    # ---- households ---------------------------------------------------------------------------

    def home(self, bg: n.Background, *, elderly: bool = False) -> dict[str, Any]:
        town, zip_code = self.rng.choice(n.TOWNS)
        address = {"use": "home", "line1": f"{self.rng.randint(1, 2400)} {self.pick(n.STREETS)}",
                   "city": town, "state": "NY", "zip_code": zip_code}  # fmt: skip
        if self.chance(0.22):
            address["line2"] = self.rng.choice(("Apt ", "Unit ", "#")) + str(
                self.rng.randint(1, 40)
            ) + self.rng.choice(("", "", "A", "B"))  # fmt: skip
        language: str = c.Language.ENGLISH
        interpreter = False
        for code, share in bg.languages:
            if self.chance(share):
                language, interpreter = code, self.chance(0.65)
                break
        if language == c.Language.ENGLISH and self.chance(0.001):
            language, interpreter = c.Language.ASL, True
        return {
            "address": address, "language": language, "interpreter": interpreter,
            "phone": self.ids.phone() if self.chance(0.55 if elderly else 0.3) else "",
            "status": c.PatientStatus.INACTIVE if self.chance(0.03) else c.PatientStatus.ACTIVE,
        }  # fmt: skip

    def adult(self, home: dict[str, Any], bg: n.Background, age: int, last: str | None = None,
              sex: str | None = None) -> dict[str, Any]:  # fmt: skip
        sex = sex or ("female" if self.chance(0.52) else "male")
        row = self.person(home, bg, sex, self.born(age), last or self.surname(bg), adult=True)
        if age >= 65 and home["status"] == c.PatientStatus.ACTIVE and self.chance(0.015):
            died = self.today - dt.timedelta(days=self.rng.randint(20, 900))
            row.update(status=c.PatientStatus.DECEASED, deceased_date=died)
        if age >= 40:
            row["referring_provider"] = self.one_of(self.practice.referrers, 0.05)
        return row

    def spouses(self, home: dict[str, Any], bg: n.Background, age: int) -> list[dict[str, Any]]:
        """Two adults; one is the other's guarantor; a spouse often took the other's name."""
        same_sex = self.chance(0.03)
        first_sex = self.rng.choice(("male", "female")) if same_sex else "male"
        one = self.adult(home, bg, age, sex=first_sex)
        other_bg = self.background() if self.chance(0.1) else bg
        other_age = max(18, min(95, age + round(self.rng.gauss(-1, 3))))
        second_sex = first_sex if same_sex else "female"
        own = self.surname(other_bg)
        took_name = not same_sex and self.chance(0.65)
        two = self.adult(home, other_bg, other_age, one["last_name"] if took_name else own,
                         sex=second_sex)  # fmt: skip
        if took_name and self.chance(0.5):
            married = born_years_ago(self.today, max(0, self.age_of(two["birth_date"]) - 24), 0)
            two["previous_names"] = [{"kind": "maiden", "last_name": n.feminine(own)
                                      if other_bg.feminine_surnames else own,
                                      "until": married}]  # fmt: skip
        two.update(guarantor_key=one["key"], guarantor_relationship=c.Relationship.SPOUSE)
        for a, b in ((one, two), (two, one)):
            if self.chance(0.7):
                self.emergency(a, b, c.Relationship.SPOUSE)
        return [one, two]

    def emergency(self, row: dict[str, Any], other: dict[str, Any] | None, relation: str) -> None:
        if other is not None:
            name = f"{other['first_name']} {other['last_name']}"
            phone = next((p["number"] for p in other["phones"]), "") or self.ids.phone()
        else:
            bg = self.background()
            sex = self.rng.choice(("male", "female"))
            name = f"{self.first_name(bg, sex, row['birth_date'])} {self.surname(bg)}"
            phone = self.ids.phone()
        row["emergency_contacts"] = [{"name": name, "relationship": relation, "phone": phone}]

    def children(self, home: dict[str, Any], bg: n.Background, parents: list[dict[str, Any]],
                 relation: str, *, oldest: int) -> list[dict[str, Any]]:  # fmt: skip
        guarantor = parents[0]
        last = parents[-1]["last_name"] if len(parents) > 1 else guarantor["last_name"]
        kids = []
        for _ in range(self.rng.choices(KIDS, weights=KIDS_WEIGHTS)[0]):
            age = self.rng.randint(0, 2) if self.chance(0.15) else self.rng.randint(0, oldest)
            sex = "female" if self.chance(0.49) else "male"
            kid = self.person(home, bg, sex, self.born(age), last, adult=False)
            kid.update(guarantor_key=guarantor["key"], guarantor_relationship=relation)
            parent_mobile = next((p for p in guarantor["phones"] if p["kind"] == "mobile"), None)
            if parent_mobile and not any(p["kind"] == "mobile" for p in kid["phones"]):
                kid["phones"].append({**parent_mobile, "is_primary": False})
            if self.chance(0.6):
                other = parents[-1] if len(parents) > 1 else guarantor
                self.emergency(kid, other, self.parent_word(other, relation))
            kids.append(kid)
        return kids

    @staticmethod
    def parent_word(parent: dict[str, Any], relation: str) -> str:
        if relation == c.Relationship.GRANDPARENT:
            return relation
        return c.Relationship.MOTHER if parent["sex"] == "female" else c.Relationship.FATHER

    def household(self) -> list[dict[str, Any]]:
        kind = self.rng.choices([h[0] for h in HOUSEHOLDS], weights=[h[1] for h in HOUSEHOLDS])[0]
        bg = self.background()
        if kind == "single":
            age = self.age(SINGLE_AGES)
            row = self.adult(self.home(bg, elderly=age >= 65), bg, age)
            if self.chance(0.5):
                self.emergency(row, None, self.rng.choice(("sibling", "child", "friend")))
            return [row]
        if kind == "couple":
            age = self.age(COUPLE_AGES)
            return self.spouses(self.home(bg, elderly=age >= 65), bg, age)
        if kind == "grandparent":
            home = self.home(bg, elderly=True)
            grandma = self.adult(home, bg, self.rng.randint(52, 75), sex="female")
            return [grandma, *self.children(home, bg, [grandma], "grandparent", oldest=16)]
        home = self.home(bg)
        if kind == "adult_child":
            parents = self.spouses(home, bg, self.rng.randint(44, 66))
            grown = self.adult(home, bg, self.rng.randint(18, 26), parents[0]["last_name"])
            return [*parents, grown]
        age = self.rng.randint(24, 50)
        if kind == "single_parent":
            parent = self.adult(home, bg, age, sex="female" if self.chance(0.8) else "male")
            parents = [parent]
        else:  # the second spouse (often the mother) is the children's guarantor
            parents = self.spouses(home, bg, age)
        payer = parents[::-1]
        relation = self.parent_word(payer[0], c.Relationship.PARENT)
        kids = self.children(home, bg, payer, relation, oldest=min(17, age - 19))
        return [*parents, *kids]  # every guarantor before the people it pays for

    def alerts(self, rows: list[dict[str, Any]]) -> list[Alert]:
        found = []
        for row in rows:
            age = self.age_of(row["birth_date"])
            for share, kind, severity, message in ALERTS:
                if age >= 18 and self.chance(share):
                    found.append(Alert(row["key"], kind, severity, message))
            if age >= 75 and self.chance(0.03):
                found.append(Alert(row["key"], c.AlertKind.ACCESSIBILITY,
                                   c.AlertSeverity.WARNING, FALL_RISK))  # fmt: skip
        return found

    def households(self) -> Iterator[Household]:
        """The scripted households, then generated ones for ever (the caller stops)."""
        if not self.stream:
            yield from scripted_households(self.today, self.practice)
        while True:
            rows = self.household()
            yield Household(rows, self.alerts(rows))
            for row in rows:
                if self.age_of(row["birth_date"]) >= 18 and self.chance(NEAR_DUPLICATE_SHARE):
                    self.count += 1
                    twin = near_duplicate(row, self.rng, f"p{self.count}", self.today)
                    yield Household([twin], [], duplicate_of=row["key"])


def generate(
    count: int, *, seed: int, today: dt.date, practice: PracticeIds, stream: int = 0
) -> Iterator[Household]:
    """Households holding exactly ``count`` patients in all (the last one may be cut short)."""
    left = count
    for house in Population(seed, today, practice, stream).households():
        if left <= 0:
            return
        rows = house.rows[:left]
        kept = {row["key"] for row in rows}
        left -= len(rows)
        alerts = [a for a in house.alerts if a.key in kept]
        yield Household(rows, alerts, house.duplicate_of if rows else "")
