"""The CAQH CORE HTTP MIME envelope: round trips both ways and every refusal by its error code."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.integrations.clearinghouses.core_envelope import (
    BATCH,
    REAL_TIME,
    CoreRequest,
    CoreResponse,
    EnvelopeError,
    PayloadType,
    checksum,
    decode_multipart,
    decode_request,
    decode_response,
    encode_multipart,
    encode_request,
    encode_response,
)

X12 = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*260301*1200*^*00501*000000001*0*P*:~GS*HS*S*R*20260301*1200*1*X*005010X279A1~"
)
STAMP = dt.datetime(2026, 3, 1, 12, 0, 5, tzinfo=dt.UTC)
PAYLOAD_ID = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"


def _request(**changes: object) -> CoreRequest:
    fields: dict[str, object] = {
        "processing_mode": REAL_TIME,
        "payload_type": PayloadType.X12_270_REQUEST,
        "payload_id": PAYLOAD_ID,
        "timestamp": STAMP,
        "username": "office",
        "password": "s3cret",
        "sender_id": "MEDOFFICE01",
        "receiver_id": "PAYERSIM",
        "payload": X12,
    }
    fields.update(changes)
    return CoreRequest(**fields)  # type: ignore[arg-type]


def _request_fields() -> dict[str, str]:
    return {
        "PayloadType": PayloadType.X12_270_REQUEST,
        "ProcessingMode": "RealTime",
        "PayloadID": PAYLOAD_ID,
        "TimeStamp": "2026-03-01T12:00:05Z",
        "UserName": "office",
        "Password": "s3cret",
        "SenderID": "MEDOFFICE01",
        "ReceiverID": "PAYERSIM",
        "CORERuleVersion": "2.2.0",
        "PayloadLength": str(len(X12)),
        "Checksum": checksum(X12),
        "Payload": X12,
    }


def _refusal_code(fields: dict[str, str]) -> str:
    body, content_type = encode_multipart(fields)
    with pytest.raises(EnvelopeError) as refused:
        decode_request(body, content_type)
    return refused.value.code


def test_a_real_time_request_round_trips() -> None:
    # Given a real-time 270 request
    original = _request()
    # When it is encoded and decoded
    body, content_type = encode_request(original)
    decoded = decode_request(body, content_type)
    # Then every field survives, and the wire form is multipart/form-data with the rule's names
    assert decoded == original
    assert content_type.startswith("multipart/form-data; boundary=")
    assert b'Content-Disposition: form-data; name="CORERuleVersion"\r\n' in body
    assert f"\r\n\r\n{checksum(X12)}\r\n".encode() in body


def test_a_batch_response_round_trips_and_keeps_the_password_out_of_repr() -> None:
    response = CoreResponse(
        processing_mode=BATCH,
        payload_type=PayloadType.X12_271_RESPONSE,
        payload_id=PAYLOAD_ID,
        timestamp=STAMP,
        sender_id="PAYERSIM",
        receiver_id="MEDOFFICE01",
        error_code="Success",
        error_message="",
        payload=X12 + "\n",
    )
    body, content_type = encode_response(response)
    assert decode_response(body, content_type) == response
    assert "s3cret" not in repr(_request())


def test_a_retrieval_request_needs_no_payload() -> None:
    request = _request(
        processing_mode=BATCH, payload_type=PayloadType.BATCH_RESULTS_271_REQUEST, payload=""
    )
    body, content_type = encode_request(request)
    assert decode_request(body, content_type) == request
    assert b'name="Payload"' not in body


@pytest.mark.parametrize(
    "field",
    [
        "PayloadType",
        "ProcessingMode",
        "PayloadID",
        "TimeStamp",
        "UserName",
        "Password",
        "SenderID",
        "ReceiverID",
        "CORERuleVersion",
    ],
)
def test_a_missing_field_is_refused_by_name(field: str) -> None:
    fields = _request_fields()
    del fields[field]
    assert _refusal_code(fields) == f"{field}Required"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("Checksum", checksum(X12 + "x"), "ChecksumMismatch"),
        ("PayloadLength", str(len(X12) + 1), "PayloadLengthIllegal"),
        ("PayloadLength", "ten", "PayloadLengthIllegal"),
        ("CORERuleVersion", "2.1.0", "VersionMismatch"),
        ("ProcessingMode", "Realtime", "ProcessingModeIllegal"),
        ("PayloadID", "not-a-uuid", "PayloadIDIllegal"),
        ("TimeStamp", "yesterday", "TimeStampIllegal"),
        ("TimeStamp", "2026-03-01T12:00:05", "TimeStampIllegal"),
        ("SenderID", "S" * 300, "SenderIDIllegal"),
    ],
)
def test_a_wrong_value_is_refused_with_the_rules_code(field: str, value: str, code: str) -> None:
    fields = _request_fields()
    fields[field] = value
    assert _refusal_code(fields) == code


def test_a_real_time_request_without_payload_is_refused() -> None:
    fields = _request_fields()
    for name in ("Payload", "PayloadLength", "Checksum"):
        del fields[name]
    assert _refusal_code(fields) == "PayloadRequired"


def test_a_batch_submission_needs_its_length_and_checksum() -> None:
    fields = _request_fields()
    fields["ProcessingMode"] = "Batch"
    del fields["Checksum"]
    assert _refusal_code(fields) == "ChecksumRequired"


def test_a_body_that_is_not_multipart_is_refused() -> None:
    with pytest.raises(EnvelopeError) as refused:
        decode_request(b"PayloadType=X12_270", "application/x-www-form-urlencoded")
    assert refused.value.message == "The message is not a CORE MIME multipart envelope."
    body, content_type = encode_request(_request())
    with pytest.raises(EnvelopeError):
        decode_request(body[: len(body) // 2], content_type)  # cut before the closing boundary


def test_a_field_given_twice_is_refused() -> None:
    body, content_type = encode_multipart(_request_fields())
    boundary = content_type.split('boundary="')[1].rstrip('"')
    extra = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="SenderID"\r\n\r\nOTHER\r\n'
    ).encode()
    doubled = extra + body
    with pytest.raises(EnvelopeError) as refused:
        decode_request(doubled, content_type)
    assert refused.value.code == "SenderIDIllegal"


def test_a_response_without_error_fields_is_refused() -> None:
    fields = {
        "PayloadType": PayloadType.X12_271_RESPONSE,
        "ProcessingMode": "RealTime",
        "PayloadID": PAYLOAD_ID,
        "TimeStamp": "2026-03-01T12:00:05Z",
        "SenderID": "PAYERSIM",
        "ReceiverID": "MEDOFFICE01",
        "CORERuleVersion": "2.2.0",
    }
    body, content_type = encode_multipart(fields)
    with pytest.raises(EnvelopeError) as refused:
        decode_response(body, content_type)
    assert refused.value.code == "ErrorCodeRequired"
    body, content_type = encode_multipart({**fields, "ErrorCode": "Success"})
    with pytest.raises(EnvelopeError) as refused:
        decode_response(body, content_type)
    assert refused.value.code == "ErrorMessageRequired"


def test_non_utf8_text_is_refused() -> None:
    body, content_type = encode_multipart({"PayloadType": "X"})
    broken = body.replace(b"\r\n\r\nX\r\n", b"\r\n\r\n\xff\xfe\r\n")
    with pytest.raises(EnvelopeError) as refused:
        decode_multipart(broken, content_type)
    assert refused.value.code == "PayloadTypeIllegal"
