"""Reads of the authorizations context that other contexts call (the booking screen, chart prep)
and its own pages use.

``booking_warnings``, ``needs_for`` and ``alerts`` keep their names: scheduling and the front
desk call them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from medoffice.authorizations import matching, usage
from medoffice.authorizations.choices import (
    OPEN_STATUSES,
    AlertKind,
    AuthorizationStatus,
    Direction,
    ReferralStatus,
)
from medoffice.authorizations.models import (
    AuthorizationAppointment,
    PriorAuthorization,
    Referral,
    ReferralVisit,
)
from medoffice.insurance import queries as insurance
from medoffice.insurance.choices import PlanType
from medoffice.scheduling import queries as scheduling

S = AuthorizationStatus
UNITS_NEARLY_USED = 0.2  # an authorization with a fifth (or 1 unit) left is flagged


# ---- one patient's records ------------------------------------------------------------------


def referrals_of(patient_id: int) -> QuerySet[Referral]:
    return usage.referrals().filter(patient_id=patient_id).order_by("-start_date", "-pk")


def authorizations_of(patient_id: int) -> QuerySet[PriorAuthorization]:
    return (
        usage.authorizations()
        .filter(patient_id=patient_id)
        .prefetch_related("services", "diagnoses")
        .order_by("-created_at", "-pk")
    )


def get_referral(referral_id: int) -> Referral | None:
    return usage.referrals().select_related("patient").filter(pk=referral_id).first()


def get_authorization(authorization_id: int) -> PriorAuthorization | None:
    return (
        usage.authorizations()
        .select_related("patient", "coverage__plan__payer")
        .prefetch_related("services", "diagnoses")
        .filter(pk=authorization_id)
        .first()
    )


def visits_of(referral_id: int) -> QuerySet[ReferralVisit]:
    return (
        ReferralVisit.objects.filter(referral_id=referral_id)
        .select_related(
            "appointment__provider", "appointment__location", "appointment__appointment_type"
        )
        .order_by("appointment__starts_at")
    )


def appointments_of(authorization_id: int) -> QuerySet[AuthorizationAppointment]:
    return (
        AuthorizationAppointment.objects.filter(authorization_id=authorization_id)
        .select_related(
            "appointment__provider", "appointment__location", "appointment__appointment_type"
        )
        .order_by("appointment__starts_at")
    )


def open_authorizations() -> QuerySet[PriorAuthorization]:
    """Submitted or pending with the payer, and drafts not sent: the worklist's first table."""
    return (
        usage.authorizations()
        .select_related("patient")
        .filter(status__in=[S.DRAFT, *OPEN_STATUSES])
        .order_by("status", "submitted_at", "pk")
    )


def upcoming_appointments(patient_id: int, *, after: dt.datetime) -> list[Any]:
    """The patient's appointments still holding time from ``after`` (for linking)."""
    return list(scheduling.holding_appointments_of(patient_id, after=after)[:20])


# ---- plans in force ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanOnFile:
    order: int
    effective: dt.date
    ends: dt.date | None
    plan_type: str
    requires_referral: bool
    requires_prior_authorization: bool

    def in_force(self, day: dt.date) -> bool:
        return self.effective <= day and (self.ends is None or day <= self.ends)

    @property
    def type_label(self) -> str:
        return (
            str(PlanType(self.plan_type).label) if self.plan_type in PlanType.values else "health"
        )


def _plans_of(patient_ids: Iterable[int]) -> dict[int, list[PlanOnFile]]:
    """Active coverages of several patients in one query."""
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    rows = insurance.coverages_for(ids)
    found: dict[int, list[PlanOnFile]] = defaultdict(list)
    for c in rows:
        found[c.patient_id].append(
            PlanOnFile(c.order, c.effective_date, c.end_date, c.plan.plan_type,
                       c.plan.requires_referral, c.plan.requires_prior_authorization)
        )  # fmt: skip
    return found


def _primary(plans: list[PlanOnFile], day: dt.date) -> PlanOnFile | None:
    in_force = sorted((p for p in plans if p.in_force(day)), key=lambda p: p.order)
    return in_force[0] if in_force else None


# ---- booking and chart prep ---------------------------------------------------------------


def _findings(
    kind: Any,
    plan: PlanOnFile | None,
    *,
    day: dt.date,
    provider: Any,
    referrals: list[Referral],
    authorizations: list[PriorAuthorization],
) -> list[matching.Finding]:
    found: list[matching.Finding] = []
    if plan is None:
        return found
    if kind.needs_referral and plan.requires_referral:
        found += matching.referral_findings(
            referrals, day=day, provider=provider, plan_type=plan.type_label, type_name=kind.name
        )
    if kind.needs_prior_authorization and plan.requires_prior_authorization:
        fitting = [a for a in authorizations if a.appointment_type_id in (None, kind.pk)]
        found += matching.authorization_findings(fitting, day=day, type_name=kind.name)
    return found


def _open_referrals(patient_ids: list[int]) -> QuerySet[Referral]:
    return usage.referrals().filter(
        patient_id__in=patient_ids, direction=Direction.INCOMING, status=ReferralStatus.ACTIVE
    )


def _live_authorizations(patient_ids: list[int]) -> QuerySet[PriorAuthorization]:
    return usage.authorizations().filter(patient_id__in=patient_ids).exclude(status=S.CANCELLED)


def booking_warnings(
    patient_id: int, appointment_type_id: int, provider_id: int, starts_at: dt.datetime
) -> list[str]:
    """Plain-words warnings for the booking screen; empty when nothing is needed.

    "This HMO plan needs a referral for Cardiology new patient; none is on file.",
    "Referral R-123 has 1 visit left.", "Prior authorization needed for Stress test; none
    approved." Only types that need a referral (or prior authorization) for plans that
    require one are checked.
    """
    kind = scheduling.get_appointment_type(appointment_type_id)
    if kind is None or not (kind.needs_referral or kind.needs_prior_authorization):
        return []
    from medoffice.practice import queries as practice

    provider = practice.find_provider(provider_id)
    if provider is None:
        return []
    day = matching.day_of(starts_at)
    plan = _primary(_plans_of([patient_id]).get(patient_id, []), day)
    if plan is None:
        return []
    referrals = list(_open_referrals([patient_id])) if kind.needs_referral else []
    authorizations = (
        list(_live_authorizations([patient_id])) if kind.needs_prior_authorization else []
    )
    found = _findings(
        kind, plan, day=day, provider=provider, referrals=referrals, authorizations=authorizations
    )
    return [f.message for f in found]


def needs_for(appointments: list[Any]) -> dict[int, list[tuple[str, str]]]:
    """Per appointment id, what is missing: ("referral" | "prior_auth", label), empty when the
    visit is covered. A fixed number of queries whatever the number of appointments."""
    result: dict[int, list[tuple[str, str]]] = {a.pk: [] for a in appointments}
    type_ids = {a.appointment_type_id for a in appointments}
    kinds = {
        k.pk: k
        for k in scheduling.list_appointment_types(active_only=False)
        .filter(pk__in=type_ids)
        .prefetch_related(None)
    }
    wanting = [
        a for a in appointments
        if kinds.get(a.appointment_type_id) is not None
        and (kinds[a.appointment_type_id].needs_referral
             or kinds[a.appointment_type_id].needs_prior_authorization)
    ]  # fmt: skip
    if not wanting:
        return result
    patient_ids = sorted({a.patient_id for a in wanting})
    plans = _plans_of(patient_ids)
    ids = [a.pk for a in wanting]
    counted = set(
        ReferralVisit.objects.filter(appointment_id__in=ids).values_list(
            "appointment_id", flat=True
        )
    )
    covered = set(
        AuthorizationAppointment.objects.filter(
            appointment_id__in=ids, authorization__status=S.APPROVED
        ).values_list("appointment_id", flat=True)
    )
    referrals: dict[int, list[Referral]] = defaultdict(list)
    for referral in _open_referrals(patient_ids).order_by("end_date", "pk"):
        referrals[referral.patient_id].append(referral)
    authorizations: dict[int, list[PriorAuthorization]] = defaultdict(list)
    for authorization in _live_authorizations(patient_ids).order_by("-created_at"):
        authorizations[authorization.patient_id].append(authorization)
    providers = _providers({a.provider_id for a in wanting})
    for appointment in wanting:
        kind = kinds[appointment.appointment_type_id]
        day = matching.day_of(appointment.starts_at, _zone(appointment))
        plan = _primary(plans.get(appointment.patient_id, []), day)
        found = _findings(
            kind, plan, day=day, provider=providers[appointment.provider_id],
            referrals=[] if appointment.pk in counted else referrals[appointment.patient_id],
            authorizations=authorizations[appointment.patient_id],
        )  # fmt: skip
        result[appointment.pk] = [
            (f.key, f.message)
            for f in found
            if f.blocking
            and not (f.key == "referral" and appointment.pk in counted)
            and not (f.key == "prior_auth" and appointment.pk in covered)
        ]
    return result


def _zone(appointment: Any) -> str | None:
    location = appointment._state.fields_cache.get("location")
    return location.time_zone if location is not None else None


def _providers(provider_ids: set[int]) -> dict[int, Any]:
    from medoffice.practice import queries as practice

    return {
        p.pk: p
        for p in practice.list_providers(active_only=False)
        .filter(pk__in=provider_ids)
        .prefetch_related(None)
    }


# ---- alerts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    kind: str  # AlertKind
    message: str
    patient_id: int
    referral: Referral | None = None
    authorization: PriorAuthorization | None = None
    ends: dt.date | None = None
    left: int | None = None

    @property
    def kind_label(self) -> str:
        return str(AlertKind(self.kind).label)


def _authorization_alerts(today: dt.date, until: dt.date) -> list[Alert]:
    found: list[Alert] = []
    rows = (
        usage.authorizations()
        .select_related("patient")
        .filter(status=S.APPROVED, effective_to__gte=today)
    )
    for a in rows.order_by("effective_to", "pk"):
        total, left = a.units_approved_total, a.units_left
        if a.effective_to is not None and a.effective_to <= until:
            days = (a.effective_to - today).days
            plural = "" if days == 1 else "s"
            message = f"{a.label} ends {a.effective_to:%m/%d/%Y} (in {days} day{plural})."
            found.append(Alert(AlertKind.AUTHORIZATION_EXPIRING, message, a.patient_id,
                               authorization=a, ends=a.effective_to, left=left))  # fmt: skip
        elif total and left <= max(1, int(total * UNITS_NEARLY_USED)):
            message = f"{a.label} has {left} of {total} units left."
            found.append(Alert(AlertKind.AUTHORIZATION_UNITS, message, a.patient_id,
                               authorization=a, ends=a.effective_to, left=left))  # fmt: skip
    return found


def _referral_alerts(today: dt.date, until: dt.date) -> list[Alert]:
    found: list[Alert] = []
    rows = (
        usage.referrals()
        .select_related("patient")
        .filter(direction=Direction.INCOMING, status=ReferralStatus.ACTIVE)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )
    for r in rows.order_by("end_date", "pk"):
        left = r.visits_left
        if left <= 1:
            message = matching.visits_left_message(r, left)
            found.append(Alert(AlertKind.REFERRAL_VISITS, message, r.patient_id, referral=r,
                               ends=r.end_date, left=left))  # fmt: skip
        elif r.end_date is not None and r.end_date <= until:
            message = f"{r.label} ends {r.end_date:%m/%d/%Y} with {left} visits left."
            found.append(Alert(AlertKind.REFERRAL_ENDING, message, r.patient_id, referral=r,
                               ends=r.end_date, left=left))  # fmt: skip
    return found


def alerts(today: dt.date, *, within_days: int = 14) -> list[Alert]:
    """Authorizations ending within ``within_days`` or with units nearly used up, and incoming
    referrals with at most one visit left or ending within ``within_days``."""
    until = today + dt.timedelta(days=within_days)
    return [*_authorization_alerts(today, until), *_referral_alerts(today, until)]
