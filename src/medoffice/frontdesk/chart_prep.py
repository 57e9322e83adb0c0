"""Chart prep for the next business day: per appointment, what is missing before the visit.

Forms come from intake (one bulk call), demographics from the desk's own "last confirmed"
record, eligibility from the latest check of the visit's coverage (insurance, one bulk call),
referral and prior-authorization needs from authorizations (what the plan requires for the
visit type and is not on file, one bulk call), balances from the patient ledger (billing, one
bulk call): what the patient owes now, apart from what is pending with insurance.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from medoffice.authorizations import queries as authorizations
from medoffice.billing import queries as billing
from medoffice.frontdesk import intake_forms
from medoffice.frontdesk.queries import day_bounds, last_confirmed_for
from medoffice.frontdesk.rules.business_days import next_business_day
from medoffice.insurance import queries as insurance
from medoffice.scheduling import queries as scheduling
from medoffice.scheduling.choices import AppointmentStatus as S

CONFIRM_EVERY_DAYS = 365
NO_BALANCE = "No balance due"


@dataclass(frozen=True)
class Item:
    key: str  # forms, demographics, referral, prior_auth, eligibility, balance
    label: str
    severity: str  # action / info
    fix: str = ""  # forms_start, forms_link, confirm_demographics


@dataclass
class PrepRow:
    appointment: Any
    local_start: dt.datetime
    items: list[Item] = field(default_factory=list)
    forms_link: str | None = None
    kiosk_link: str | None = None

    @property
    def actions(self) -> list[Item]:
        return [i for i in self.items if i.severity == "action"]


def prep_day(location: Any, *, today: dt.date | None = None) -> dt.date:
    """The next business day after ``today`` at the location (weekends and closed days skipped)."""
    zone = zoneinfo.ZoneInfo(location.time_zone)
    today = today or timezone.now().astimezone(zone).date()

    def closed(day: dt.date) -> bool:
        start, end = day_bounds(location, day)
        return scheduling.location_closed_all_day(location, start, end)

    return next_business_day(today, closed=closed)


def _demographics_item(confirmed_at: dt.datetime | None, day: dt.date) -> Item | None:
    if confirmed_at is None:
        return Item("demographics", "Demographics never confirmed at the desk", "action",
                    "confirm_demographics")  # fmt: skip
    if (day - confirmed_at.date()).days > CONFIRM_EVERY_DAYS:
        label = f"Demographics last confirmed {confirmed_at:%m/%d/%Y}"
        return Item("demographics", label, "action", "confirm_demographics")
    return None


def _forms_item(status: intake_forms.FormsStatus) -> Item | None:
    if status.due:
        names = ", ".join(str(f.name) for f in status.due)
        return Item("forms", f"Forms due: {names}", "action", "forms_start")
    return None


def _eligibility_item(found: tuple[str, str] | None) -> Item | None:
    if found is None:
        return None
    label, severity = found
    return Item("eligibility", label, severity, "check_eligibility" if severity == "action" else "")


def _balance_item(balance: billing.Balance) -> Item:
    pending = balance.pending_insurance
    also = f" (${pending:,} pending with insurance)" if pending > 0 else ""
    if balance.due_now > 0:
        return Item("balance", f"Balance due: ${balance.due_now:,}{also}", "action")
    if balance.credit > 0:
        return Item("balance", f"Credit on account: ${balance.credit:,}{also}", "info")
    return Item("balance", f"{NO_BALANCE}{also}", "info")


def prep_rows(location: Any, day: dt.date, *, provider_id: int | None = None) -> list[PrepRow]:
    start, end = day_bounds(location, day)
    appointments = list(
        scheduling.desk_appointments(
            start, end, location_id=location.pk,
            provider_ids=[provider_id] if provider_id else None,
            statuses=[S.BOOKED, S.CONFIRMED],
        )
    )  # fmt: skip
    patient_ids = [a.patient_id for a in appointments]
    forms = intake_forms.forms_due_for(patient_ids, on=day)
    confirmed = last_confirmed_for(patient_ids)
    eligibility = insurance.eligibility_items(patient_ids, day)
    needs = authorizations.needs_for(appointments)
    balances = billing.balances_of(set(patient_ids))
    zone = zoneinfo.ZoneInfo(location.time_zone)
    rows = []
    for appointment in appointments:
        row = PrepRow(appointment, appointment.starts_at.astimezone(zone))
        found = [
            _forms_item(forms.get(appointment.patient_id, intake_forms.FormsStatus())),
            _demographics_item(confirmed.get(appointment.patient_id), day),
            *(Item(key, label, "action", "authorizations") for key, label in needs[appointment.pk]),
            _eligibility_item(eligibility.get(appointment.patient_id)),
            _balance_item(balances[appointment.patient_id]),
        ]  # fmt: skip
        row.items = [item for item in found if item is not None]
        row.forms_link = intake_forms.url("patient_forms", appointment.patient_id)
        row.kiosk_link = intake_forms.url("kiosk_start", appointment.patient_id)
        rows.append(row)
    return rows
