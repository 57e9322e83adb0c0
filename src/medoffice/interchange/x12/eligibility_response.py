"""Reading the 271 eligibility response (005010X279A1) into plain figures."""

from __future__ import annotations

from datetime import date

from . import codes
from .common import el, parse_decimal, parse_period, party_from, rejection_from
from .eligibility_request import expect_level, level_party
from .envelope import transactions_for
from .errors import X12Error
from .hierarchy import HLNode, PersonBlock, by_parent, header_and_levels, person_block
from .models import Benefit, EligibilityResponse, OtherPayer, Party, Person, Rejection
from .segments import Segment

# 2120 entity codes that name another payer wherever they appear.
PAYER_ENTITIES = frozenset({"PRP", "SEP", "TTP", "Y2"})
# Codes naming a person or provider rather than a payer, even inside an EB*R loop.
NOT_PAYER_ENTITIES = frozenset({"IL", "P3", "1P", "13", "73", "FA", "LR", "VER", "VN"})
MEMBER_ID_REFS = ("1W", "IG", "NQ", "49", "6P")
MANAGED_CARE_WORDS = ("HMO", "MANAGED CARE", "MCO", "MANAGED MEDICAID", "HEALTH PLAN")


def _level_rejections(node: HLNode, before: str, after: str) -> list[Rejection]:
    loop = before
    found: list[Rejection] = []
    for seg in node.segments:
        if seg[0] == "NM1":
            loop = after
        elif seg[0] == "AAA":
            found.append(rejection_from(seg, loop))
    return found


def read_benefits(
    segs: list[Segment], start: int, loop: str, repetition: str
) -> tuple[list[Benefit], list[Rejection]]:
    """The 2110 loops (EB with HSD, REF, DTP, AAA, MSG, III and the 2120 LS/LE entities)."""
    benefits: list[Benefit] = []
    rejections: list[Rejection] = []
    eb: Segment | None = None
    messages: list[str] = []
    dates: list[tuple[str, str]] = []
    refs: list[tuple[str, str]] = []
    related: list[Party] = []
    for seg in segs[start:]:
        seg_id = seg[0]
        if seg_id == "EB":
            if eb is not None:
                benefits.append(_benefit(eb, repetition, messages, dates, refs, related))
                messages, dates, refs, related = [], [], [], []
            eb = seg
        elif eb is None:
            continue  # stray name-loop segments after the name loop: nothing to attach them to
        elif seg_id == "MSG":
            messages.append(el(seg, 1))
        elif seg_id == "DTP":
            dates.append((el(seg, 1), el(seg, 3)))
        elif seg_id == "REF":
            refs.append((el(seg, 1), el(seg, 2)))
        elif seg_id == "NM1":
            related.append(party_from(seg))
        elif seg_id == "AAA":
            rejections.append(rejection_from(seg, loop))
    if eb is not None:
        benefits.append(_benefit(eb, repetition, messages, dates, refs, related))
    return benefits, rejections


_EB_PAD = [""] * 13


def _benefit(
    eb: Segment,
    repetition: str,
    messages: list[str],
    dates: list[tuple[str, str]],
    refs: list[tuple[str, str]],
    related: list[Party],
) -> Benefit:
    if len(eb) < 13:
        eb = eb + _EB_PAD[len(eb) :]
    code = eb[1]
    if not code:
        raise X12Error("An EB segment has no benefit code (EB01).", segment_id="EB")
    types = eb[3]
    amount, percent, quantity = eb[7], eb[8], eb[10]
    return Benefit(
        code,
        tuple(types.split(repetition)) if types else (),
        eb[2],
        eb[4],
        eb[5],
        eb[6],
        parse_decimal(amount, "EB07 benefit amount") if amount else None,
        parse_decimal(percent, "EB08 benefit percent") if percent else None,
        eb[9],
        parse_decimal(quantity, "EB10 benefit quantity") if quantity else None,
        _YES_NO.get(eb[11]),
        _YES_NO.get(eb[12]),
        tuple(messages),
        tuple(dates),
        tuple(related),
        tuple(refs),
    )


_YES_NO = {"Y": True, "N": False}


def read_271(text: str, *, strict: bool = True) -> list[EligibilityResponse]:
    """One response per patient answered (2000C subscriber or 2000D dependent).

    A 271 that stops at the payer or provider level with an AAA (nobody looked up) gives one
    response with an empty subscriber and the rejections. ``strict=False`` tolerates control
    numbers that do not match their trailer (SE02, GE02, IEA02), listing them in ``warnings``;
    counts, truncation and structure are always checked.
    """
    found, warning_list = transactions_for(text, ("271",), "read_271", strict=strict)
    warnings = tuple(warning_list)
    responses: list[EligibilityResponse] = []
    for interchange, _, transaction in found:
        _, nodes = header_and_levels(transaction, ("11", "06"), "0022")
        rep = interchange.separators.repetition
        tree = by_parent(nodes)
        for source in tree.get("", []):
            expect_level(source, "20", "the top of the 271 (payer)")
            payer = level_party(source, "2100A")
            source_rejections = _level_rejections(source, "2000A", "2100A")
            receivers = tree.get(source.id, [])
            if not receivers:
                responses.append(_empty(payer, Party(""), source_rejections, warnings))
            for receiver in receivers:
                expect_level(receiver, "21", "under the payer (provider)")
                provider = level_party(receiver, "2100B")
                upper = source_rejections + _level_rejections(receiver, "2100B", "2100B")
                subscribers = tree.get(receiver.id, [])
                if not subscribers:
                    responses.append(_empty(payer, provider, upper, warnings))
                for sub in subscribers:
                    expect_level(sub, "22", "under the provider (subscriber)")
                    responses.extend(
                        _subscriber_responses(sub, tree, payer, provider, upper, rep, warnings)
                    )
    return responses


def _empty(
    payer: Party, provider: Party, rejections: list[Rejection], warnings: tuple[str, ...]
) -> EligibilityResponse:
    if not rejections:
        raise X12Error("The 271 has no subscriber level (2000C) and no rejection (AAA).")
    return EligibilityResponse(
        trace_numbers=(),
        payer=payer,
        provider=provider,
        subscriber=Person("", ""),
        dependent=None,
        active=None,
        plan_name="",
        insurance_type="",
        group_number="",
        plan_begin=None,
        plan_end=None,
        pcp=None,
        other_payers=(),
        benefits=(),
        rejections=tuple(rejections),
        warnings=warnings,
    )


def _subscriber_responses(
    sub: HLNode,
    tree: dict[str, list[HLNode]],
    payer: Party,
    provider: Party,
    upper: list[Rejection],
    rep: str,
    warnings: tuple[str, ...],
) -> list[EligibilityResponse]:
    block = person_block(sub, ("IL",), "2100C")
    benefits, benefit_rejections = read_benefits(sub.segments, block.rest, "2110C", rep)
    sub_rejections = upper + block.rejections
    dependents = tree.get(sub.id, [])
    results: list[EligibilityResponse] = []
    if not dependents or benefits or benefit_rejections:
        results.append(
            _response(
                block,
                None,
                payer,
                provider,
                benefits,
                sub_rejections + benefit_rejections,
                warnings,
            )
        )
    for dep in dependents:
        expect_level(dep, "23", "under the subscriber (dependent)")
        dep_block = person_block(dep, ("03",), "2100D")
        dep_benefits, dep_benefit_rejections = read_benefits(
            dep.segments, dep_block.rest, "2110D", rep
        )
        rejections = sub_rejections + dep_block.rejections + dep_benefit_rejections
        results.append(
            _response(block, dep_block, payer, provider, dep_benefits, rejections, warnings)
        )
    return results


def _plan_dates(
    blocks: list[PersonBlock], benefits: list[Benefit]
) -> tuple[date | None, date | None]:
    found: dict[str, tuple[date, date | None]] = {}
    for block in blocks:
        for seg in block.dates:
            qualifier = el(seg, 1)
            if qualifier not in found:
                found[qualifier] = parse_period(el(seg, 2), el(seg, 3), f"DTP*{qualifier} date")
    for benefit in benefits:
        if benefit.code in codes.ACTIVE_CODES:
            for qualifier, value in benefit.dates:
                if qualifier not in found and qualifier in (
                    "346",
                    "347",
                    "356",
                    "357",
                    "291",
                    "307",
                ):
                    fmt = "RD8" if "-" in value else "D8"
                    found[qualifier] = parse_period(fmt, value, f"DTP*{qualifier} date")
    begin: date | None = None
    end: date | None = None
    for qualifier in ("346", "356", "291", "307"):
        if qualifier in found:
            begin = found[qualifier][0]
            break
    for qualifier in ("347", "357"):
        if qualifier in found:
            end = found[qualifier][0]
            break
    if end is None:
        for qualifier in ("291", "307", "346", "356"):
            if qualifier in found and found[qualifier][1] is not None:
                end = found[qualifier][1]
                break
    return begin, end


def _response(
    sub: PersonBlock,
    dep: PersonBlock | None,
    payer: Party,
    provider: Party,
    benefits: list[Benefit],
    rejections: list[Rejection],
    warnings: tuple[str, ...],
) -> EligibilityResponse:
    patient = dep if dep is not None else sub
    traces = [el(t, 2) for t in patient.traces if el(t, 1) == "2"] or [
        el(t, 2) for t in sub.traces if el(t, 1) == "2"
    ]
    blocks = [patient, sub] if dep is not None else [sub]
    begin, end = _plan_dates(blocks, benefits)
    active_benefits = [b for b in benefits if b.code in codes.ACTIVE_CODES]
    if active_benefits:
        active: bool | None = True
    elif any(b.code in codes.INACTIVE_CODES for b in benefits):
        active = False
    else:
        active = None
    plan_name = next((b.plan_description for b in active_benefits if b.plan_description), "")
    plan_name = plan_name or next((b.plan_description for b in benefits if b.plan_description), "")
    insurance = next((b.insurance_type for b in active_benefits if b.insurance_type), "")
    insurance = insurance or next((b.insurance_type for b in benefits if b.insurance_type), "")
    return EligibilityResponse(
        trace_numbers=tuple(traces),
        payer=payer,
        provider=provider,
        subscriber=sub.person,
        dependent=dep.person if dep is not None else None,
        active=active,
        plan_name=plan_name,
        insurance_type=insurance,
        group_number=_group_number(patient, sub, benefits),
        plan_begin=begin,
        plan_end=end,
        pcp=_pcp(benefits),
        other_payers=other_payers(benefits),
        benefits=tuple(benefits),
        rejections=tuple(rejections),
        warnings=warnings,
    )


def _group_number(patient: PersonBlock, sub: PersonBlock, benefits: list[Benefit]) -> str:
    if patient.person.group_number or sub.person.group_number:
        return patient.person.group_number or sub.person.group_number
    for qualifier in ("6P", "1L"):
        for benefit in benefits:
            for ref, value in benefit.references:
                if ref == qualifier:
                    return value
    return ""


def _pcp(benefits: list[Benefit]) -> Party | None:
    ordered = [b for b in benefits if b.code == "L"] + [b for b in benefits if b.code != "L"]
    for benefit in ordered:
        for party in benefit.related:
            if party.entity_code == "P3":
                return party
    return None


def other_payers(benefits: list[Benefit]) -> tuple[OtherPayer, ...]:
    """Other payers: entities of EB*R loops, and primary/secondary/MCO entities anywhere."""
    result: list[OtherPayer] = []
    for benefit in benefits:
        parties = [
            p
            for p in benefit.related
            if p.entity_code in PAYER_ENTITIES
            or (benefit.code in ("R", "MC") and p.entity_code not in NOT_PAYER_ENTITIES)
        ]
        if benefit.code == "R" and not parties:
            if benefit.plan_description:
                parties = [Party(benefit.plan_description)]
            else:
                parties = [Party(codes.insurance_type_name(benefit.insurance_type))]
        if not parties:
            continue
        member_id = _member_id(benefit)
        for party in parties:
            payer = OtherPayer(
                name=" ".join(v for v in (party.first_name, party.name) if v),
                payer_id=party.identifier if party.id_qualifier != "MI" else "",
                member_id=member_id,
                insurance_type=benefit.insurance_type,
                coverage_level=benefit.coverage_level,
                medicaid_managed_care=_medicaid_managed_care(benefit, party),
                primary=_primary(party.entity_code),
            )
            if payer not in result:
                result.append(payer)
    return tuple(result)


def _member_id(benefit: Benefit) -> str:
    for party in benefit.related:
        if party.entity_code == "IL" and party.identifier:
            return party.identifier
    for qualifier in MEMBER_ID_REFS:
        for ref, value in benefit.references:
            if ref == qualifier:
                return value
    return ""


def _medicaid_managed_care(benefit: Benefit, party: Party) -> bool:
    words = " ".join((party.name, benefit.plan_description, *benefit.messages)).upper()
    medicaid = benefit.insurance_type == "MC" or "MEDICAID" in words
    managed = (
        party.entity_code == "Y2"
        or benefit.code == "MC"
        or benefit.insurance_type in ("HM", "HN")
        or any(word in words for word in MANAGED_CARE_WORDS)
    )
    return medicaid and managed


def _primary(entity_code: str) -> bool | None:
    if entity_code == "PRP":
        return True
    if entity_code in ("SEP", "TTP"):
        return False
    return None
