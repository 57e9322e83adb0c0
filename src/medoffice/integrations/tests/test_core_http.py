"""The real CORE client against the real payer simulator on loopback: answers and every failure."""

from __future__ import annotations

import socket

import pytest

from medoffice.integrations.clearinghouses import (
    ClearinghouseError,
    ClearinghouseSettings,
    PayloadType,
    connect,
)
from medoffice.interchange.x12 import build_270_batch, read_271, read_278_response, read_999
from medoffice.payer_sim import RunningSimulator
from medoffice.payer_sim.tests.support import ids, inquiry, settings_for, x12_270, x12_278

from .conftest import Certificates


def _fail(simulator: RunningSimulator, member_id: str, **settings: object) -> ClearinghouseError:
    clearinghouse = connect(settings_for(simulator, **settings))
    with pytest.raises(ClearinghouseError) as failed:
        clearinghouse.exchange_realtime(
            x12_270(member_id), payload_type=PayloadType.X12_270_REQUEST
        )
    return failed.value


def test_a_270_gets_its_271_over_http(simulator: RunningSimulator) -> None:
    # Given the CORE client pointed at the simulator
    clearinghouse = connect(settings_for(simulator))
    # When a real-time 270 is exchanged
    answer = clearinghouse.exchange_realtime(
        x12_270("PIN0001"), payload_type=PayloadType.X12_270_REQUEST
    )
    # Then the 271 came back on the first try and reads as active coverage
    assert answer.payload_type == PayloadType.X12_271_RESPONSE
    assert answer.attempts == 1
    [response] = read_271(answer.payload)
    assert response.active is True
    assert response.trace_numbers == ("TRACE0001",)


def test_a_270_gets_its_271_over_https_with_the_practices_ca(
    tls_simulator: RunningSimulator, certificates: Certificates
) -> None:
    clearinghouse = connect(settings_for(tls_simulator, ca_file=str(certificates.ca_file)))
    answer = clearinghouse.exchange_realtime(
        x12_270("PIN0001"), payload_type=PayloadType.X12_270_REQUEST
    )
    assert tls_simulator.url.startswith("https://127.0.0.1:")
    assert [r.plan_name for r in read_271(answer.payload)] == ["Test Gold PPO"]


def test_an_untrusted_certificate_is_refused_without_retrying(
    tls_simulator: RunningSimulator,
) -> None:
    error = _fail(tls_simulator, "PIN0001")
    assert (error.status, error.retry_may_help, error.attempts) == ("unreachable", False, 1)
    assert error.message == (
        "Test Clearinghouse: its security certificate could not be verified. "
        "Ask the manager to check the clearinghouse set-up."
    )


def test_wrong_credentials_fail_once_and_say_so(simulator: RunningSimulator) -> None:
    error = _fail(simulator, "PIN0001", password="wrong")
    assert (error.status, error.retry_may_help, error.attempts) == ("auth_failed", False, 1)
    assert error.error_code == "UnAuthorized"
    assert error.message == (
        "Test Clearinghouse: it did not accept the user name or password. "
        "Ask the manager to check the clearinghouse user name and password."
    )


def test_a_payer_slower_than_the_timeout_ends_in_timeout(simulator: RunningSimulator) -> None:
    # Given a member whose payer takes 5 s, and a 0.3 s timeout with two retries
    error = _fail(simulator, "SLOW0001")
    # Then all three tries timed out, and the desk is told a retry may help
    assert (error.status, error.retry_may_help, error.attempts) == ("timeout", True, 3)
    assert error.message == (
        "Test Clearinghouse: did not answer within 0.3 seconds (3 tries). "
        "Try again in a few minutes."
    )
    assert error.duration_ms < 5000  # gave up long before the payer would have answered


def test_without_retries_a_timeout_is_one_attempt(simulator: RunningSimulator) -> None:
    error = _fail(simulator, "SLOW0001", retries=0)
    assert (error.status, error.attempts) == ("timeout", 1)


def test_http_500_is_retried_then_reported_as_a_payer_error(simulator: RunningSimulator) -> None:
    error = _fail(simulator, "ERR5000001")
    assert (error.status, error.retry_may_help, error.attempts) == ("payer_error", True, 3)
    assert error.message == "Test Clearinghouse: it answered HTTP 500 (3 tries). Try again later."


def test_a_closed_port_is_unreachable(simulator: RunningSimulator) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _fail(simulator, "PIN0001", endpoint_url=f"http://127.0.0.1:{port}/core")
    assert (error.status, error.retry_may_help, error.attempts) == ("unreachable", True, 3)
    assert error.message.startswith("Test Clearinghouse: the connection was refused (3 tries).")


def test_a_hang_up_is_unreachable_and_retried(simulator: RunningSimulator) -> None:
    error = _fail(simulator, "DROP0001")
    assert (error.status, error.retry_may_help, error.attempts) == ("unreachable", True, 3)


def test_a_garbage_payload_is_a_bad_response_not_retried(simulator: RunningSimulator) -> None:
    error = _fail(simulator, "JUNK0001")
    assert (error.status, error.retry_may_help, error.attempts) == ("bad_response", False, 1)
    assert error.message == (
        "Test Clearinghouse: its answer is not X12. "
        "Try again later; if it keeps happening, call the clearinghouse."
    )


def test_an_unsupported_request_is_refused_with_the_envelope_code(
    simulator: RunningSimulator,
) -> None:
    clearinghouse = connect(settings_for(simulator))
    with pytest.raises(ClearinghouseError) as refused:
        clearinghouse.exchange_realtime(
            x12_270("PIN0001"), payload_type="X12_276_Request_005010X212"
        )
    assert (refused.value.status, refused.value.attempts) == ("refused", 1)
    assert refused.value.error_code == "PayloadTypeIllegal"


def test_plain_http_is_only_for_this_machine() -> None:
    with pytest.raises(ClearinghouseError) as refused:
        connect(settings_for_url("http://clearinghouse.example.test/core"))
    assert refused.value.status == "not_configured"
    assert refused.value.message == (
        "Clearinghouse 'Test Clearinghouse' must be reached over HTTPS. "
        "Ask the manager to fix its set-up."
    )


def settings_for_url(url: str) -> ClearinghouseSettings:
    return ClearinghouseSettings(
        kind="core_http",
        name="Test Clearinghouse",
        endpoint_url=url,
        username="u",
        sender_id="S",
        receiver_id="R",
    )


def test_a_malformed_270_is_answered_with_a_rejecting_999(simulator: RunningSimulator) -> None:
    broken = x12_270("PIN0001").replace("~HL*1**20*1~", "~HL*1**99*1~")
    answer = connect(settings_for(simulator)).exchange_realtime(
        broken, payload_type=PayloadType.X12_270_REQUEST
    )
    assert answer.payload_type == PayloadType.X12_999_RESPONSE
    [acknowledgment] = read_999(answer.payload)
    assert acknowledgment.accepted is False


def test_a_278_is_decided_in_real_time(simulator: RunningSimulator) -> None:
    clearinghouse = connect(settings_for(simulator))
    approved = clearinghouse.exchange_realtime(
        x12_278("PIN0001", "97110"), payload_type=PayloadType.X12_278_REQUEST
    )
    denied = clearinghouse.exchange_realtime(
        x12_278("PIN0001", "64483"), payload_type=PayloadType.X12_278_REQUEST
    )
    assert approved.payload_type == PayloadType.X12_278_RESPONSE
    [yes] = read_278_response(approved.payload)
    [no] = read_278_response(denied.payload)
    assert (yes.status, yes.certification_number[:3]) == ("approved", "TBC")
    assert (no.status, no.certification_number) == ("denied", "")


def test_a_batch_270_comes_back_as_a_999_and_271s(simulator: RunningSimulator) -> None:
    # Given a batch of two inquiries submitted in CORE batch mode
    clearinghouse = connect(settings_for(simulator, sender_id="BATCHSENDER"))
    batch = build_270_batch(
        [inquiry("PIN0001", trace="B1"), inquiry("GONE0001", trace="B2")], ids(5)
    )
    payload_id = clearinghouse.submit_batch(
        batch, payload_type=PayloadType.X12_270_REQUEST, name="morning"
    )
    # When the results are collected (twice)
    results = clearinghouse.collect_batch_results()
    again = clearinghouse.collect_batch_results()
    # Then the 999 accepts it, each inquiry has its 271, all tied to the submission, once only
    assert [r.payload_type for r in results] == [
        PayloadType.X12_999_RESPONSE,
        PayloadType.X12_271_RESPONSE,
        PayloadType.X12_271_RESPONSE,
    ]
    assert {r.payload_id for r in results} == {payload_id}
    assert [a.accepted for a in read_999(results[0].payload)] == [True]
    answers = [read_271(r.payload)[0] for r in results[1:]]
    assert [(a.trace_numbers, a.active) for a in answers] == [(("B1",), True), (("B2",), None)]
    assert [r.code for r in answers[1].rejections] == ["75"]
    assert again == []


def test_a_batch_submitted_twice_with_one_id_is_answered_once(
    simulator: RunningSimulator,
) -> None:
    from medoffice.integrations.clearinghouses.core_http import CoreHttpClearinghouse

    clearinghouse = CoreHttpClearinghouse(settings_for(simulator, sender_id="DUPSENDER"))
    request = clearinghouse._request("Batch", PayloadType.X12_270_REQUEST, x12_270("PIN0001"))
    clearinghouse._send(request, expected=(PayloadType.CONFIRM_RECEIPT,), x12=False)
    clearinghouse._send(request, expected=(PayloadType.CONFIRM_RECEIPT,), x12=False)
    results = clearinghouse.collect_batch_results()
    assert [r.payload_type for r in results] == [
        PayloadType.X12_999_RESPONSE,
        PayloadType.X12_271_RESPONSE,
    ]


def test_a_malformed_batch_gets_a_rejecting_999_and_no_271s(simulator: RunningSimulator) -> None:
    clearinghouse = connect(settings_for(simulator, sender_id="BADBATCH"))
    broken = x12_270("PIN0001").replace("~HL*1**20*1~", "~HL*1**99*1~")
    clearinghouse.submit_batch(broken, payload_type=PayloadType.X12_270_REQUEST, name="bad")
    results = clearinghouse.collect_batch_results()
    assert [r.payload_type for r in results] == [PayloadType.X12_999_RESPONSE]
    assert [a.accepted for a in read_999(results[0].payload)] == [False]


def test_a_new_kind_plugs_in_through_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    from medoffice.integrations.clearinghouses import base, kinds, register
    from medoffice.integrations.clearinghouses.drop import DropClearinghouse
    from medoffice.integrations.clearinghouses.folder_drop import build as build_folder

    def build(settings: ClearinghouseSettings) -> DropClearinghouse:
        return build_folder(settings)

    monkeypatch.setattr(base, "_FACTORIES", dict(base._FACTORIES))  # leave no kind behind
    register("acme_folder", build)
    settings = ClearinghouseSettings(kind="acme_folder", name="Acme", batch_folder="acme-drop")
    assert isinstance(connect(settings), DropClearinghouse)
    assert kinds() == ("acme_folder", "core_http", "folder", "sftp")
