"""The 278 prior authorization response (005010X217): building it (simulator) and reading it."""

from __future__ import annotations

from decimal import Decimal

from . import codes
from .authorization import (
    VERSION,
    Tree278,
    dates_of,
    diagnoses_element,
    facility,
    first,
    read_tree,
    service_line,
    write_278_person,
)
from .common import (
    check_required,
    default_originator,
    el,
    format_date,
    format_decimal,
    parse_decimal,
    period_elements,
    rejection_from,
    write_party,
    write_rejection,
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
from .hierarchy import HLNode, header_and_levels
from .models import (
    AuthorizationRequest,
    AuthorizationResponse,
    EnvelopeIds,
    Rejection,
    ServiceDecision,
    ServiceLine,
)
from .segments import SegmentWriter

UNIT_QUALIFIERS = frozenset({"FL", "VS", "DY", "HS", "MN", "UN"})


def decision_words(status: str, certification: str, reason: str) -> str:
    words = codes.REVIEW_WORDS.get(status, f"Decision {status}")
    if certification:
        words += f"; certification number {certification}"
    if reason:
        words += f" (reason code {reason})"
    return words + "."


# --- writing ---------------------------------------------------------------------------------


def _action(status: str) -> str:
    try:
        return codes.REVIEW_ACTION_CODES[status]
    except KeyError:
        raise X12Error(
            f"Unknown authorization status {status!r}: use one of "
            f"{', '.join(sorted(codes.REVIEW_ACTION_CODES))} or 'rejected'."
        ) from None


def _aaa(w: SegmentWriter, rejections: tuple[Rejection, ...], loop: str) -> bool:
    mine = [r for r in rejections if r.loop == loop]
    for rejection in mine:
        write_rejection(w, rejection)
    return bool(mine)


def build_278_response(
    request: AuthorizationRequest, response: AuthorizationResponse, ids: EnvelopeIds
) -> str:
    """The UMO's answer to ``request``: HCR at the event and per service, or AAA rejections.

    A rejection at 2010A/2010B/2010C/2010D ends the answer at that level; at 2000E the event
    is written with its AAA and no decision.
    """
    rejected = response.status == "rejected"
    if rejected and not response.rejections:
        raise X12Error("A rejected 278 response needs at least one rejection (AAA).")
    action = "" if rejected else _action(response.status)
    w = open_envelope(ids, "HI", VERSION)
    control = control_number(ids)
    start = start_transaction(w, "278", control, VERSION)
    created = ids.created
    w.add(
        "BHT",
        "0007",
        "11",
        request.trace_number,
        created.strftime("%Y%m%d"),
        created.strftime("%H%M"),
    )
    stop = _write_levels(w, request, response.rejections)
    if stop is None:
        end_transaction(w, start, control)
        return close_envelope(w, ids, 1)
    parent = stop
    event = parent + 1
    decisions = () if rejected else response.decisions
    w.add("HL", str(event), str(parent), "EV", "1" if decisions else "0")
    originator = request.originator_id or default_originator(request.requester)
    for trace in response.trace_numbers or (request.trace_number,):
        w.add("TRN", "2", trace, originator)
    w.add(
        "UM",
        request.request_category,
        request.certification_type,
        request.service_type,
        facility(request.facility_code),
    )
    if rejected:
        _aaa(w, response.rejections, "2000E")
    else:
        w.add("HCR", action, response.certification_number, response.reason_code)
        if response.effective_from is not None:
            w.add("DTP", "007", "D8", format_date(response.effective_from))
        if response.effective_to is not None:
            w.add("DTP", "036", "D8", format_date(response.effective_to))
    if request.diagnoses:
        w.add("HI", *diagnoses_element(request.diagnoses))
    if response.explanation:
        w.add("MSG", response.explanation)
    write_party(w, "SJ", request.service_provider or request.requester)
    unused = list(request.services)
    for index, decision in enumerate(decisions):
        line = next((s for s in unused if s.code == decision.code), ServiceLine(decision.code))
        if line in unused:
            unused.remove(line)
        w.add("HL", str(event + 1 + index), str(event), "SS", "0")
        w.add("UM", request.request_category, request.certification_type, line.service_type)
        w.add(
            "HCR",
            _action_code(decision.status),
            decision.certification_number,
            decision.reason_code,
        )
        if line.from_date is not None:
            w.add("DTP", "472", *period_elements(line.from_date, line.to_date))
        w.add(
            "SV1",
            ("HC", check_required(line.code, "A service's code"), *line.modifiers),
            "",
            "UN",
            format_decimal(line.units),
        )
        if decision.units is not None:
            w.add("HSD", "FL", format_decimal(decision.units))
        if decision.explanation:
            w.add("MSG", decision.explanation)
    end_transaction(w, start, control)
    return close_envelope(w, ids, 1)


def _action_code(status: str) -> str:
    """HCR01 of a service: given as the code (A1, A3 ...) or as the status word."""
    if status in codes.REVIEW_ACTIONS:
        return status
    return _action(status)


def _write_levels(
    w: SegmentWriter, request: AuthorizationRequest, rejections: tuple[Rejection, ...]
) -> int | None:
    """HL 20/21/22(/23) with any AAA in their loops; None when a rejection ends the answer."""
    upper = {r.loop for r in rejections}
    stops_at_payer = "2010A" in upper or "2000A" in upper
    w.add("HL", "1", "", "20", "0" if stops_at_payer else "1")
    write_party(w, "X3", request.payer)
    if _aaa(w, rejections, "2010A") | _aaa(w, rejections, "2000A"):
        return None
    w.add("HL", "2", "1", "21", "0" if "2010B" in upper else "1")
    write_party(w, "1P", request.requester)
    if _aaa(w, rejections, "2010B"):
        return None
    stops_at_subscriber = "2010C" in upper or ("2010D" in upper and request.dependent is None)
    w.add("HL", "3", "2", "22", "0" if stops_at_subscriber else "1")
    mine = [r for r in rejections if r.loop == "2010C"]
    write_278_person(w, "IL", request.subscriber, mine)
    if mine:
        return None
    if request.dependent is None:
        return 3
    w.add("HL", "4", "3", "23", "0" if "2010D" in upper else "1")
    mine = [r for r in rejections if r.loop == "2010D"]
    write_278_person(w, "QC", request.dependent, mine)
    if mine:
        return None
    return 4


# --- reading ---------------------------------------------------------------------------------


def _rejections(tree: Tree278) -> list[Rejection]:
    found: list[Rejection] = []
    for node, before, after in (
        (tree.payer_node, "2000A", "2010A"),
        (tree.requester_node, "2010B", "2010B"),
    ):
        loop = before
        for seg in node.segments:
            if seg[0] == "NM1":
                loop = after
            elif seg[0] == "AAA":
                found.append(rejection_from(seg, loop))
    found.extend(tree.subscriber.rejections)
    if tree.dependent is not None:
        found.extend(tree.dependent.rejections)
    levels: list[tuple[HLNode | None, str]] = [(tree.event, "2000E")]
    levels.extend((s, "2000F") for s in tree.services)
    for level, loop in levels:
        if level is not None:
            found.extend(rejection_from(seg, loop) for seg in level.segments if seg[0] == "AAA")
    return found


def _decision(node: HLNode, component: str) -> ServiceDecision | None:
    hcr = first(node, "HCR")
    if hcr is None:
        return None
    line = service_line(node, component)
    units: Decimal | None = None
    hsd = first(node, "HSD")
    if hsd is not None and el(hsd, 1) in UNIT_QUALIFIERS:
        units = parse_decimal(el(hsd, 2), "HSD02 quantity")
    messages = [el(seg, 1) for seg in node.segments if seg[0] == "MSG"]
    status = el(hcr, 1)
    words = codes.REVIEW_ACTIONS.get(status, status)
    return ServiceDecision(
        code=line.code,
        status=status,
        certification_number=el(hcr, 2),
        units=units,
        explanation=" ".join(messages) or decision_words(words, el(hcr, 2), el(hcr, 3)),
        reason_code=el(hcr, 3),
    )


def _overall(decisions: list[ServiceDecision]) -> str:
    words = {codes.REVIEW_ACTIONS.get(d.status, "pending") for d in decisions}
    if len(words) == 1:
        return words.pop()
    if "approved" in words or "partial" in words or "modified" in words:
        return "partial"
    return "pending"


def read_278_response(text: str, *, strict: bool = True) -> list[AuthorizationResponse]:
    """One response per patient event (or per rejected request that stops above it)."""
    found, warning_list = transactions_for(text, ("278",), "read_278_response", strict=strict)
    warnings = tuple(warning_list)
    responses: list[AuthorizationResponse] = []
    for interchange, _, transaction in found:
        _, nodes = header_and_levels(transaction, ("11",), "0007")
        component = interchange.separators.component
        for tree in read_tree(nodes, component, lenient_stop=True):
            responses.append(_response(tree, warnings))
    return responses


def _response(tree: Tree278, warnings: tuple[str, ...]) -> AuthorizationResponse:
    rejections = _rejections(tree)
    event = tree.event
    decisions = [
        d for d in (_decision(node, tree.component) for node in tree.services) if d is not None
    ]
    hcr = first(event, "HCR")
    traces: tuple[str, ...] = ()
    certification = reason = explanation = ""
    start = end = None
    if event is not None:
        traces = tuple(el(s, 2) for s in event.segments if s[0] == "TRN" and el(s, 1) == "2")
        explanation = " ".join(el(s, 1) for s in event.segments if s[0] == "MSG")
        start, range_end = dates_of(event, ("007", "472", "AAH"))
        expiry, _ = dates_of(event, ("036",))
        end = expiry or range_end
        ref = first(event, "REF", "BB")
        certification = el(ref, 2) if ref is not None else ""
    if hcr is not None:
        status = codes.REVIEW_ACTIONS.get(el(hcr, 1), "pending")
        certification = el(hcr, 2) or certification
        reason = el(hcr, 3)
    elif rejections:
        status = "rejected"
    elif decisions:
        status = _overall(decisions)
    else:
        raise X12Error("The 278 response has no decision (HCR) and no rejection (AAA).")
    if not explanation:
        if status == "rejected":
            explanation = " ".join(r.explanation for r in rejections)
        else:
            explanation = decision_words(status, certification, reason)
    return AuthorizationResponse(
        trace_numbers=traces,
        status=status,
        certification_number=certification,
        effective_from=start,
        effective_to=end,
        decisions=tuple(decisions),
        rejections=tuple(rejections),
        explanation=explanation,
        reason_code=reason,
        warnings=warnings,
    )
