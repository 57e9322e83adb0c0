"""Whether a referral or an authorization covers a visit, and the desk's words when it does not.

No database here: callers pass the records with their usage counted (``visits_used`` /
``units_used`` and ``units_approved_total``), so one evaluation costs no query.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from medoffice.authorizations.choices import AuthorizationStatus as A
from medoffice.authorizations.choices import Direction, ReferralStatus
from medoffice.practice.choices import Specialty


@dataclass(frozen=True)
class Finding:
    """One thing the desk should know: ``blocking`` when the visit is not covered."""

    key: str  # "referral" or "prior_auth"
    message: str
    blocking: bool
    rank: int = 0  # lower is closer to covering the visit (the one to tell the desk about)


def day_of(at: dt.datetime, time_zone: str | None = None) -> dt.date:
    """The calendar day of an instant at the location (or the practice's time zone)."""
    zone = zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)
    return at.astimezone(zone).date() if at.tzinfo else at.date()


def specialty_label(value: str) -> str:
    try:
        return str(Specialty(value).label)
    except ValueError:
        return value


def same_specialty(wanted: str, provider_specialty: str) -> bool:
    """A referral naming no specialty fits any; else its words match the provider's."""
    wanted = wanted.strip().lower()
    if not wanted:
        return True
    names = {provider_specialty.lower(), specialty_label(provider_specialty).lower()}
    return wanted in names or wanted.replace(" ", "_") in names


def _date(day: dt.date) -> str:
    return f"{day:%m/%d/%Y}"


def referral_problem(
    referral: Any, *, day: dt.date, provider: Any, visits_used: int
) -> tuple[str, int] | None:
    """Why ``referral`` cannot count a visit on ``day`` with ``provider`` (message, rank)."""
    label = referral.label
    if referral.status != ReferralStatus.ACTIVE:
        return f"{label} was cancelled.", 6
    if referral.direction != Direction.INCOMING:
        return f"{label} is an outgoing referral.", 7
    if day < referral.start_date:
        return f"{label} starts {_date(referral.start_date)}.", 3
    if referral.end_date is not None and day > referral.end_date:
        return f"{label} ended {_date(referral.end_date)}: ask the PCP for a new one.", 4
    if referral.to_provider_id is not None and referral.to_provider_id != provider.pk:
        return f"{label} is for {referral.to_provider.display_name}, not this provider.", 5
    if not same_specialty(referral.specialty, provider.specialty):
        wanted = specialty_label(referral.specialty)
        have = specialty_label(provider.specialty)
        return f"{label} is for {wanted}; this provider is {have}.", 5
    if visits_used >= referral.visits_authorized:
        used = f"{visits_used} of {referral.visits_authorized} used"
        return f"{label} has no visits left ({used}).", 2
    return None


def visits_left_message(referral: Any, left: int) -> str:
    return f"{referral.label} has {left} visit{'' if left == 1 else 's'} left."


def referral_findings(
    referrals: list[Any], *, day: dt.date, provider: Any, plan_type: str, type_name: str
) -> list[Finding]:
    """What to tell the desk about a visit that needs a referral."""
    best: Finding | None = None
    for referral in referrals:
        problem = referral_problem(
            referral, day=day, provider=provider, visits_used=referral.visits_used
        )
        if problem is None:
            left = referral.visits_authorized - referral.visits_used
            return (
                [Finding("referral", visits_left_message(referral, left), False)]
                if left <= 1
                else []
            )
        found = Finding("referral", problem[0], True, problem[1])
        if best is None or found.rank < best.rank:
            best = found
    if best is not None:
        return [best]
    return [
        Finding(
            "referral",
            f"This {plan_type} plan needs a referral for {type_name}; none is on file.",
            True,
            9,
        )
    ]


def authorization_problem(
    authorization: Any, *, day: dt.date, type_name: str
) -> tuple[str, int] | None:
    status = authorization.status
    if status in (A.SUBMITTED, A.PENDING):
        sent = authorization.submitted_at
        when = f" (submitted {_date(day_of(sent))})" if sent else ""
        payer = authorization.payer.name if authorization.payer_id else "the payer"
        return f"Prior authorization for {type_name} is pending with {payer}{when}.", 2
    if status == A.DRAFT:
        return f"Prior authorization for {type_name} is drafted but not sent to the payer.", 3
    if status == A.DENIED:
        return f"Prior authorization for {type_name} was denied.", 6
    if status == A.CANCELLED:
        return f"{authorization.label} was cancelled.", 7
    label = authorization.label
    ends = authorization.effective_to
    if status == A.EXPIRED or (ends is not None and day > ends):
        return f"{label} ended {_date(ends) if ends else 'already'}.", 4
    starts = authorization.effective_from
    if starts is not None and day < starts:
        return f"{label} starts {_date(starts)}.", 4
    if authorization.units_used >= authorization.units_approved_total:
        used = f"{authorization.units_used} of {authorization.units_approved_total} used"
        return f"{label} has no units left ({used}).", 5
    return None


def authorization_findings(
    authorizations: list[Any], *, day: dt.date, type_name: str
) -> list[Finding]:
    best: Finding | None = None
    for authorization in authorizations:
        problem = authorization_problem(authorization, day=day, type_name=type_name)
        if problem is None:
            left = authorization.units_approved_total - authorization.units_used
            if left <= 1:
                message = f"{authorization.label} has {left} unit left."
                return [Finding("prior_auth", message, False)]
            return []
        found = Finding("prior_auth", problem[0], True, problem[1])
        if best is None or found.rank < best.rank:
            best = found
    if best is not None:
        return [best]
    return [
        Finding(
            "prior_auth", f"Prior authorization needed for {type_name}; none approved.", True, 9
        )
    ]
