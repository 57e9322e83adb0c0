"""Which forms a patient owes on a day, from the templates' due rules and the last signatures.

* A template for new patients is due until the patient has completed it once ("new patient").
* An acknowledgment (the Notice of Privacy Practices) is due again ``months`` after the last one
  ("yearly acknowledgment due" for 12 months), and on first contact if never signed.
* A consent expires ``months`` after it was signed ("consent expired on 2026-03-01").
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

RenewalKind = Literal["none", "acknowledgment", "expires"]


@dataclass(frozen=True)
class DueRule:
    code: str
    name: str
    for_new_patients: bool
    renewal: RenewalKind = "none"
    months: int | None = None


@dataclass(frozen=True)
class Due:
    code: str
    name: str
    reason: str


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _period(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "yearly" if years == 1 else f"every {years} years"
    return f"every {months} months"


def reason_due(rule: DueRule, last_signed: dt.date | None, on: dt.date) -> str | None:
    """Why the form is due on ``on``, or None when it is not."""
    renews = rule.renewal != "none" and rule.months is not None
    if last_signed is None:
        if rule.for_new_patients:
            return "new patient"
        if renews and rule.renewal == "acknowledgment" and rule.months is not None:
            return f"{_period(rule.months)} acknowledgment due"
        if renews:
            return "never signed"
        return None
    if not renews or rule.months is None:
        return None
    until = add_months(last_signed, rule.months)
    if until > on:
        return None
    if rule.renewal == "acknowledgment":
        return f"{_period(rule.months)} acknowledgment due"
    return f"{'consent' if 'consent' in rule.code else rule.name.lower()} expired on {until}"


def forms_due(
    rules: Sequence[DueRule], last_signed: Mapping[str, dt.date], on: dt.date
) -> list[Due]:
    """The forms due, in the order of ``rules``; ``last_signed`` maps template codes to the
    date of the patient's latest signed submission (any version)."""
    found = []
    for rule in rules:
        reason = reason_due(rule, last_signed.get(rule.code), on)
        if reason is not None:
            found.append(Due(rule.code, rule.name, reason))
    return found
