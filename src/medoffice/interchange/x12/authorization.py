"""The 278 prior authorization request (005010X217): building it and reading it back.

Levels: 2000A UMO (HL 20, NM1*X3), 2000B requester (HL 21, NM1*1P), 2000C subscriber
(HL 22, NM1*IL), 2000D dependent (HL 23, NM1*QC, when the patient is not the subscriber),
2000E patient event (HL EV: TRN, UM, DTP*AAH, HI, NM1*SJ) and one 2000F service (HL SS: UM,
DTP*472, SV1) per service line. The response (``authorization_response``) mirrors it with HCR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .common import (
    check_required,
    default_originator,
    el,
    format_date,
    format_decimal,
    parse_decimal,
    parse_period,
    party_from,
    period_elements,
    write_address,
    write_party,
    write_person_name,
    write_rejection,
)
from .eligibility_request import expect_level, level_party
from .envelope import (
    close_envelope,
    control_number,
    end_transaction,
    open_envelope,
    start_transaction,
    transactions_for,
)
from .errors import X12Error
from .hierarchy import HLNode, PersonBlock, by_parent, header_and_levels, person_block
from .models import AuthorizationRequest, EnvelopeIds, Party, Person, Rejection, ServiceLine
from .segments import Segment, SegmentWriter

VERSION = "005010X217"


# --- writing ---------------------------------------------------------------------------------


def write_278_person(
    w: SegmentWriter, entity_code: str, person: Person, rejections: Sequence[Rejection] = ()
) -> None:
    """NM1, N3/N4, AAA (responses), DMG and INS of a 2010C/2010D."""
    write_person_name(w, entity_code, person)
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
    if entity_code == "QC" and person.relationship:
        w.add("INS", "N", person.relationship)


def facility(code: str) -> tuple[str, ...]:
    """UM04: a 2-character place of service (qualifier B) or a 3-character bill type (A)."""
    return (code, "B" if len(code) == 2 else "A") if code else ("",)


def write_service_line(w: SegmentWriter, line: ServiceLine) -> None:
    if line.from_date is not None:
        w.add("DTP", "472", *period_elements(line.from_date, line.to_date))
    w.add(
        "SV1",
        ("HC", check_required(line.code, "A service's code"), *line.modifiers),
        "",
        "UN",
        format_decimal(line.units),
    )


def diagnoses_element(diagnoses: tuple[str, ...]) -> list[tuple[str, str]]:
    if len(diagnoses) > 12:
        raise X12Error("A 278 carries at most 12 diagnoses (HI).")
    return [("ABK" if i == 0 else "ABF", d.replace(".", "")) for i, d in enumerate(diagnoses)]


def write_levels(
    w: SegmentWriter, request: AuthorizationRequest, payer: Party, requester: Party
) -> int:
    """HL 20/21/22(/23) with their names; returns the HL number of the patient's level."""
    w.add("HL", "1", "", "20", "1")
    write_party(w, "X3", payer)
    w.add("HL", "2", "1", "21", "1")
    write_party(w, "1P", requester)
    w.add("HL", "3", "2", "22", "1")
    write_278_person(w, "IL", request.subscriber)
    if request.dependent is None:
        return 3
    w.add("HL", "4", "3", "23", "1")
    write_278_person(w, "QC", request.dependent)
    return 4


def build_278_request(request: AuthorizationRequest, ids: EnvelopeIds) -> str:
    check_required(request.trace_number, "The 278 trace number (TRN02)")
    check_required(request.payer.name, "The UMO's (payer's) name (2010A NM103)")
    check_required(request.requester.identifier, "The requesting provider's NPI (2010B NM109)")
    w = open_envelope(ids, "HI", VERSION)
    control = control_number(ids)
    start = start_transaction(w, "278", control, VERSION)
    created = ids.created
    w.add(
        "BHT",
        "0007",
        "13",
        request.trace_number,
        created.strftime("%Y%m%d"),
        created.strftime("%H%M"),
    )
    parent = write_levels(w, request, request.payer, request.requester)
    event = parent + 1
    w.add("HL", str(event), str(parent), "EV", "1" if request.services else "0")
    originator = request.originator_id or default_originator(request.requester)
    w.add("TRN", "1", request.trace_number, originator)
    w.add(
        "UM",
        request.request_category,
        request.certification_type,
        request.service_type,
        facility(request.facility_code),
    )
    if request.from_date is not None:
        w.add("DTP", "AAH", *period_elements(request.from_date, request.to_date))
    if request.diagnoses:
        w.add("HI", *diagnoses_element(request.diagnoses))
    write_party(w, "SJ", request.service_provider or request.requester)
    for index, line in enumerate(request.services):
        w.add("HL", str(event + 1 + index), str(event), "SS", "0")
        w.add("UM", request.request_category, request.certification_type, line.service_type)
        write_service_line(w, line)
    end_transaction(w, start, control)
    return close_envelope(w, ids, 1)


# --- reading ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Tree278:
    """The levels of one 278 transaction set, named."""

    payer: Party
    payer_node: HLNode
    requester: Party
    requester_node: HLNode
    subscriber: PersonBlock
    dependent: PersonBlock | None
    event: HLNode | None
    services: list[HLNode]
    component: str


def read_tree(nodes: list[HLNode], component: str, lenient_stop: bool = False) -> list[Tree278]:
    """Walk 20 > 21 > 22 (> 23) > EV > SS. ``lenient_stop`` lets a level end the answer early
    (a response rejected at 2010A/B/C/D has no lower levels)."""
    tree = by_parent(nodes)
    found: list[Tree278] = []
    for source in tree.get("", []):
        expect_level(source, "20", "the top of the 278 (UMO)")
        payer = level_party(source, "2010A")
        receivers = tree.get(source.id, [])
        empty = PersonBlock(Person("", ""), [], [], [], [], 0)
        if not receivers:
            if not lenient_stop:
                raise X12Error(f"HL {source.id} (UMO) has no requester level (HL 21).")
            found.append(
                Tree278(payer, source, Party(""), source, empty, None, None, [], component)
            )
        for receiver in receivers:
            expect_level(receiver, "21", "under the UMO (requester)")
            requester = level_party(receiver, "2010B")
            subs = tree.get(receiver.id, [])
            if not subs:
                if not lenient_stop:
                    raise X12Error(f"HL {receiver.id} (requester) has no subscriber level.")
                found.append(
                    Tree278(payer, source, requester, receiver, empty, None, None, [], component)
                )
            for sub in subs:
                expect_level(sub, "22", "under the requester (subscriber)")
                block = person_block(sub, ("IL",), "2010C")
                below = tree.get(sub.id, [])
                dependent: PersonBlock | None = None
                if below and below[0].level == "23":
                    dependent = person_block(below[0], ("QC",), "2010D")
                    below = tree.get(below[0].id, [])
                events = [n for n in below if n.level == "EV"]
                if not events and not lenient_stop:
                    raise X12Error(
                        f"HL {sub.id} has no patient event level (HL EV).",
                        segment_index=sub.index,
                        segment_id="HL",
                    )
                event_nodes: list[HLNode | None] = list(events) or [None]
                for event in event_nodes:
                    services = tree.get(event.id, []) if event is not None else []
                    for svc in services:
                        expect_level(svc, "SS", "under the patient event (service)")
                    found.append(
                        Tree278(
                            payer,
                            source,
                            requester,
                            receiver,
                            block,
                            dependent,
                            event,
                            services,
                            component,
                        )
                    )
    return found


def first(node: HLNode | None, seg_id: str, qualifier: str | None = None) -> Segment | None:
    if node is None:
        return None
    for seg in node.segments:
        if seg[0] == seg_id and (qualifier is None or el(seg, 1) == qualifier):
            return seg
    return None


def dates_of(node: HLNode, qualifiers: tuple[str, ...]) -> tuple[date | None, date | None]:
    for qualifier in qualifiers:
        seg = first(node, "DTP", qualifier)
        if seg is not None:
            return parse_period(el(seg, 2), el(seg, 3), f"DTP*{qualifier} date")
    return None, None


def service_line(node: HLNode, component: str) -> ServiceLine:
    um = first(node, "UM")
    start, end = dates_of(node, ("472",))
    for seg in node.segments:
        if seg[0] in ("SV1", "SV2"):
            composite = el(seg, 1) if seg[0] == "SV1" else el(seg, 2)
            units_value = el(seg, 4) if seg[0] == "SV1" else el(seg, 5)
            parts = composite.split(component)
            units = parse_decimal(units_value, f"{seg[0]} units")
            return ServiceLine(
                code=parts[1] if len(parts) > 1 else parts[0],
                units=units if units is not None else Decimal(1),
                from_date=start,
                to_date=end,
                service_type=el(um, 3) if um is not None else "",
                modifiers=tuple(p for p in parts[2:] if p),
            )
    raise X12Error(
        f"Service level HL {node.id} has no SV1/SV2 service line.",
        segment_index=node.index,
        segment_id="HL",
    )


def _same_party(a: Party, b: Party) -> bool:
    return (a.name, a.first_name, a.identifier, a.id_qualifier) == (
        b.name,
        b.first_name,
        b.identifier,
        b.id_qualifier,
    )


def read_278_request(text: str) -> list[AuthorizationRequest]:
    found, _ = transactions_for(text, ("278",), "read_278_request")
    requests: list[AuthorizationRequest] = []
    for interchange, _, transaction in found:
        _, nodes = header_and_levels(transaction, ("13", "01", "18"), "0007")
        component = interchange.separators.component
        for tree in read_tree(nodes, component):
            requests.append(_request(tree))
    return requests


def _request(tree: Tree278) -> AuthorizationRequest:
    event = tree.event
    assert event is not None  # read_tree(lenient_stop=False) always gives an event
    trn = first(event, "TRN", "1")
    um = first(event, "UM")
    if trn is None or um is None:
        raise X12Error(
            f"Patient event HL {event.id} needs a TRN*1 trace number and a UM segment.",
            segment_index=event.index,
            segment_id="HL",
        )
    start, end = dates_of(event, ("AAH", "472"))
    diagnoses: list[str] = []
    hi = first(event, "HI")
    if hi is not None:
        diagnoses = [c.split(tree.component)[1] for c in hi[1:] if tree.component in c]
    sj = next(
        (seg for seg in event.segments if seg[0] == "NM1" and el(seg, 1) in ("SJ", "FA")), None
    )
    service_provider = party_from(sj) if sj is not None else None
    if service_provider is not None and _same_party(service_provider, tree.requester):
        service_provider = None
    originator = el(trn, 3)
    if originator == default_originator(tree.requester):
        originator = ""
    return AuthorizationRequest(
        trace_number=el(trn, 2),
        payer=tree.payer,
        requester=tree.requester,
        subscriber=tree.subscriber.person,
        dependent=tree.dependent.person if tree.dependent is not None else None,
        diagnoses=tuple(diagnoses),
        services=tuple(service_line(node, tree.component) for node in tree.services),
        service_provider=service_provider,
        request_category=el(um, 1),
        certification_type=el(um, 2),
        service_type=el(um, 3),
        facility_code=el(um, 4).split(tree.component)[0],
        from_date=start,
        to_date=end,
        originator_id=originator,
    )
