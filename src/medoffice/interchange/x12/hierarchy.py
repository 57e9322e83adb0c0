"""The HL tree of a transaction set, and the name block (NM1, REF, N3/N4, DMG ...) of a person."""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import address_lines, el, padded, parse_date, rejection_from
from .envelope import Transaction
from .errors import X12Error
from .models import Person, Rejection
from .segments import Segment


@dataclass(slots=True)
class HLNode:
    id: str
    parent: str
    level: str  # HL03: 20, 21, 22, 23, EV, SS ...
    child: str  # HL04
    index: int  # file index of the HL segment
    segments: list[Segment] = field(default_factory=list)


def header_and_levels(
    transaction: Transaction, purpose_codes: tuple[str, ...], structure: str
) -> tuple[Segment, list[HLNode]]:
    """The BHT (checked) and the HL nodes of ``transaction``, parents checked to exist."""
    segs = transaction.segments
    off = transaction.offset
    if len(segs) < 3 or segs[1][0] != "BHT":
        raise X12Error(
            f"Transaction set {transaction.control_number} has no BHT segment after its ST.",
            segment_index=off + 1,
            segment_id=segs[1][0] if len(segs) > 1 else "",
        )
    bht = segs[1]
    if el(bht, 1) != structure or el(bht, 2) not in purpose_codes:
        raise X12Error(
            f"BHT*{el(bht, 1)}*{el(bht, 2)} is not the header of this transaction "
            f"(expected BHT*{structure}*{' or '.join(purpose_codes)}).",
            segment_index=off + 1,
            segment_id="BHT",
        )
    nodes: list[HLNode] = []
    seen: set[str] = set()
    current: HLNode | None = None
    for k in range(2, len(segs) - 1):
        seg = segs[k]
        if seg[0] == "HL":
            seg = padded(seg, 5)
            hl_id, parent, level = seg[1], seg[2], seg[3]
            if not hl_id or hl_id in seen:
                raise X12Error(
                    f"HL01 {hl_id!r} is missing or used twice.",
                    segment_index=off + k,
                    segment_id="HL",
                )
            if parent and parent not in seen:
                raise X12Error(
                    f"HL {hl_id} names parent {parent}, which does not come before it.",
                    segment_index=off + k,
                    segment_id="HL",
                )
            seen.add(hl_id)
            current = HLNode(hl_id, parent, level, seg[4], off + k)
            nodes.append(current)
        elif current is None:
            raise X12Error(
                f"Segment {seg[0]} comes before the first HL level.",
                segment_index=off + k,
                segment_id=seg[0],
            )
        else:
            current.segments.append(seg)
    if not nodes:
        raise X12Error(
            f"Transaction set {transaction.control_number} has no HL levels.",
            segment_index=off,
            segment_id="ST",
        )
    return bht, nodes


@dataclass(slots=True)
class PersonBlock:
    person: Person
    traces: list[Segment]  # TRN segments of the level
    dates: list[Segment]  # DTP segments of the name loop
    rejections: list[Rejection]
    references: list[Segment]
    rest: int  # index in the node's segments where the name loop ends


NAME_LOOP = frozenset({"REF", "N3", "N4", "AAA", "PRV", "DMG", "INS", "HI", "DTP", "MPI", "PER"})


def person_block(node: HLNode, entity_codes: tuple[str, ...], loop: str) -> PersonBlock:
    """Read TRN, NM1 and the name loop segments at the start of a subscriber/dependent level."""
    segs = node.segments
    traces: list[Segment] = []
    k = 0
    n = len(segs)
    while k < n and segs[k][0] == "TRN":
        traces.append(segs[k])
        k += 1
    if k >= n or segs[k][0] != "NM1" or el(segs[k], 1) not in entity_codes:
        raise X12Error(
            f"Loop {loop} (HL {node.id}) has no NM1*{'/'.join(entity_codes)} name segment.",
            segment_index=node.index,
            segment_id="HL",
        )
    nm1 = padded(segs[k], 10)
    k += 1
    n3: Segment | None = None
    n4: Segment | None = None
    dmg: Segment | None = None
    group = ""
    relationship = ""
    dates: list[Segment] = []
    rejections: list[Rejection] = []
    references: list[Segment] = []
    while k < n and segs[k][0] in NAME_LOOP:
        seg = segs[k]
        seg_id = seg[0]
        if seg_id == "REF":
            references.append(seg)
            if el(seg, 1) == "6P" and not group:
                group = el(seg, 2)
        elif seg_id == "N3":
            n3 = seg
        elif seg_id == "N4":
            n4 = seg
        elif seg_id == "AAA":
            rejections.append(rejection_from(seg, loop))
        elif seg_id == "DMG":
            dmg = seg
        elif seg_id == "INS":
            relationship = el(seg, 2) if el(seg, 1) == "N" else ""
        elif seg_id == "DTP":
            dates.append(seg)
        k += 1
    if not group:
        for ref in references:
            if el(ref, 1) == "1L":
                group = el(ref, 2)
                break
    birth = None
    sex = ""
    if dmg is not None:
        if el(dmg, 2):
            birth = parse_date(el(dmg, 2), f"Date of birth in loop {loop}")
        sex = el(dmg, 3)
    address = address_lines(n3, n4) if n3 is not None or n4 is not None else ()
    person = Person(
        nm1[3], nm1[4], nm1[5], nm1[7], nm1[9], birth, sex, group, address, relationship
    )
    return PersonBlock(person, traces, dates, rejections, references, k)


def by_parent(nodes: list[HLNode]) -> dict[str, list[HLNode]]:
    """Each HL's child levels, in order."""
    result: dict[str, list[HLNode]] = {}
    for node in nodes:
        result.setdefault(node.parent, []).append(node)
    return result
