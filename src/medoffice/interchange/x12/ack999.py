"""The 999 implementation acknowledgment (005010X231A1): reading it, and building one."""

from __future__ import annotations

from .common import el
from .envelope import (
    close_envelope,
    control_number,
    end_transaction,
    open_envelope,
    read_interchanges,
    start_transaction,
    transactions_for,
)
from .errors import X12Error
from .models import Acknowledgment, EnvelopeIds, TransactionAck
from .segments import Segment

VERSION = "005010X231A1"

SEGMENT_ERRORS = {
    "1": "unrecognized segment ID",
    "2": "unexpected segment",
    "3": "required segment missing",
    "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use",
    "6": "segment not in defined transaction set",
    "7": "segment not in proper sequence",
    "8": "segment has data element errors",
    "I4": "segment marked 'not used' in the implementation guide is present",
    "I6": "implementation-dependent segment missing",
    "I7": "implementation loop occurs under minimum times",
    "I8": "implementation segment below minimum use",
    "I9": "implementation-dependent 'not used' segment present",
}
ELEMENT_ERRORS = {
    "1": "required data element missing",
    "2": "conditional required data element missing",
    "3": "too many data elements",
    "4": "data element too short",
    "5": "data element too long",
    "6": "invalid character in data element",
    "7": "invalid code value",
    "8": "invalid date",
    "9": "invalid time",
    "10": "exclusion condition violated",
    "12": "too many repetitions",
    "13": "too many components",
    "I6": "code value not used in the implementation guide",
    "I9": "implementation-dependent data element missing",
    "I10": "data element marked 'not used' in the implementation guide is present",
    "I11": "implementation too few repetitions",
    "I12": "implementation pattern match failure",
    "I13": "implementation-dependent 'not used' data element present",
}
TRANSACTION_ERRORS = {
    "1": "transaction set not supported",
    "2": "transaction set trailer missing",
    "3": "transaction set control number in header and trailer do not match",
    "4": "number of included segments does not match actual count",
    "5": "one or more segments in error",
    "6": "missing or invalid transaction set identifier",
    "7": "missing or invalid transaction set control number",
    "8": "authentication key name unknown",
    "9": "encryption key name unknown",
    "10": "requested service (authentication or encryption) not available",
    "11": "unknown security recipient",
    "12": "incorrect message length (encryption only)",
    "13": "message authentication code failed",
    "15": "unknown security originator",
    "16": "syntax error in decrypted text",
    "17": "security not supported",
    "18": "transaction set not in functional group",
    "19": "invalid transaction set implementation convention reference",
    "23": "transaction set control number not unique within the functional group",
    "24": "S3E security end segment missing for S3S security start segment",
    "25": "S3S security start segment missing for S3E security end segment",
    "26": "S4E security end segment missing for S4S security start segment",
    "27": "S4S security start segment missing for S4E security end segment",
    "I5": "implementation one or more segments in error",
    "I6": "implementation convention not supported",
}
GROUP_ERRORS = {
    "1": "functional group not supported",
    "2": "functional group version not supported",
    "3": "functional group trailer missing",
    "4": "group control number in the functional group header and trailer do not agree",
    "5": "number of included transaction sets does not match actual count",
    "6": "group control number violates syntax",
    "10": "authentication key name unknown",
    "11": "encryption key name unknown",
    "12": "requested service (authentication or encryption) not available",
    "13": "unknown security recipient",
    "14": "unknown security originator",
    "15": "syntax error in decrypted text",
    "16": "security not supported",
    "17": "S3E security end segment missing for S3S security start segment",
    "18": "S3S security start segment missing for S3E security end segment",
    "19": "S4E security end segment missing for S4S security start segment",
    "20": "S4S security start segment missing for S4E security end segment",
    "21": "one or more transaction sets in error",
}
ACCEPTED = frozenset({"A", "E"})


def _words(table: dict[str, str], code: str) -> str:
    return table.get(code, f"error code {code}")


def _segment_error(seg: Segment) -> str:
    where = f"Segment {el(seg, 1)} at position {el(seg, 2)}"
    if el(seg, 3):
        where += f" in loop {el(seg, 3)}"
    return f"{where}: {_words(SEGMENT_ERRORS, el(seg, 4))}."


def _element_error(seg: Segment, segment_id: str, component: str) -> str:
    position = el(seg, 1).split(component)
    name = f"{segment_id}{position[0].zfill(2)}" if segment_id else f"element {position[0]}"
    if len(position) > 1 and position[1]:
        name += f"-{position[1]}"
    text = f"Element {name}"
    if el(seg, 2):
        text += f" (data element {el(seg, 2)})"
    text += f": {_words(ELEMENT_ERRORS, el(seg, 3))}"
    if el(seg, 4):
        text += f" (value {el(seg, 4)!r})"
    return text + "."


def read_999(text: str, *, strict: bool = True) -> list[Acknowledgment]:
    """One Acknowledgment per 999 transaction set (its AK1 functional group answer).

    ``strict=False`` tolerates control numbers that do not match their trailer, listing them
    in ``warnings``.
    """
    found, warning_list = transactions_for(text, ("999",), "read_999", strict=strict)
    warnings = tuple(warning_list)
    result: list[Acknowledgment] = []
    for interchange, _, transaction in found:
        component = interchange.separators.component
        segs = transaction.segments[1:-1]
        if not segs or segs[0][0] != "AK1":
            raise X12Error(
                f"999 {transaction.control_number} has no AK1 segment after its ST.",
                segment_index=transaction.offset + 1,
                segment_id=segs[0][0] if segs else "SE",
            )
        ak1 = segs[0]
        acks: list[TransactionAck] = []
        current: list[str] | None = None
        ak2: Segment | None = None
        segment_id = ""
        ak9: Segment | None = None
        for seg in segs[1:]:
            seg_id = seg[0]
            if seg_id == "AK2":
                ak2, current, segment_id = seg, [], ""
            elif seg_id == "IK3" and current is not None:
                segment_id = el(seg, 1)
                current.append(_segment_error(seg))
            elif seg_id == "IK4" and current is not None:
                current.append(_element_error(seg, segment_id, component))
            elif seg_id == "IK5" and current is not None and ak2 is not None:
                current.extend(
                    f"Transaction set: {_words(TRANSACTION_ERRORS, c)}." for c in seg[2:] if c
                )
                acks.append(TransactionAck(el(ak2, 1), el(ak2, 2), el(seg, 1), tuple(current)))
                ak2, current = None, None
            elif seg_id == "AK9":
                ak9 = seg
        if ak2 is not None:
            raise X12Error(
                f"AK2 for transaction set {el(ak2, 2)} has no IK5 status.", segment_id="AK2"
            )
        if ak9 is None:
            raise X12Error(
                f"999 {transaction.control_number} has no AK9 group status.",
                segment_index=transaction.offset,
                segment_id="ST",
            )
        status = el(ak9, 1)
        result.append(
            Acknowledgment(
                group_control_number=el(ak1, 2),
                functional_id=el(ak1, 1),
                status=status,
                accepted=status in ACCEPTED,
                transactions=tuple(acks),
                errors=tuple(f"Group: {_words(GROUP_ERRORS, c)}." for c in ak9[5:] if c),
                version=el(ak1, 3),
                included=_number(el(ak9, 2)),
                received=_number(el(ak9, 3)),
                accepted_count=_number(el(ak9, 4)),
                warnings=warnings,
            )
        )
    return result


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def build_999(original: str, ids: EnvelopeIds, *, reject_reason: str | None = None) -> str:
    """A 999 answering every functional group of ``original``: accepted, or all rejected.

    ``reject_reason`` is an IK5 code (e.g. "5" one or more segments in error, "1" not
    supported); any other text is sent as code 5, since the 999 carries no free text.
    """
    interchanges, _ = read_interchanges(original)
    groups = [group for interchange in interchanges for group in interchange.groups]
    if not groups:
        raise X12Error("The original file holds no functional group to acknowledge.")
    w = open_envelope(ids, "FA", VERSION)
    rejected = reject_reason is not None
    code = reject_reason if reject_reason in TRANSACTION_ERRORS else "5"
    for index, group in enumerate(groups):
        control = control_number(ids, index)
        start = start_transaction(w, "999", control, VERSION)
        w.add("AK1", group.functional_id, group.control_number, group.version)
        for transaction in group.transactions:
            w.add("AK2", transaction.set_id, transaction.control_number, transaction.version)
            if rejected:
                w.add("IK5", "R", code)
            else:
                w.add("IK5", "A")
        count = str(len(group.transactions))
        if rejected:
            w.add("AK9", "R", count, count, "0")
        else:
            w.add("AK9", "A", count, count, count)
        end_transaction(w, start, control)
    return close_envelope(w, ids, len(groups))
