"""A payer's decision on one 278 prior-authorization request, by its configured CPT rules.

Each service line is approved (HCR A1, with a certification number), pended (A4), denied (A3) or
needs no authorization (NA); the event's status sums them up. Certification numbers are stable:
the same request gets the same number.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from medoffice.interchange.x12.models import (
    AuthorizationRequest,
    AuthorizationResponse,
    ServiceDecision,
    ServiceLine,
)
from medoffice.payer_sim.config import AuthorizationRules, Member, SimulatorConfig
from medoffice.payer_sim.eligibility import rejection

HCR = {"approve": "A1", "pend": "A4", "deny": "A3", "not_required": "NA"}
EXPLAIN = {
    "approve": "Approved.",
    "pend": "Pended for medical review; the payer will decide later.",
    "deny": "Not medically necessary under the plan's policy.",
    "not_required": "No prior authorization is needed for this service.",
}


def certification_number(rules: AuthorizationRules, request: AuthorizationRequest) -> str:
    seed = "|".join(
        (
            request.payer.identifier,
            request.subscriber.member_id,
            request.trace_number,
            *(line.code for line in request.services),
        )
    )
    digits = int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16) % 10**10
    return f"{rules.certification_prefix}{digits:010d}"


def answer_authorization(
    config: SimulatorConfig, request: AuthorizationRequest, *, today: dt.date
) -> AuthorizationResponse:
    payer = config.payer(request.payer.identifier)
    if payer is None:
        return _rejected(request, "2010A", "79", "The payer ID is not one this payer recognizes.")
    member_id = request.subscriber.member_id
    member = config.member(payer.payer_id, member_id) or Member(payer.payer_id, member_id)
    if not member_id.strip() or member.status == "not_found":
        return _rejected(request, "2010C", "75", "The payer has no member with this ID.")
    if member.status == "inactive" or (member.coverage_end and member.coverage_end < today):
        return _rejected(request, "2010C", "72", "The member's coverage is not active.")
    rules = payer.prior_auth
    number = certification_number(rules, request)
    decisions = tuple(_decide(rules, line, number) for line in request.services)
    outcomes = {rules.outcome(line.code) for line in request.services}
    status = _status(outcomes)
    begin = request.from_date or today
    end = request.to_date or begin + dt.timedelta(days=rules.valid_days)
    certified = status in ("approved", "partial")
    return AuthorizationResponse(
        trace_numbers=(request.trace_number,),
        status=status,
        certification_number=number if certified else "",
        effective_from=begin if certified else None,
        effective_to=end if certified else None,
        decisions=decisions,
        rejections=(),
        explanation=_explanation(status, number),
    )


def _decide(rules: AuthorizationRules, line: ServiceLine, number: str) -> ServiceDecision:
    outcome = rules.outcome(line.code)
    return ServiceDecision(
        code=line.code,
        status=HCR[outcome],
        certification_number=number if outcome == "approve" else "",
        units=line.units if outcome == "approve" else None,
        explanation=EXPLAIN[outcome],
    )


def _status(outcomes: set[str]) -> str:
    if outcomes <= {"not_required"}:
        return "not_required"
    if "pend" in outcomes:
        return "pending"
    if "deny" in outcomes:
        return "partial" if "approve" in outcomes else "denied"
    return "approved"


def _explanation(status: str, number: str) -> str:
    return {
        "approved": f"Approved, certification {number}.",
        "partial": f"Some services approved (certification {number}); others were denied.",
        "denied": "Denied, the services do not meet the plan's criteria.",
        "pending": "Pended for medical review; the payer will answer later.",
        "not_required": "No prior authorization is needed.",
    }[status]


def _rejected(
    request: AuthorizationRequest, loop: str, code: str, explanation: str
) -> AuthorizationResponse:
    aaa = rejection(loop, code, "C", valid=True)
    return AuthorizationResponse(
        trace_numbers=(request.trace_number,),
        status="rejected",
        certification_number="",
        effective_from=None,
        effective_to=None,
        decisions=(),
        rejections=(aaa,),
        explanation=explanation,
    )
