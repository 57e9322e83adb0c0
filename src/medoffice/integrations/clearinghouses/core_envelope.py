"""The CAQH CORE Connectivity Rule vC2.2.0 HTTP MIME multipart envelope, both directions.

A request or response is an HTTP POST body of ``multipart/form-data`` whose parts are named by the
rule's metadata fields (ProcessingMode, PayloadType, PayloadID, PayloadLength, TimeStamp, UserName,
Password, SenderID, ReceiverID, CORERuleVersion, Checksum, Payload; responses add ErrorCode and
ErrorMessage and carry no credentials). Decoding is strict: a missing field, a bad value, a payload
whose length or SHA-1 checksum does not match raises ``EnvelopeError`` carrying the rule's error
code (``<Field>Required``, ``<Field>Illegal``, ``ChecksumMismatch``, ``VersionMismatch``), which a
server returns in its ErrorCode and a client reports as a bad answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

CORE_RULE_VERSION = "2.2.0"
REAL_TIME = "RealTime"
BATCH = "Batch"
PROCESSING_MODES = (REAL_TIME, BATCH)


class PayloadType:
    """The rule's PayloadType values used here."""

    X12_270_REQUEST = "X12_270_Request_005010X279A1"
    X12_271_RESPONSE = "X12_271_Response_005010X279A1"
    X12_278_REQUEST = "X12_278_Request_005010X217E1_2"
    X12_278_RESPONSE = "X12_278_Response_005010X217E1_2"
    X12_999_RESPONSE = "X12_999_Response_005010X231A1"
    X12_999_RETRIEVAL_REQUEST = "X12_999_RetrievalRequest_005010X231A1"
    BATCH_RESULTS_271_REQUEST = "X12_005010_Request_Batch_Results_271"
    CONFIRM_RECEIPT = "X12_Response_ConfirmReceiptReceived"


class ErrorCode:
    """The rule's ErrorCode values (besides the ``<Field>Required`` / ``<Field>Illegal`` pairs)."""

    SUCCESS = "Success"
    UNAUTHORIZED = "UnAuthorized"
    VERSION_MISMATCH = "VersionMismatch"
    CHECKSUM_MISMATCH = "ChecksumMismatch"
    PAYLOAD_ID_REQUIRED = "PayloadIDRequired"
    PAYLOAD_TYPE_ILLEGAL = "PayloadTypeIllegal"
    PROCESSING_MODE_ILLEGAL = "ProcessingModeIllegal"


MAX_FIELD_LENGTH = 256  # metadata values; the payload has its own limit at the HTTP layer


class EnvelopeError(ValueError):
    """An envelope that breaks the rule; ``code`` is the CORE ErrorCode naming what is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CoreRequest:
    processing_mode: str
    payload_type: str
    payload_id: str
    timestamp: dt.datetime
    username: str
    password: str = dataclasses.field(repr=False)
    sender_id: str
    receiver_id: str
    payload: str = ""  # "" for retrieval requests
    core_rule_version: str = CORE_RULE_VERSION


@dataclass(frozen=True)
class CoreResponse:
    processing_mode: str
    payload_type: str
    payload_id: str
    timestamp: dt.datetime
    sender_id: str
    receiver_id: str
    error_code: str
    error_message: str = ""
    payload: str = ""
    core_rule_version: str = CORE_RULE_VERSION


def new_payload_id() -> str:
    return str(uuid.uuid1())  # the rule asks for a time-and-node based UUID


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def checksum(payload: str) -> str:
    """The rule's Checksum: SHA-1 of the payload bytes, in hexadecimal."""
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def format_timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("CORE timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- encoding -------------------------------------------------------------------------------


def _payload_fields(payload: str) -> dict[str, str]:
    if not payload:
        return {}
    return {
        "PayloadLength": str(len(payload.encode("utf-8"))),
        "Checksum": checksum(payload),
        "Payload": payload,
    }


def encode_request(request: CoreRequest) -> tuple[bytes, str]:
    """The HTTP body and its Content-Type header for ``request``."""
    fields = {
        "PayloadType": request.payload_type,
        "ProcessingMode": request.processing_mode,
        "PayloadID": request.payload_id,
        "TimeStamp": format_timestamp(request.timestamp),
        "UserName": request.username,
        "Password": request.password,
        "SenderID": request.sender_id,
        "ReceiverID": request.receiver_id,
        "CORERuleVersion": request.core_rule_version,
        **_payload_fields(request.payload),
    }
    return encode_multipart(fields)


def encode_response(response: CoreResponse) -> tuple[bytes, str]:
    fields = {
        "PayloadType": response.payload_type,
        "ProcessingMode": response.processing_mode,
        "PayloadID": response.payload_id,
        "TimeStamp": format_timestamp(response.timestamp),
        "SenderID": response.sender_id,
        "ReceiverID": response.receiver_id,
        "CORERuleVersion": response.core_rule_version,
        "ErrorCode": response.error_code,
        "ErrorMessage": response.error_message,
        **_payload_fields(response.payload),
    }
    return encode_multipart(fields)


def encode_multipart(fields: Mapping[str, str]) -> tuple[bytes, str]:
    values = {name: value.encode("utf-8") for name, value in fields.items()}
    boundary = f"MedofficeCORE-{uuid.uuid4().hex}"
    while any(boundary.encode("ascii") in value for value in values.values()):
        boundary = f"MedofficeCORE-{uuid.uuid4().hex}"  # pragma: no cover - 128 random bits
    chunks: list[bytes] = []
    for name, value in values.items():
        disposition = f'form-data; name="{name}"'
        if name == "Payload":
            disposition += '; filename="payload.x12"'
        chunks.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n".encode("ascii")
        )
        chunks.append(value)
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks), f'multipart/form-data; boundary="{boundary}"'


# --- decoding -------------------------------------------------------------------------------

_BOUNDARY = re.compile(r'boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))', re.IGNORECASE)
_NAME = re.compile(r'(?:^|;)\s*name="([^"]*)"', re.IGNORECASE)

REQUEST_FIELDS = (
    "PayloadType",
    "ProcessingMode",
    "PayloadID",
    "TimeStamp",
    "UserName",
    "Password",
    "SenderID",
    "ReceiverID",
    "CORERuleVersion",
)
RESPONSE_FIELDS = (
    "PayloadType",
    "ProcessingMode",
    "PayloadID",
    "TimeStamp",
    "SenderID",
    "ReceiverID",
    "CORERuleVersion",
    "ErrorCode",
)


def decode_multipart(body: bytes, content_type: str) -> dict[str, str]:
    """The named parts of a ``multipart/form-data`` body; ``EnvelopeError`` when it is not one."""
    not_envelope = EnvelopeError(
        "PayloadTypeRequired", "The message is not a CORE MIME multipart envelope."
    )
    if not content_type.lower().startswith("multipart/form-data"):
        raise not_envelope
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise not_envelope
    boundary = (match.group(1) or match.group(2)).encode("ascii", "replace")
    chunks = (b"\r\n" + body).split(b"\r\n--" + boundary)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise not_envelope
    fields: dict[str, str] = {}
    for chunk in chunks[1:-1]:
        name, value = _decode_part(chunk, not_envelope)
        if name in fields:
            raise EnvelopeError(f"{name}Illegal", f"The envelope gives {name} twice.")
        fields[name] = value
    return fields


def _decode_part(chunk: bytes, not_envelope: EnvelopeError) -> tuple[str, str]:
    head, separator, content = chunk.partition(b"\r\n\r\n")
    if not separator or not head.startswith(b"\r\n"):
        raise not_envelope
    name = ""
    for line in head[2:].split(b"\r\n"):
        key, _, value = line.decode("latin-1").partition(":")
        if key.strip().lower() == "content-disposition":
            found = _NAME.search(value)
            name = found.group(1) if found else ""
    if not name:
        raise not_envelope
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise EnvelopeError(f"{name}Illegal", f"{name} is not UTF-8 text.") from None
    return name, text


def _required(fields: Mapping[str, str], names: tuple[str, ...]) -> None:
    for name in names:
        if name not in fields or (not fields[name].strip() and name != "Password"):
            raise EnvelopeError(f"{name}Required", f"The envelope has no {name}.")
    for name, value in fields.items():
        if name != "Payload" and len(value) > MAX_FIELD_LENGTH:
            raise EnvelopeError(f"{name}Illegal", f"{name} is longer than the rule allows.")


def _check_common(fields: Mapping[str, str]) -> dt.datetime:
    if fields["CORERuleVersion"] != CORE_RULE_VERSION:
        raise EnvelopeError(
            ErrorCode.VERSION_MISMATCH,
            f"CORERuleVersion {fields['CORERuleVersion']!r} is not {CORE_RULE_VERSION}.",
        )
    if fields["ProcessingMode"] not in PROCESSING_MODES:
        raise EnvelopeError(
            ErrorCode.PROCESSING_MODE_ILLEGAL, "ProcessingMode must be RealTime or Batch."
        )
    try:
        uuid.UUID(fields["PayloadID"])
    except ValueError:
        raise EnvelopeError("PayloadIDIllegal", "PayloadID is not a UUID.") from None
    return _parse_timestamp(fields["TimeStamp"])


def _parse_timestamp(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EnvelopeError("TimeStampIllegal", "TimeStamp is not an ISO 8601 time.") from None
    if moment.tzinfo is None:
        raise EnvelopeError("TimeStampIllegal", "TimeStamp has no time zone (UTC expected).")
    return moment.astimezone(dt.UTC)


def _check_payload(fields: Mapping[str, str], *, length_required: bool) -> str:
    payload = fields.get("Payload", "")
    if not payload:
        if "PayloadLength" in fields or "Checksum" in fields:
            raise EnvelopeError("PayloadRequired", "The envelope describes a payload it lacks.")
        return ""
    if length_required:
        _required(fields, ("PayloadLength", "Checksum"))
    length = fields.get("PayloadLength")
    if length is not None:
        if not length.isdigit():
            raise EnvelopeError("PayloadLengthIllegal", "PayloadLength is not a number.")
        if int(length) != len(payload.encode("utf-8")):
            raise EnvelopeError(
                "PayloadLengthIllegal", "PayloadLength does not match the payload's length."
            )
    expected = fields.get("Checksum")
    if expected is not None and expected.strip().lower() != checksum(payload):
        raise EnvelopeError(
            ErrorCode.CHECKSUM_MISMATCH, "The payload's SHA-1 does not match its Checksum."
        )
    return payload


def decode_request(body: bytes, content_type: str) -> CoreRequest:
    """A client's envelope, checked field by field (the server's side)."""
    fields = decode_multipart(body, content_type)
    _required(fields, REQUEST_FIELDS)
    timestamp = _check_common(fields)
    batch = fields["ProcessingMode"] == BATCH
    payload = _check_payload(fields, length_required=batch)
    if not payload and not _is_retrieval(fields["PayloadType"]):
        raise EnvelopeError("PayloadRequired", "The request has no Payload.")
    return CoreRequest(
        processing_mode=fields["ProcessingMode"],
        payload_type=fields["PayloadType"],
        payload_id=fields["PayloadID"],
        timestamp=timestamp,
        username=fields["UserName"],
        password=fields["Password"],
        sender_id=fields["SenderID"],
        receiver_id=fields["ReceiverID"],
        payload=payload,
        core_rule_version=fields["CORERuleVersion"],
    )


def decode_response(body: bytes, content_type: str) -> CoreResponse:
    """A server's envelope, checked field by field (the client's side)."""
    fields = decode_multipart(body, content_type)
    _required(fields, RESPONSE_FIELDS)
    if "ErrorMessage" not in fields:
        raise EnvelopeError("ErrorMessageRequired", "The envelope has no ErrorMessage.")
    timestamp = _check_common(fields)
    payload = _check_payload(fields, length_required=fields["ProcessingMode"] == BATCH)
    return CoreResponse(
        processing_mode=fields["ProcessingMode"],
        payload_type=fields["PayloadType"],
        payload_id=fields["PayloadID"],
        timestamp=timestamp,
        sender_id=fields["SenderID"],
        receiver_id=fields["ReceiverID"],
        error_code=fields["ErrorCode"],
        error_message=fields["ErrorMessage"],
        payload=payload,
        core_rule_version=fields["CORERuleVersion"],
    )


def _is_retrieval(payload_type: str) -> bool:
    return payload_type in (
        PayloadType.BATCH_RESULTS_271_REQUEST,
        PayloadType.X12_999_RETRIEVAL_REQUEST,
    )
