"""Reading ISA/GS/ST..SE/GE/IEA with their counts and control numbers checked, and writing them."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import X12Error
from .models import EnvelopeIds
from .segments import (
    DEFAULT_SEPARATORS,
    Segment,
    SegmentWriter,
    Separators,
    detect_separators,
    split_segments,
)

TRANSACTION_NAMES = {
    "270": "eligibility inquiry",
    "271": "eligibility response",
    "276": "claim status inquiry",
    "277": "claim status response",
    "278": "prior authorization (health care services review)",
    "834": "benefit enrollment",
    "835": "remittance advice (ERA)",
    "837": "claim",
    "999": "implementation acknowledgment",
    "997": "functional acknowledgment",
    "TA1": "interchange acknowledgment",
}


@dataclass(frozen=True, slots=True)
class Transaction:
    set_id: str  # ST01
    control_number: str  # ST02
    version: str  # ST03
    segments: list[Segment]  # ST..SE inclusive
    offset: int  # index of the ST in the file


@dataclass(frozen=True, slots=True)
class Group:
    functional_id: str  # GS01
    sender: str  # GS02
    receiver: str  # GS03
    date: str  # GS04
    time: str  # GS05
    control_number: str  # GS06
    version: str  # GS08
    transactions: list[Transaction]


@dataclass(frozen=True, slots=True)
class Interchange:
    separators: Separators
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    control_number: str
    acknowledgment_requested: str
    usage: str
    groups: list[Group]


def _same_number(a: str, b: str) -> bool:
    return a == b or (a.lstrip("0") == b.lstrip("0") and a.isdigit() and b.isdigit())


def _count(seg: Segment, index: int, what: str, offset: int) -> int:
    value = seg[1] if len(seg) > 1 else ""
    if not value.isdigit():
        raise X12Error(
            f"{seg[0]}01 ({what}) must be a number, found {value!r}.",
            segment_index=offset + index,
            segment_id=seg[0],
        )
    return int(value)


class _Reader:
    def __init__(self, segments: list[Segment], offset: int, strict: bool) -> None:
        self.segs = segments
        self.offset = offset
        self.strict = strict
        self.warnings: list[str] = []
        self.ids = [seg[0] for seg in segments]

    def fail(self, message: str, index: int) -> X12Error:
        seg_id = self.segs[index][0] if index < len(self.segs) else ""
        return X12Error(message, segment_index=self.offset + index, segment_id=seg_id)

    def mismatch(self, message: str, index: int) -> None:
        if self.strict:
            raise self.fail(message, index)
        self.warnings.append(message)

    def interchange(self, seps: Separators) -> tuple[Interchange, int]:
        isa = self.segs[0]
        groups: list[Group] = []
        i = 1
        n = len(self.segs)
        if n > 1 and self.segs[1][0] not in ("GS", "IEA", "TA1"):
            raise self.fail(
                "The segment after the ISA is not GS: the separators declared in the ISA "
                "do not match the rest of the file, or the file is damaged.",
                1,
            )
        _check_segment_ids(self.ids, self.offset)
        while True:
            if i >= n:
                raise self.fail(
                    "The file ends before the IEA segment: it was cut off (truncated).", n
                )
            seg_id = self.segs[i][0]
            if seg_id == "GS":
                group, i = self.group(i)
                groups.append(group)
            elif seg_id == "TA1":
                i += 1
            elif seg_id == "IEA":
                iea = self.segs[i]
                if _count(iea, i, "number of functional groups", self.offset) != len(groups):
                    raise self.fail(
                        f"IEA01 says {iea[1]} functional groups but the interchange holds "
                        f"{len(groups)}.",
                        i,
                    )
                iea02 = iea[2] if len(iea) > 2 else ""
                if not _same_number(iea02, isa[13]):
                    self.mismatch(
                        f"IEA02 control number {iea02} does not match ISA13 {isa[13]}.", i
                    )
                break
            else:
                raise self.fail(f"Expected a GS or IEA segment here, found {seg_id}.", i)
        result = Interchange(
            separators=seps,
            sender_qualifier=isa[5],
            sender_id=isa[6].rstrip(),
            receiver_qualifier=isa[7],
            receiver_id=isa[8].rstrip(),
            date=isa[9],
            time=isa[10],
            control_number=isa[13],
            acknowledgment_requested=isa[14],
            usage=isa[15],
            groups=groups,
        )
        return result, i + 1

    def group(self, start: int) -> tuple[Group, int]:
        segs = self.segs
        gs = segs[start]
        if len(gs) < 9:
            raise self.fail(f"The GS segment needs 8 elements, it has {len(gs) - 1}.", start)
        transactions: list[Transaction] = []
        i = start + 1
        n = len(segs)
        while True:
            if i >= n:
                raise self.fail(
                    f"The file ends inside functional group {gs[6]} (no GE segment): "
                    "it was cut off (truncated).",
                    n,
                )
            seg_id = segs[i][0]
            if seg_id == "ST":
                transaction, i = self.transaction(i)
                transactions.append(transaction)
            elif seg_id == "GE":
                ge = segs[i]
                if _count(ge, i, "number of transaction sets", self.offset) != len(transactions):
                    raise self.fail(
                        f"GE01 says {ge[1]} transaction sets but group {gs[6]} holds "
                        f"{len(transactions)}.",
                        i,
                    )
                ge02 = ge[2] if len(ge) > 2 else ""
                if not _same_number(ge02, gs[6]):
                    self.mismatch(f"GE02 control number {ge02} does not match GS06 {gs[6]}.", i)
                group = Group(gs[1], gs[2], gs[3], gs[4], gs[5], gs[6], gs[8], transactions)
                return group, i + 1
            else:
                raise self.fail(f"Expected an ST or GE segment here, found {seg_id}.", i)

    def transaction(self, start: int) -> tuple[Transaction, int]:
        segs = self.segs
        st = segs[start]
        if len(st) < 3 or not st[2]:
            raise self.fail("The ST segment has no control number (ST02).", start)
        ids = self.ids
        try:
            i = ids.index("SE", start + 1)
        except ValueError:
            i = len(ids)
        for closing in ("ST", "GE", "GS", "IEA", "ISA"):
            if closing in ids[start + 1 : i]:
                k = ids.index(closing, start + 1)
                raise self.fail(
                    f"Transaction set {st[1]} {st[2]} has no SE segment before this {closing}.", k
                )
        if i == len(ids):
            raise self.fail(
                f"The file ends inside transaction set {st[1]} {st[2]} (no SE segment): "
                "it was cut off (truncated).",
                i,
            )
        se = segs[i]
        count = _count(se, i, "number of included segments", self.offset)
        actual = i - start + 1
        if count != actual:
            raise self.fail(
                f"SE01 says transaction set {st[2]} has {count} segments but it has {actual}.",
                i,
            )
        se02 = se[2] if len(se) > 2 else ""
        if se02 != st[2]:
            self.mismatch(f"SE02 control number {se02} does not match ST02 {st[2]}.", i)
        version = st[3] if len(st) > 3 else ""
        return Transaction(st[1], st[2], version, segs[start : i + 1], self.offset + start), i + 1


_VALID_IDS: set[str] = set()


def _check_segment_ids(ids: list[str], offset: int) -> None:
    """Every segment starts with a 2-3 character identifier: a letter, then letters or digits."""
    for seg_id in set(ids):
        if seg_id in _VALID_IDS:
            continue
        if not (
            1 < len(seg_id) < 4 and seg_id.isalnum() and seg_id.isupper() and seg_id[0].isalpha()
        ):
            index = ids.index(seg_id)
            raise X12Error(
                f"{seg_id!r} is not a valid segment identifier.",
                segment_index=offset + index,
                segment_id=seg_id[:3],
            )
        if len(_VALID_IDS) < 1000:
            _VALID_IDS.add(seg_id)


def read_interchanges(text: str, *, strict: bool = True) -> tuple[list[Interchange], list[str]]:
    """Every interchange in ``text`` (one or more ISA..IEA), with the warnings tolerated."""
    text = text.lstrip("\ufeff \t\r\n")
    interchanges: list[Interchange] = []
    warnings: list[str] = []
    offset = 0
    while True:
        seps = detect_separators(text)
        segments = split_segments(text, seps)
        reader = _Reader(segments, offset, strict)
        interchange, end = reader.interchange(seps)
        interchanges.append(interchange)
        warnings.extend(reader.warnings)
        rest = segments[end:]
        if not rest:
            return interchanges, warnings
        if rest[0][0] != "ISA":
            raise X12Error(
                f"Unexpected {rest[0][0]} segment after the IEA that closes the interchange.",
                segment_index=offset + end,
                segment_id=rest[0][0],
            )
        offset += end
        text = seps.segment.join(seps.element.join(seg) for seg in rest) + seps.segment


def transactions_for(
    text: str, expected: tuple[str, ...], reader: str, *, strict: bool = True
) -> tuple[list[tuple[Interchange, Group, Transaction]], list[str]]:
    """All transaction sets in ``text``, refusing any that is not one of ``expected`` (ST01)."""
    interchanges, warnings = read_interchanges(text, strict=strict)
    found: list[tuple[Interchange, Group, Transaction]] = []
    for interchange in interchanges:
        for group in interchange.groups:
            for transaction in group.transactions:
                if transaction.set_id not in expected:
                    name = TRANSACTION_NAMES.get(transaction.set_id, "an unknown kind")
                    wanted = " or ".join(
                        f"{code} ({TRANSACTION_NAMES.get(code, '')})" for code in expected
                    )
                    raise X12Error(
                        f"{reader} reads {wanted}, but this file holds transaction set "
                        f"{transaction.set_id} ({name}).",
                        segment_index=transaction.offset,
                        segment_id="ST",
                    )
                found.append((interchange, group, transaction))
    if not found:
        raise X12Error(f"The file holds no transaction set for {reader}.")
    return found, warnings


# --- writing ---------------------------------------------------------------------------------


def _check_ids(ids: EnvelopeIds) -> None:
    for name, number in (
        ("interchange_control_number", ids.interchange_control_number),
        ("group_control_number", ids.group_control_number),
        ("transaction_control_number", ids.transaction_control_number),
    ):
        if not 1 <= number <= 999_999_999:
            raise X12Error(f"{name} must be between 1 and 999,999,999, got {number}.")
    for name, value in (("sender_id", ids.sender_id), ("receiver_id", ids.receiver_id)):
        if not value or len(value) > 15:
            raise X12Error(f"{name} must be 1 to 15 characters, got {value!r}.")
    for name, value in (
        ("sender_qualifier", ids.sender_qualifier),
        ("receiver_qualifier", ids.receiver_qualifier),
    ):
        if len(value) != 2:
            raise X12Error(f"{name} must be 2 characters, got {value!r}.")
    if ids.usage not in ("P", "T"):
        raise X12Error(f"usage must be P (production) or T (test), got {ids.usage!r}.")
    if ids.acknowledgment_requested not in ("0", "1"):
        raise X12Error(
            f"acknowledgment_requested must be 0 or 1, got {ids.acknowledgment_requested!r}."
        )


def open_envelope(
    ids: EnvelopeIds,
    functional_id: str,
    version: str,
    seps: Separators = DEFAULT_SEPARATORS,
) -> SegmentWriter:
    """A writer holding the ISA and GS; add transactions, then call ``close_envelope``."""
    _check_ids(ids)
    w = SegmentWriter(seps)
    e = seps.element
    created = ids.created
    for value in (ids.sender_id, ids.receiver_id, ids.sender_qualifier, ids.receiver_qualifier):
        w.check("ISA", value)
    isa = e.join(
        (
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            ids.sender_qualifier,
            ids.sender_id.ljust(15),
            ids.receiver_qualifier,
            ids.receiver_id.ljust(15),
            created.strftime("%y%m%d"),
            created.strftime("%H%M"),
            seps.repetition,
            "00501",
            f"{ids.interchange_control_number:09d}",
            ids.acknowledgment_requested,
            ids.usage,
            seps.component,
        )
    )
    w.add_raw(isa)
    w.add(
        "GS",
        functional_id,
        ids.application_sender or ids.sender_id,
        ids.application_receiver or ids.receiver_id,
        created.strftime("%Y%m%d"),
        created.strftime("%H%M"),
        str(ids.group_control_number),
        "X",
        version,
    )
    return w


def control_number(ids: EnvelopeIds, index: int = 0) -> str:
    return f"{ids.transaction_control_number + index:04d}"


def start_transaction(w: SegmentWriter, set_id: str, control: str, version: str) -> int:
    """Write the ST; returns its position for ``end_transaction``."""
    start = len(w)
    w.add("ST", set_id, control, version)
    return start


def end_transaction(w: SegmentWriter, start: int, control: str) -> None:
    w.add("SE", str(len(w) - start + 1), control)


def close_envelope(w: SegmentWriter, ids: EnvelopeIds, transactions: int) -> str:
    w.add("GE", str(transactions), str(ids.group_control_number))
    w.add("IEA", "1", f"{ids.interchange_control_number:09d}")
    return w.text()
