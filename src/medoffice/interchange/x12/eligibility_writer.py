"""Building the 271 eligibility response (005010X279A1): what the payer simulator answers."""

from __future__ import annotations

from collections.abc import Sequence

from .common import (
    default_originator,
    format_date,
    format_decimal,
    write_address,
    write_party,
    write_person_name,
    write_rejection,
)
from .envelope import (
    close_envelope,
    control_number,
    end_transaction,
    open_envelope,
    start_transaction,
)
from .errors import X12Error
from .models import Benefit, EligibilityRequest, EligibilityResponse, EnvelopeIds, Person, Rejection
from .segments import SegmentWriter

VERSION = "005010X279A1"
UPPER_LOOPS = ("2000A", "2100A", "2100B")


def _yn(value: bool | None) -> str:
    if value is None:
        return ""
    return "Y" if value else "N"


def write_benefit(w: SegmentWriter, benefit: Benefit, rejections: list[Rejection]) -> None:
    w.add(
        "EB",
        benefit.code,
        benefit.coverage_level,
        list(benefit.service_types),
        benefit.insurance_type,
        benefit.plan_description,
        benefit.time_period,
        format_decimal(benefit.amount),
        format_decimal(benefit.percent),
        benefit.quantity_qualifier,
        format_decimal(benefit.quantity),
        _yn(benefit.authorization_required),
        _yn(benefit.in_network),
    )
    for qualifier, value in benefit.references:
        w.add("REF", qualifier, value)
    for qualifier, value in benefit.dates:
        w.add("DTP", qualifier, "RD8" if "-" in value else "D8", value)
    for rejection in rejections:
        write_rejection(w, rejection)
    for message in benefit.messages:
        w.add("MSG", message)
    if benefit.related:
        w.add("LS", "2120")
        default = {"L": "P3", "R": "PR"}.get(benefit.code, "1P")
        for party in benefit.related:
            write_party(w, party.entity_code or default, party)
        w.add("LE", "2120")


def _write_name_loop(
    w: SegmentWriter,
    entity_code: str,
    person: Person,
    group_number: str,
    rejections: list[Rejection],
    response: EligibilityResponse | None,
) -> None:
    """NM1, REF, N3/N4, AAA, DMG, INS and the plan dates of a 2100C/2100D."""
    write_person_name(w, entity_code, person)
    if group_number:
        w.add("REF", "6P", group_number)
    write_address(w, person.address)
    for rejection in rejections:
        write_rejection(w, rejection)
    if person.birth_date is not None or person.sex:
        w.add(
            "DMG",
            "D8" if person.birth_date else "",
            format_date(person.birth_date) if person.birth_date else "",
            person.sex,
        )
    if entity_code == "03" and person.relationship:
        w.add("INS", "N", person.relationship)
    if response is not None:
        if response.plan_begin is not None:
            w.add("DTP", "346", "D8", format_date(response.plan_begin))
        if response.plan_end is not None:
            w.add("DTP", "347", "D8", format_date(response.plan_end))


def _write_benefits(w: SegmentWriter, response: EligibilityResponse, loop: str) -> None:
    extra = [r for r in response.rejections if r.loop == loop]
    for index, benefit in enumerate(response.benefits):
        write_benefit(w, benefit, extra if index == 0 else [])


def build_271(
    request: EligibilityRequest,
    responses: Sequence[EligibilityResponse] | EligibilityResponse,
    ids: EnvelopeIds,
) -> str:
    """A 271 answering ``request``: one 2000C (and 2000D) per response.

    Rejections are written in the loop they name: at 2000A/2100A/2100B the answer stops there;
    at 2100C/2100D the AAA is written in the name loop and no EB follows.
    """
    answers = [responses] if isinstance(responses, EligibilityResponse) else list(responses)
    if not answers:
        raise X12Error("A 271 needs at least one response.")
    first = answers[0]
    payer = first.payer if first.payer.name else request.payer
    provider = first.provider if first.provider.name else request.provider
    upper = {loop: [r for r in first.rejections if r.loop == loop] for loop in UPPER_LOOPS}
    stop = any(upper.values())
    originator = request.originator_id or default_originator(request.provider)

    w = open_envelope(ids, "HB", VERSION)
    control = control_number(ids)
    start = start_transaction(w, "271", control, VERSION)
    created = ids.created
    w.add(
        "BHT",
        "0022",
        "11",
        request.trace_number,
        created.strftime("%Y%m%d"),
        created.strftime("%H%M"),
    )
    w.add("HL", "1", "", "20", "1")
    for rejection in upper["2000A"]:
        write_rejection(w, rejection)
    write_party(w, "PR", payer)
    for rejection in upper["2100A"]:
        write_rejection(w, rejection)
    w.add("HL", "2", "1", "21", "0" if stop else "1")
    write_party(w, "1P", provider)
    for rejection in upper["2100B"]:
        write_rejection(w, rejection)
    hl = 2
    if not stop:
        for response in answers:
            hl = _write_patient(w, request, response, hl, originator)
    end_transaction(w, start, control)
    return close_envelope(w, ids, 1)


def _write_patient(
    w: SegmentWriter,
    request: EligibilityRequest,
    response: EligibilityResponse,
    hl: int,
    originator: str,
) -> int:
    traces = response.trace_numbers or (request.trace_number,)
    dependent = response.dependent
    subscriber = response.subscriber if response.subscriber.last_name else request.subscriber
    group = response.group_number or subscriber.group_number
    hl += 1
    subscriber_hl = hl
    w.add("HL", str(hl), "2", "22", "0" if dependent is None else "1")
    sub_rejections = [r for r in response.rejections if r.loop == "2100C"]
    if dependent is None:
        for trace in traces:
            w.add("TRN", "2", trace, originator)
        _write_name_loop(w, "IL", subscriber, group, sub_rejections, response)
        if not sub_rejections:
            _write_benefits(w, response, "2110C")
        return hl
    _write_name_loop(w, "IL", subscriber, group, sub_rejections, None)
    hl += 1
    w.add("HL", str(hl), str(subscriber_hl), "23", "0")
    for trace in traces:
        w.add("TRN", "2", trace, originator)
    dep_rejections = [r for r in response.rejections if r.loop == "2100D"]
    _write_name_loop(w, "03", dependent, "", dep_rejections, response)
    if not dep_rejections and not sub_rejections:
        _write_benefits(w, response, "2110D")
    return hl
