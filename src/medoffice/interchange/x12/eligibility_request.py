"""The 270 eligibility inquiry (005010X279A1): building it, and reading it (the payer simulator)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .common import (
    check_required,
    default_originator,
    el,
    format_date,
    parse_date,
    parse_period,
    party_from,
    write_address,
    write_party,
    write_person_name,
)
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
from .models import EligibilityRequest, EnvelopeIds, Party, Person
from .segments import SegmentWriter

VERSION = "005010X279A1"


def build_270(request: EligibilityRequest, ids: EnvelopeIds, *, eq_repetition: bool = False) -> str:
    """One 270 interchange asking about one subscriber (and dependent).

    Each service type gets its own EQ (its own 2110C/D loop); ``eq_repetition=True`` writes a
    single EQ listing them with the repetition separator instead, which X279A1 also allows.
    """
    return _build([request], ids, request.trace_number, eq_repetition)


def build_270_batch(
    requests: Sequence[EligibilityRequest], ids: EnvelopeIds, *, eq_repetition: bool = False
) -> str:
    """One 270 transaction set (one ST) with a 2000C level per request.

    Consecutive requests to the same payer share its 2000A, and to the same provider its 2000B.
    """
    if not requests:
        raise X12Error("A 270 batch needs at least one request.")
    return _build(list(requests), ids, control_number(ids), eq_repetition)


def write_270_person(w: SegmentWriter, entity_code: str, person: Person) -> None:
    write_person_name(w, entity_code, person)
    if person.group_number:
        w.add("REF", "6P", person.group_number)
    write_address(w, person.address)
    if person.birth_date is not None or person.sex:
        w.add(
            "DMG",
            "D8" if person.birth_date else "",
            format_date(person.birth_date) if person.birth_date else "",
            person.sex,
        )
    if entity_code == "03" and person.relationship:
        w.add("INS", "N", person.relationship)


def _check_request(request: EligibilityRequest) -> None:
    check_required(request.trace_number, "The 270 trace number (TRN02)")
    check_required(request.payer.name, "The payer's name (2100A NM103)")
    check_required(request.provider.identifier, "The provider's NPI (2100B NM109)")
    if not request.service_types:
        raise X12Error("A 270 asks about at least one service type (EQ).")
    if request.dependent is None and not request.subscriber.first_name:
        raise X12Error(
            "The subscriber's first name is required when the subscriber is the patient."
        )


def _build(
    requests: list[EligibilityRequest], ids: EnvelopeIds, reference: str, eq_repetition: bool
) -> str:
    w = open_envelope(ids, "HS", VERSION)
    control = control_number(ids)
    start = start_transaction(w, "270", control, VERSION)
    created = ids.created
    w.add("BHT", "0022", "13", reference, created.strftime("%Y%m%d"), created.strftime("%H%M"))
    hl = 0
    payer_hl = provider_hl = 0
    last_payer: Party | None = None
    last_provider: Party | None = None
    for request in requests:
        _check_request(request)
        if request.payer != last_payer:
            hl += 1
            payer_hl = hl
            w.add("HL", str(hl), "", "20", "1")
            write_party(w, "PR", request.payer)
            last_payer, last_provider = request.payer, None
        if request.provider != last_provider:
            hl += 1
            provider_hl = hl
            w.add("HL", str(hl), str(payer_hl), "21", "1")
            write_party(w, "1P", request.provider)
            last_provider = request.provider
        hl += 1
        subscriber_hl = hl
        dependent = request.dependent
        w.add("HL", str(hl), str(provider_hl), "22", "0" if dependent is None else "1")
        trn = (
            "TRN",
            "1",
            request.trace_number,
            request.originator_id or default_originator(request.provider),
        )
        if dependent is None:
            w.add(*trn)
            write_270_person(w, "IL", request.subscriber)
        else:
            write_270_person(w, "IL", request.subscriber)
            hl += 1
            w.add("HL", str(hl), str(subscriber_hl), "23", "0")
            w.add(*trn)
            write_270_person(w, "03", dependent)
        w.add("DTP", "291", "D8", format_date(request.service_date))
        if eq_repetition:
            w.add("EQ", list(request.service_types))
        else:
            for code in request.service_types:
                w.add("EQ", code)
    end_transaction(w, start, control)
    return close_envelope(w, ids, 1)


def read_270(text: str) -> list[EligibilityRequest]:
    """Every inquiry in a 270 file, one per patient (subscriber or dependent)."""
    found, _ = transactions_for(text, ("270",), "read_270")
    requests: list[EligibilityRequest] = []
    for interchange, _, transaction in found:
        bht, nodes = header_and_levels(transaction, ("13", "01", "36"), "0022")
        context = _Context(
            created=parse_date(el(bht, 4), "BHT04 date") if el(bht, 4) else None,
            repetition=interchange.separators.repetition,
        )
        tree = by_parent(nodes)
        for source in tree.get("", []):
            expect_level(source, "20", "the top of the 270 (payer)")
            payer = level_party(source, "2100A")
            for receiver in tree.get(source.id, []):
                expect_level(receiver, "21", "under the payer (provider)")
                provider = level_party(receiver, "2100B")
                for sub in tree.get(receiver.id, []):
                    expect_level(sub, "22", "under the provider (subscriber)")
                    requests.extend(_subscriber_requests(sub, tree, payer, provider, context))
    return requests


@dataclass(frozen=True, slots=True)
class _Context:
    created: date | None
    repetition: str


def expect_level(node: HLNode, level: str, where: str) -> None:
    if node.level != level:
        raise X12Error(
            f"HL {node.id} at {where} must be level {level}, not {node.level}.",
            segment_index=node.index,
            segment_id="HL",
        )


def level_party(node: HLNode, loop: str) -> Party:
    for seg in node.segments:
        if seg[0] == "NM1":
            return party_from(seg)
    raise X12Error(
        f"Loop {loop} (HL {node.id}) has no NM1 name segment.",
        segment_index=node.index,
        segment_id="HL",
    )


def _subscriber_requests(
    sub: HLNode,
    tree: dict[str, list[HLNode]],
    payer: Party,
    provider: Party,
    context: _Context,
) -> list[EligibilityRequest]:
    block = person_block(sub, ("IL",), "2100C")
    dependents = tree.get(sub.id, [])
    results: list[EligibilityRequest] = []
    if not dependents or any(seg[0] == "EQ" for seg in sub.segments[block.rest :]):
        results.append(_request(block, None, sub, payer, provider, context))
    for dep in dependents:
        expect_level(dep, "23", "under the subscriber (dependent)")
        dep_block = person_block(dep, ("03",), "2100D")
        results.append(_request(block, dep_block, dep, payer, provider, context))
    return results


def _request(
    sub: PersonBlock,
    dep: PersonBlock | None,
    node: HLNode,
    payer: Party,
    provider: Party,
    context: _Context,
) -> EligibilityRequest:
    patient = dep if dep is not None else sub
    traces = [t for t in patient.traces if el(t, 1) == "1"] or [
        t for t in sub.traces if el(t, 1) == "1"
    ]
    if not traces:
        raise X12Error(
            f"HL {node.id} has no TRN*1 trace number for the patient.",
            segment_index=node.index,
            segment_id="HL",
        )
    dates = [d for d in patient.dates if el(d, 1) == "291"]
    types: list[str] = []
    for seg in node.segments[patient.rest :]:
        if seg[0] == "EQ" and el(seg, 1):
            types.extend(el(seg, 1).split(context.repetition))
        elif seg[0] == "DTP" and el(seg, 1) == "291":
            dates.append(seg)
    if not types:
        raise X12Error(
            f"HL {node.id} asks about no service type (no EQ segment).",
            segment_index=node.index,
            segment_id="HL",
        )
    if dates:
        service_date = parse_period(el(dates[0], 2), el(dates[0], 3), "DTP*291 date of service")[0]
    elif context.created is not None:
        service_date = context.created  # no DTP*291: the payer answers for the day it is asked
    else:
        raise X12Error(f"HL {node.id} has no date of service (DTP*291) and the BHT no date.")
    originator = el(traces[0], 3)
    if originator == default_originator(provider):
        originator = ""
    return EligibilityRequest(
        trace_number=el(traces[0], 2),
        payer=payer,
        provider=provider,
        subscriber=sub.person,
        service_date=service_date,
        service_types=tuple(types),
        dependent=dep.person if dep is not None else None,
        originator_id=originator,
    )
