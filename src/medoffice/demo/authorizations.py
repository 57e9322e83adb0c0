"""The demo's referrals and prior authorizations, for patients whose plan asks for them.

Among the patients whose primary coverage (``insurance.queries``) is on a plan that requires
referrals or prior authorization: incoming cardiology referrals from outside PCPs (numbers,
visits authorized, the visits already booked with the cardiologist counted against them), one
running out of visits, one that ended; an outgoing referral to an outside specialist with its
letter printed; a stress test (93015 for R07.9, I20.9) faxed and pending with the payer, a brain
MRI (70551 for R51.9) approved with its number, and a lumbar epidural (64483 for M54.16)
denied. Everything goes through ``authorizations.services`` (audited), decisions taken "by
phone", so no network is needed. With no such coverage yet, nothing is written.

Patients with a referral-needing visit in the next week are left without a referral, so the
desk's "referral needed" flags still have someone to show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from medoffice.authorizations import services
from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.core.identifiers import make_npi
from medoffice.insurance import queries as insurance
from medoffice.insurance.choices import CoverageOrder, CoverageStatus
from medoffice.practice import queries as practice
from medoffice.practice.choices import Specialty
from medoffice.scheduling import queries as scheduling

PCPS = [("Helen", "Marsh-Ito", "MD"), ("Victor", "Abara", "DO"), ("Nadia", "Kowalczyk", "MD"),
        ("Samuel", "Oyelaran", "MD")]  # fmt: skip
KEYS = (
    "incoming_referrals", "outgoing_referrals", "visits_counted", "letters",
    "authorizations_pending", "authorizations_approved", "authorizations_denied",
)  # fmt: skip


def _candidates(today: dt.date) -> list[Any]:
    """Primary coverages in force today on plans that require a referral or an authorization."""
    found: list[Any] = []
    for plan in insurance.plans(active_only=False):
        if not (plan.requires_referral or plan.requires_prior_authorization):
            continue
        rows = plan.coverages.filter(status=CoverageStatus.ACTIVE, order=CoverageOrder.PRIMARY)
        for coverage in rows.select_related("plan__payer").order_by("pk"):
            if coverage.effective_date <= today and (
                coverage.end_date is None or coverage.end_date >= today
            ):
                found.append(coverage)
    return found


def _soon_needing_referral(patient_id: int, now: dt.datetime) -> bool:
    week = now + dt.timedelta(days=7)
    return any(
        a.appointment_type.needs_referral and a.starts_at < week
        for a in scheduling.holding_appointments_of(patient_id, after=now)[:10]
    )


def _pcp(rng: Any) -> tuple[str, str]:
    first, last, credentials = rng.choice(PCPS)
    return f"{first} {last}, {credentials}", make_npi(f"{rng.randrange(10**8, 10**9):09d}")


def _count_visits(referral: Any, cardiologist: Any, now: dt.datetime, acting_user: Any) -> int:
    counted = 0
    seen = scheduling.holding_appointments_of(
        referral.patient_id, after=now - dt.timedelta(days=90)
    )
    for appointment in seen.filter(provider=cardiologist)[:6]:
        if counted >= referral.visits_authorized - 1:
            break
        try:
            services.link_visit(referral, appointment, acting_user=acting_user)
        except AuthorizationRefused:
            continue
        counted += 1
    return counted


def _incoming(
    coverages: list[Any], cardiologist: Any, rng: Any, today: dt.date, acting_user: Any
) -> tuple[int, int]:
    """(referrals, visits counted): active ones, one running out, one that ended."""
    now = timezone.now()
    shapes = [("active", 6), ("running_out", 2), ("ended", 4), ("active", 8)]
    made = visits = 0
    for coverage, (shape, authorized) in zip(coverages, shapes, strict=False):
        name, npi = _pcp(rng)
        starts = today - dt.timedelta(days=rng.randrange(20, 60))
        ends = today - dt.timedelta(days=10) if shape == "ended" else today + dt.timedelta(days=90)
        if shape == "ended":
            starts = ends - dt.timedelta(days=90)
        referral = services.record_referral(
            acting_user=acting_user, patient=coverage.patient, direction="incoming",
            start_date=starts, end_date=ends, visits_authorized=authorized, coverage=coverage,
            number=f"R-{rng.randrange(100000, 999999)}", referring_name=name,
            referring_npi=npi, to_provider=cardiologist, specialty=Specialty.CARDIOLOGY,
            reason="Chest pain on exertion; please evaluate", diagnosis_codes=["R07.9"],
        )  # fmt: skip
        made += 1
        if shape == "running_out":
            visits += _count_visits(referral, cardiologist, now, acting_user)
            if referral.visits_left > 1:  # nothing booked yet: one visit taken elsewhere
                services.change_referral(referral, acting_user=acting_user, visits_authorized=1)
        elif shape == "active":
            visits += _count_visits(referral, cardiologist, now, acting_user)
    return made, visits


def _outgoing(coverage: Any, pcp: Any, rng: Any, today: dt.date, acting_user: Any) -> int:
    specialists = [
        r for r in practice.list_referring_providers() if "cardio" not in r.specialty.lower()
    ]
    if not specialists or pcp is None:
        return 0
    specialist = rng.choice(specialists)
    referral = services.record_referral(
        acting_user=acting_user, patient=coverage.patient, direction="outgoing",
        start_date=today, end_date=today + dt.timedelta(days=120), visits_authorized=3,
        coverage=coverage, to_specialist=specialist, from_provider=pcp,
        reason="Persistent symptoms despite first-line treatment; please evaluate and advise",
        diagnosis_codes=["M25.561"] if "ortho" in specialist.specialty.lower() else ["R53.83"],
    )  # fmt: skip
    services.make_referral_letter(referral, acting_user=acting_user)
    return 1


def _authorizations(
    coverages: list[Any], cardiologist: Any, stress_type: Any, today: dt.date, acting_user: Any
) -> dict[str, int]:
    found = {"authorizations_pending": 0, "authorizations_approved": 0, "authorizations_denied": 0}
    plans = [
        ("pending", ("93015",), ["R07.9", "I20.9"], stress_type),
        ("approved", ("70551",), ["R51.9"], None),
        ("denied", ("64483",), ["M54.16"], None),
    ]
    for coverage, (outcome, codes, diagnoses, kind) in zip(coverages, plans, strict=False):
        draft = services.draft_authorization(
            acting_user=acting_user, patient=coverage.patient, requesting_provider=cardiologist,
            services=[services.ServiceInput(code, 1) for code in codes], diagnoses=diagnoses,
            coverage=coverage, appointment_type=kind,
            effective_from=today, effective_to=today + dt.timedelta(days=60),
        )  # fmt: skip
        via = "portal" if coverage.plan.payer.portal_url else "fax"
        services.submit_authorization(draft, acting_user=acting_user, via=via)
        if outcome == "pending":
            services.record_decision(draft, acting_user=acting_user, decision="pending",
                                     payer_reference=f"CASE-{draft.pk:05d}")  # fmt: skip
        elif outcome == "approved":
            services.record_decision(
                draft, acting_user=acting_user, decision="approved",
                certification_number=f"PA{today:%y%m%d}{draft.pk:04d}",
            )  # fmt: skip
        else:
            services.record_decision(
                draft, acting_user=acting_user, decision="denied",
                denial_reason="Conservative treatment for six weeks not documented",
            )  # fmt: skip
        found[f"authorizations_{outcome}"] += 1
    return found


def seed_authorizations(*, rng: Any, today: dt.date, acting_user: Any = None) -> dict[str, int]:
    """Referrals and prior authorizations for demo patients whose plans need them; the counts
    written (all zero when no coverage on such a plan exists yet)."""
    counts = dict.fromkeys(KEYS, 0)
    providers = list(practice.list_providers())
    cardiologist = next((p for p in providers if p.specialty == Specialty.CARDIOLOGY), None)
    pcp = next((p for p in providers if p.specialty == Specialty.FAMILY_MEDICINE), None)
    coverages = _candidates(today)
    if not coverages or cardiologist is None:
        return counts
    now = timezone.now()
    rng.shuffle(coverages)
    free = [c for c in coverages if not _soon_needing_referral(c.patient_id, now)]
    referral_ready = [c for c in free if c.plan.requires_referral]
    auth_ready = [c for c in free if c.plan.requires_prior_authorization]
    stress = next(
        (t for t in scheduling.list_appointment_types() if t.needs_prior_authorization), None
    )
    try:
        made, visits = _incoming(referral_ready[:4], cardiologist, rng, today, acting_user)
        counts["incoming_referrals"], counts["visits_counted"] = made, visits
        if len(referral_ready) > 4:
            counts["outgoing_referrals"] = _outgoing(
                referral_ready[4], pcp, rng, today, acting_user
            )
            counts["letters"] = counts["outgoing_referrals"]
        counts.update(_authorizations(auth_ready[5:8] or auth_ready[:3], cardiologist, stress,
                                      today, acting_user))  # fmt: skip
    except ValidationError as exc:  # a demo set-up this code does not expect: say which rule
        raise RuntimeError(f"Demo authorizations refused: {exc.messages}") from None
    return counts
