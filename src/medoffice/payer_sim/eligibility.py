"""A payer's answer to one 270 inquiry, as the X12 package's ``EligibilityResponse``.

Pure: configuration and request in, response out (``build_271`` writes it). The benefits follow
what real 271s carry for an office: EB*1 with the plan, copays per service type (per visit),
coinsurance and the calendar-year deductible and out-of-pocket maximum with what remains,
individual and family, in and out of network; EB*L naming an HMO's PCP; EB*R naming other coverage
(a Medicaid managed-care plan); EB*I for services the plan does not cover; AAA when the payer
cannot answer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from medoffice.interchange.x12.models import (
    Benefit,
    EligibilityRequest,
    EligibilityResponse,
    OtherPayer,
    Party,
    Person,
    Rejection,
)
from medoffice.payer_sim.config import (
    SPECIALIST,
    Member,
    OtherCoverage,
    Payer,
    Plan,
    SimulatorConfig,
)
from medoffice.payer_sim.figures import remaining

BASE = "30"  # health benefit plan coverage

# The desk's words for the AAA codes this payer sends (the X12 reader has its own as well).
EXPLANATIONS = {
    "42": "The payer cannot answer right now. Try again later.",
    "71": "The birth date does not match the payer's records. Check it with the patient.",
    "72": "The member ID is not valid or the coverage is not active. Check the card.",
    "73": "The name does not match the payer's records. Check the card.",
    "75": "The payer has no member with this ID. Check the card and the payer.",
    "79": "The payer ID is not one this payer recognizes. Check the payer chosen.",
}


def rejection(loop: str, code: str, follow_up: str, *, valid: bool = False) -> Rejection:
    return Rejection(
        loop=loop,
        code=code,
        follow_up=follow_up,
        valid_request=valid,
        explanation=EXPLANATIONS.get(code, ""),
        retry_may_help=code == "42" or follow_up in ("R", "W"),
    )


def answer_eligibility(
    config: SimulatorConfig, request: EligibilityRequest, *, unable_to_respond: bool = False
) -> EligibilityResponse:
    payer = config.payer(request.payer.identifier)
    if payer is None:
        return _rejected(request, rejection("2100A", "79", "C"), payer_name=request.payer.name)
    if unable_to_respond:
        return _rejected(request, rejection("2100A", "42", "R", valid=True), payer_name=payer.name)
    member_id = request.subscriber.member_id
    member = config.member(payer.payer_id, member_id) or Member(payer.payer_id, member_id)
    if not member_id.strip() or member.status == "not_found":
        return _rejected(request, rejection("2100C", "75", "C", valid=True), payer_name=payer.name)
    mismatch = _demographics_mismatch(member, request.subscriber)
    if mismatch:
        return _rejected(request, rejection("2100C", mismatch, "C", valid=True), payer.name)
    if member.fault is not None and member.fault.aaa_42:
        return _rejected(request, rejection("2100C", "42", "R", valid=True), payer_name=payer.name)
    return _covered(request, payer, payer.plan(member.plan_id), member)


def _party(payer_name: str, request: EligibilityRequest) -> Party:
    return Party(
        name=payer_name,
        entity_type="2",
        id_qualifier="PI",
        identifier=request.payer.identifier,
        entity_code="PR",
    )


def _rejected(request: EligibilityRequest, aaa: Rejection, payer_name: str) -> EligibilityResponse:
    return EligibilityResponse(
        trace_numbers=(request.trace_number,),
        payer=_party(payer_name, request),
        provider=request.provider,
        subscriber=request.subscriber,
        dependent=request.dependent,
        active=None,
        plan_name="",
        insurance_type="",
        group_number="",
        plan_begin=None,
        plan_end=None,
        pcp=None,
        other_payers=(),
        benefits=(),
        rejections=(aaa,),
    )


def _demographics_mismatch(member: Member, subscriber: Person) -> str:
    if member.birth_date and subscriber.birth_date and member.birth_date != subscriber.birth_date:
        return "71"
    if member.last_name and subscriber.last_name.strip().upper() != member.last_name.upper():
        return "73"
    return ""


def _covered(
    request: EligibilityRequest, payer: Payer, plan: Plan, member: Member
) -> EligibilityResponse:
    ended = member.coverage_end is not None and member.coverage_end < request.service_date
    active = member.status == "active" and not ended
    subscriber = Person(
        last_name=member.last_name or request.subscriber.last_name,
        first_name=member.first_name or request.subscriber.first_name,
        middle_name=request.subscriber.middle_name,
        suffix=request.subscriber.suffix,
        member_id=request.subscriber.member_id,
        birth_date=member.birth_date or request.subscriber.birth_date,
        sex=request.subscriber.sex,
        group_number=plan.group_number,
        address=request.subscriber.address,
    )
    pcp = _pcp(plan) if active else None
    benefits = _benefits(request, payer, plan, member) if active else _inactive(plan)
    if active and member.other_payer is not None:
        benefits += (_other_payer_benefit(member.other_payer),)
    return EligibilityResponse(
        trace_numbers=(request.trace_number,),
        payer=_party(payer.name, request),
        provider=request.provider,
        subscriber=subscriber,
        dependent=request.dependent,
        active=active,
        plan_name=plan.name,
        insurance_type=plan.insurance_type,
        group_number=plan.group_number,
        plan_begin=_plan_begin(plan.plan_begin, member.coverage_end),
        plan_end=member.coverage_end,
        pcp=pcp,
        other_payers=((_other_payer(member.other_payer),) if active and member.other_payer else ()),
        benefits=benefits,
        rejections=(),
    )


def _plan_begin(begin: dt.date, coverage_end: dt.date | None) -> dt.date:
    """The start of the plan year that covered the member (a year back per year ended before)."""
    while coverage_end is not None and begin > coverage_end:
        try:
            begin = begin.replace(year=begin.year - 1)
        except ValueError:  # 29 February
            begin = begin.replace(year=begin.year - 1, day=28)
    return begin


def _inactive(plan: Plan) -> tuple[Benefit, ...]:
    return (
        Benefit(
            code="6",
            service_types=(BASE,),
            coverage_level="IND",
            insurance_type=plan.insurance_type,
            plan_description=plan.name,
        ),
    )


def _pcp(plan: Plan) -> Party | None:
    if plan.pcp is None:
        return None
    return Party(
        name=plan.pcp.last_name,
        first_name=plan.pcp.first_name,
        entity_type="1",
        id_qualifier="XX",
        identifier=plan.pcp.npi,
        entity_code="P3",
    )


def _other_payer(other: OtherCoverage) -> OtherPayer:
    return OtherPayer(
        name=other.name,
        payer_id=other.payer_id,
        member_id=other.member_id,
        insurance_type=other.insurance_type,
        medicaid_managed_care=other.medicaid_managed_care,
        primary=other.primary,
    )


def _other_payer_benefit(other: OtherCoverage) -> Benefit:
    if other.primary is True:
        code = "PRP"
    elif other.primary is False:
        code = "SEP"
    else:
        code = "Y2" if other.medicaid_managed_care else "PR"
    party = Party(
        name=other.name,
        entity_type="2",
        id_qualifier="PI" if other.payer_id else "",
        identifier=other.payer_id,
        entity_code=code,
    )
    return Benefit(
        code="R",
        service_types=(BASE,),
        insurance_type=other.insurance_type,
        plan_description=other.name,
        references=(("1W", other.member_id),) if other.member_id else (),
        messages=("MEDICAID MANAGED CARE PLAN",) if other.medicaid_managed_care else (),
        related=(party,),
    )


def _benefits(
    request: EligibilityRequest, payer: Payer, plan: Plan, member: Member
) -> tuple[Benefit, ...]:
    kind = plan.insurance_type
    out: list[Benefit] = [
        Benefit(
            code="1",
            service_types=_asked(request, plan),
            coverage_level="IND",
            insurance_type=kind,
            plan_description=plan.name,
        )
    ]
    pcp = _pcp(plan)
    if pcp is not None:
        out.append(Benefit(code="L", service_types=(), related=(pcp,)))
    for service_type, amount in plan.copays.items():
        messages: tuple[str, ...] = ()
        if service_type == SPECIALIST:
            service_type, messages = "98", ("SPECIALIST OFFICE VISIT",)
        out.append(
            Benefit(
                code="B",
                service_types=(service_type,),
                coverage_level="IND",
                insurance_type=kind,
                time_period="27",
                amount=amount,
                authorization_required=_auth(plan, service_type),
                in_network=True,
                messages=messages,
            )
        )
    for network, percent in _networks(plan.coinsurance.in_network, plan.coinsurance.out_of_network):
        out.append(
            Benefit(
                code="A",
                service_types=(BASE,),
                coverage_level="IND",
                insurance_type=kind,
                percent=percent,
                in_network=network,
            )
        )
    out += _accumulators(plan, payer, member)
    out += [
        Benefit(code="I", service_types=(service_type,), coverage_level="IND", insurance_type=kind)
        for service_type in plan.non_covered
    ]
    return tuple(out)


def _asked(request: EligibilityRequest, plan: Plan) -> tuple[str, ...]:
    asked = tuple(s for s in request.service_types if s not in plan.non_covered)
    return asked or (BASE,)


def _auth(plan: Plan, service_type: str) -> bool | None:
    return True if service_type in plan.authorization_required else None


def _networks(
    in_network: Decimal | None, out_of_network: Decimal | None
) -> list[tuple[bool, Decimal]]:
    pairs: list[tuple[bool, Decimal]] = []
    if in_network is not None:
        pairs.append((True, in_network))
    if out_of_network is not None:
        pairs.append((False, out_of_network))
    return pairs


def _accumulators(plan: Plan, payer: Payer, member: Member) -> list[Benefit]:
    left = remaining(plan, payer.payer_id, member.member_id, member.overrides)
    out: list[Benefit] = []
    for code, kind, level, split in (
        ("C", "deductible", "individual", plan.deductible_individual),
        ("C", "deductible", "family", plan.deductible_family),
        ("G", "oop", "individual", plan.oop_individual),
        ("G", "oop", "family", plan.oop_family),
    ):
        for network, total in _networks(split.in_network, split.out_of_network):
            suffix = "in_network" if network else "out_of_network"
            rest = left.get(f"{kind}_remaining_{level}_{suffix}")
            coverage = "IND" if level == "individual" else "FAM"
            for period, amount in (("23", total), ("29", rest)):
                if amount is None:
                    continue
                out.append(
                    Benefit(
                        code=code,
                        service_types=(BASE,),
                        coverage_level=coverage,
                        insurance_type=plan.insurance_type,
                        time_period=period,
                        amount=amount,
                        in_network=network,
                    )
                )
    return out


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
