"""The payer simulator's brain: a checked CORE request in, the CORE response (and faults) out.

Real time: a 270 gets a 271, a 278 request a 278 response, X12 that cannot be read a 999 that
rejects it. Batch: a 270 file is acknowledged with a receipt at once; its 999 and its 271s (one
interchange per inquiry) wait for the submitter's retrieval requests, each delivered once.
Everything is written with ``medoffice.interchange.x12``'s readers and writers.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field

from medoffice.integrations.clearinghouses.core_envelope import (
    BATCH,
    REAL_TIME,
    CoreRequest,
    CoreResponse,
    ErrorCode,
    PayloadType,
    now_utc,
)
from medoffice.interchange.x12 import (
    EnvelopeIds,
    X12Error,
    build_271,
    build_278_response,
    build_999,
    read_270,
    read_278_request,
)
from medoffice.payer_sim.authorization import answer_authorization
from medoffice.payer_sim.config import Fault, SimulatorConfig
from medoffice.payer_sim.eligibility import answer_eligibility

GARBAGE = "<html><body>Service temporarily unavailable</body></html>"


class Refusal(Exception):
    """The request breaks the rule in a way the simulator answers with an envelope error."""

    def __init__(self, code: str, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


@dataclass(frozen=True)
class Outcome:
    response: CoreResponse
    fault: Fault = field(default_factory=Fault)


class Responder:
    """Thread-safe: the HTTP server calls it from one thread per connection."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._acks: dict[str, collections.deque[tuple[str, str]]] = {}
        self._results: dict[str, collections.deque[tuple[str, str]]] = {}
        self._seen_batches: set[tuple[str, str]] = set()

    # --- entry point --------------------------------------------------------------------

    def respond(self, request: CoreRequest) -> Outcome:
        if self.config.receiver_id and request.receiver_id != self.config.receiver_id:
            raise Refusal("ReceiverIDIllegal", "This payer is not the ReceiverID named.")
        if request.processing_mode == REAL_TIME:
            return self._real_time(request)
        if request.payload_type == PayloadType.X12_270_REQUEST:
            return self._submit_batch(request)
        if request.payload_type == PayloadType.X12_999_RETRIEVAL_REQUEST:
            return Outcome(self._retrieve(request, self._acks, PayloadType.X12_999_RESPONSE))
        if request.payload_type == PayloadType.BATCH_RESULTS_271_REQUEST:
            return Outcome(self._retrieve(request, self._results, PayloadType.X12_271_RESPONSE))
        raise Refusal(
            ErrorCode.PAYLOAD_TYPE_ILLEGAL, f"Batch {request.payload_type} is not supported."
        )

    # --- real time ----------------------------------------------------------------------

    def _real_time(self, request: CoreRequest) -> Outcome:
        if request.payload_type == PayloadType.X12_270_REQUEST:
            return self._eligibility(request)
        if request.payload_type == PayloadType.X12_278_REQUEST:
            return self._authorization(request)
        raise Refusal(
            ErrorCode.PAYLOAD_TYPE_ILLEGAL,
            f"Real-time {request.payload_type} is not supported here.",
        )

    def _eligibility(self, request: CoreRequest) -> Outcome:
        try:
            inquiries = read_270(request.payload)
            if len(inquiries) != 1:
                raise X12Error("A real-time 270 must ask about exactly one patient.")
        except X12Error as error:
            return Outcome(self._rejected_x12(request, error))
        inquiry = inquiries[0]
        fault = self._fault(inquiry.payer.identifier, inquiry.subscriber.member_id)
        answer = answer_eligibility(self.config, inquiry, unable_to_respond=fault.aaa_42)
        payload = build_271(inquiry, answer, self._ids(request))
        return Outcome(
            self._reply(request, PayloadType.X12_271_RESPONSE, payload, fault), fault=fault
        )

    def _authorization(self, request: CoreRequest) -> Outcome:
        try:
            asks = read_278_request(request.payload)
            if len(asks) != 1:
                raise X12Error("A real-time 278 must carry exactly one request.")
        except X12Error as error:
            return Outcome(self._rejected_x12(request, error))
        ask = asks[0]
        fault = self._fault(ask.payer.identifier, ask.subscriber.member_id)
        answer = answer_authorization(self.config, ask, today=now_utc().date())
        payload = build_278_response(ask, answer, self._ids(request))
        return Outcome(
            self._reply(request, PayloadType.X12_278_RESPONSE, payload, fault), fault=fault
        )

    def _rejected_x12(self, request: CoreRequest, error: X12Error) -> CoreResponse:
        try:
            ack = build_999(request.payload, self._ids(request), reject_reason=str(error))
        except X12Error:
            raise Refusal("PayloadIllegal", "The payload is not an X12 interchange.") from None
        return self._reply(request, PayloadType.X12_999_RESPONSE, ack, Fault())

    # --- batch --------------------------------------------------------------------------

    def _submit_batch(self, request: CoreRequest) -> Outcome:
        key = (request.sender_id, request.payload_id)
        with self._lock:
            duplicate = key in self._seen_batches
            self._seen_batches.add(key)
        if not duplicate:
            try:
                self._process_batch(request)
            except Refusal:
                with self._lock:
                    self._seen_batches.discard(key)
                raise
        receipt = self._reply(request, PayloadType.CONFIRM_RECEIPT, "", Fault())
        return Outcome(receipt)

    def _process_batch(self, request: CoreRequest) -> None:
        ids = self._ids(request)
        try:
            inquiries = read_270(request.payload)
        except X12Error as error:
            try:
                ack = build_999(request.payload, ids, reject_reason=str(error))
            except X12Error:
                raise Refusal("PayloadIllegal", "The payload is not an X12 interchange.") from None
            self._queue(self._acks, request, ack)
            return
        self._queue(self._acks, request, build_999(request.payload, ids))
        for inquiry in inquiries:
            fault = self._fault(inquiry.payer.identifier, inquiry.subscriber.member_id)
            answer = answer_eligibility(self.config, inquiry, unable_to_respond=fault.aaa_42)
            self._queue(self._results, request, build_271(inquiry, answer, self._ids(request)))

    def _queue(
        self, store: dict[str, collections.deque[tuple[str, str]]], request: CoreRequest, text: str
    ) -> None:
        with self._lock:
            store.setdefault(request.sender_id, collections.deque()).append(
                (request.payload_id, text)
            )

    def _retrieve(
        self,
        request: CoreRequest,
        store: dict[str, collections.deque[tuple[str, str]]],
        payload_type: str,
    ) -> CoreResponse:
        with self._lock:
            waiting = store.get(request.sender_id)
            item = waiting.popleft() if waiting else None
        if item is None:
            return self._reply(request, payload_type, "", Fault())
        payload_id, text = item
        return self._reply(request, payload_type, text, Fault(), payload_id=payload_id)

    # --- helpers ------------------------------------------------------------------------

    def _fault(self, payer_id: str, member_id: str) -> Fault:
        member = self.config.member(payer_id, member_id)
        if member is not None and member.fault is not None:
            return member.fault
        payer = self.config.payer(payer_id)
        if payer is not None and payer.fault is not None:
            return payer.fault
        return Fault()

    def _ids(self, request: CoreRequest) -> EnvelopeIds:
        with self._lock:
            number = next(self._numbers)
        return EnvelopeIds(
            sender_id=request.receiver_id[:15],
            receiver_id=request.sender_id[:15],
            interchange_control_number=number,
            group_control_number=number,
            transaction_control_number=number,
            created=dt.datetime.now(dt.UTC),
        )

    def _reply(
        self,
        request: CoreRequest,
        payload_type: str,
        payload: str,
        fault: Fault,
        *,
        payload_id: str = "",
    ) -> CoreResponse:
        return CoreResponse(
            processing_mode=request.processing_mode if request.processing_mode else BATCH,
            payload_type=payload_type,
            payload_id=payload_id or request.payload_id,
            timestamp=now_utc(),
            sender_id=request.receiver_id,
            receiver_id=request.sender_id,
            error_code=ErrorCode.SUCCESS,
            error_message="",
            payload=GARBAGE if fault.garbage_payload and payload else payload,
        )
