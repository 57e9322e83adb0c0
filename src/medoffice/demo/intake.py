"""The demo's intake forms: signed forms on file for most of tomorrow's patients (some with the
yearly NPP acknowledgment due again, some new patients owing the whole set), and this morning's
kiosk forms, some waiting for the desk's review and some already applied.

Forms are signed through the real services (answers checked, PDF rendered, audited), so the
demo shows what the product makes. Randomness comes from ``ctx.rng`` only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from medoffice.intake import applying, services
from medoffice.intake.standard import install_standard_forms
from medoffice.intake.submitting import submit_form
from medoffice.scheduling import queries as scheduling_queries

TOMORROW_PATIENTS = 24  # at most this many of tomorrow's patients get forms on file
TODAY_KIOSK = 8
EVERY_FORM = [
    "registration",
    "npp-acknowledgment",
    "consent-to-treat",
    "financial-policy",
    "medical-history",
]
MEDICATIONS = ["Lisinopril 10 mg daily", "Metformin 500 mg twice a day", "Levothyroxine 50 mcg"]
ALLERGIES = ["Penicillin: hives", "Peanuts: swelling", "Latex: rash"]


@dataclass
class IntakeDemo:
    signed: int = 0
    pending_review: int = 0
    reviewed: int = 0  # applied to the record, or reviewed with nothing to apply
    new_patients_tomorrow: int = 0


def _plain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "patient"


def _answers(code: str, patient: Any, rng: Any) -> dict[str, Any]:
    if code == "registration":
        # The address on file (families keep the guarantor's); a made-up one only when none is.
        home = patient.addresses.order_by("pk").first()
        return {
            "q-first_name": patient.first_name,
            "q-last_name": patient.last_name,
            "q-birth_date": patient.birth_date.isoformat(),
            "q-email": f"{_plain(patient.first_name)}.{_plain(patient.last_name)}@example.com",
            "q-address_line1": home.line1 if home else f"{rng.randint(10, 990)} River Road",
            "q-city": home.city if home else "Riverbend",
            "q-state": home.state if home else "NY",
            "q-zip_code": home.zip_code if home else "12401",
        }
    if code == "medical-history":
        meds = rng.random() < 0.6
        allergic = rng.random() < 0.3
        return {
            "q-conditions": rng.sample(["Asthma", "Diabetes", "High blood pressure"], k=1),
            "q-takes_medications": "yes" if meds else "no",
            "q-medications": rng.choice(MEDICATIONS) if meds else "",
            "q-has_allergies": "yes" if allergic else "no",
            "q-allergies": rng.choice(ALLERGIES) if allergic else "",
            "q-had_surgery": "no",
            "q-tobacco": rng.choice(["Never", "Never", "Former"]),
            "q-alcohol": rng.choice(["None", "Occasionally"]),
        }
    return {
        "npp-acknowledgment": {"q-acknowledged": "on"},
        "consent-to-treat": {"q-consent": "on", "q-signer_is": "The patient"},
        "financial-policy": {"q-agree": "on"},
    }.get(code, {})


def _data(code: str, patient: Any, rng: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in _answers(code, patient, rng).items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    name = f"{patient.first_name} {patient.last_name}"
    data.update({"signer_name": name, "signature_kind": "typed", "signature_typed": name})
    return data


def _sign(patient: Any, codes: list[str], at: dt.datetime, rng: Any, channel: str) -> list[Any]:
    request, _ = services.start_request(
        patient, acting_user=None, channel=channel, codes=codes, now=at
    )
    forms = request.forms.select_related("version__template").order_by("position")
    return [submit_form(f, _data(f.version.template.code, patient, rng), now=at) for f in forms]


def _patients_on(day: dt.date) -> list[Any]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    seen: dict[int, Any] = {}
    for appointment in scheduling_queries.appointments_between(start, start + dt.timedelta(days=1)):
        seen.setdefault(appointment.patient_id, appointment.patient)
    return list(seen.values())


def _next_open_day(today: dt.date) -> tuple[dt.date, list[Any]]:
    for ahead in range(1, 5):
        day = today + dt.timedelta(days=ahead)
        found = _patients_on(day)
        if found:
            return day, found
    return today + dt.timedelta(days=1), []


def create_intake(ctx: Any) -> None:
    """Standard forms, then signed forms for tomorrow's and today's patients."""
    install_standard_forms()
    ctx.intake = made = IntakeDemo()
    if not ctx.patients or not ctx.appointment_days:
        return
    rng = ctx.rng
    today = ctx.today or timezone.localdate()
    zone = timezone.get_current_timezone()
    _, tomorrow = _next_open_day(today)
    established = tomorrow[:TOMORROW_PATIENTS]
    for i, patient in enumerate(established):
        if i % 3 == 2:
            made.new_patients_tomorrow += 1
            continue  # a new patient: the whole set is due
        months_ago = 13 if i % 3 == 1 else rng.randint(2, 10)  # 13: the NPP is due again
        signed_on = today - dt.timedelta(days=30 * months_ago)
        at = dt.datetime.combine(signed_on, dt.time(9, 15), tzinfo=zone)
        for submission in _sign(patient, EVERY_FORM, at, rng, "kiosk"):
            applying.apply_submission(submission, acting_user=None)
            made.reviewed += 1
            made.signed += 1
    this_morning = _patients_on(today)[:TODAY_KIOSK] or tomorrow[TOMORROW_PATIENTS:][:TODAY_KIOSK]
    for i, patient in enumerate(this_morning):
        at = dt.datetime.combine(today, dt.time(7, 40 + i), tzinfo=zone)
        signed = _sign(patient, ["npp-acknowledgment", "medical-history"], at, rng, "link")
        made.signed += len(signed)
        if i % 2:
            for submission in signed:
                applying.apply_submission(submission, acting_user=None)
                made.reviewed += 1
        else:
            made.pending_review += len(signed)
