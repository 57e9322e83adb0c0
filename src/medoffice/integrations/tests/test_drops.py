"""Batch drops: the folder kind on disk, and the SFTP kind over a stand-in transport."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from medoffice.integrations.clearinghouses import (
    ClearinghouseError,
    ClearinghouseSettings,
    Exchange,
    PayloadType,
    connect,
    sftp_drop,
)
from medoffice.integrations.clearinghouses.drop import FileTransport, sniff_payload_type
from medoffice.integrations.clearinghouses.folder_drop import LocalTransport

ISA = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*OFFICE         "
    "*260301*1200*^*00501*000000007*0*P*:~"
)
RESULT_271 = ISA + "GS*HB*PAYER*OFFICE*20260301*1200*7*X*005010X279A1~ST*271*0007*005010X279A1~"
RESULT_999 = ISA + "GS*FA*PAYER*OFFICE*20260301*1200*8*X*005010X231A1~ST*999*0008*005010X231A1~"


def _folder(root: Path) -> ClearinghouseSettings:
    return ClearinghouseSettings(kind="folder", name="Drop Co", batch_folder=str(root))


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_batch_is_written_whole_into_outbound(tmp_path: Path) -> None:
    # Given a folder clearinghouse
    clearinghouse = connect(_folder(tmp_path))
    # When a batch is submitted
    payload_id = clearinghouse.submit_batch(
        RESULT_271, payload_type=PayloadType.X12_270_REQUEST, name="eligibility 2026/03/01"
    )
    # Then exactly one complete file is in outbound/, named after the batch and its id
    assert _names(tmp_path / "outbound") == [f"eligibility-2026-03-01.{payload_id}.x12"]
    written = tmp_path / "outbound" / f"eligibility-2026-03-01.{payload_id}.x12"
    assert written.read_text() == RESULT_271


def test_results_are_read_once_and_moved_to_processed(tmp_path: Path) -> None:
    clearinghouse = connect(_folder(tmp_path))
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    (inbound / "a-271.x12").write_text(RESULT_271)
    (inbound / "b-999.x12").write_text(RESULT_999)
    (inbound / ".incoming.tmp").write_text("half a file")
    # When results are collected twice
    first = clearinghouse.collect_batch_results()
    second = clearinghouse.collect_batch_results()
    # Then both came back once, typed by their transaction, and only the partial file remains
    assert [(r.payload_id, r.payload_type, r.payload) for r in first] == [
        ("a-271", PayloadType.X12_271_RESPONSE, RESULT_271),
        ("b-999", PayloadType.X12_999_RESPONSE, RESULT_999),
    ]
    assert second == []
    assert _names(inbound) == [".incoming.tmp"]
    processed = _names(tmp_path / "processed")
    assert [name.split("-", 1)[1] for name in processed] == ["a-271.x12", "b-999.x12"]


def test_a_result_whose_handling_fails_stays_in_inbound(tmp_path: Path) -> None:
    # Given two results waiting, and a handler that fails on the second
    clearinghouse = connect(_folder(tmp_path))
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    (inbound / "a.x12").write_text(RESULT_271)
    (inbound / "b.x12").write_text(RESULT_999)
    handled: list[str] = []

    def handle(result: Exchange) -> None:
        if result.payload_id == "b":
            raise RuntimeError("database went away")
        handled.append(result.payload_id)

    # When collection raises part-way
    with pytest.raises(RuntimeError):
        clearinghouse.collect_batch_results(handle=handle)
    # Then the handled one is processed, the failed one is still waiting, and comes back next time
    assert handled == ["a"]
    assert _names(inbound) == ["b.x12"]
    again = clearinghouse.collect_batch_results(handle=lambda result: None)
    assert [r.payload_id for r in again] == ["b"]
    assert _names(inbound) == []


def test_an_unreadable_result_is_reported_and_set_aside(tmp_path: Path) -> None:
    clearinghouse = connect(_folder(tmp_path))
    (tmp_path / "inbound").mkdir()
    (tmp_path / "inbound" / "junk.bin").write_bytes(b"\xff\xfe not text")
    [result] = clearinghouse.collect_batch_results()
    assert result.error_code == "bad_response"
    assert result.error_message == (
        "The result file 'junk.bin' is not text; it was set aside in processed/."
    )
    assert result.payload == ""
    assert len(_names(tmp_path / "processed")) == 1


def test_a_folder_clearinghouse_cannot_answer_in_real_time(tmp_path: Path) -> None:
    with pytest.raises(ClearinghouseError) as refused:
        connect(_folder(tmp_path)).exchange_realtime(RESULT_271, payload_type="X")
    assert refused.value.status == "not_configured"
    assert refused.value.retry_may_help is False


def test_a_folder_that_cannot_be_written_is_unreachable(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    with pytest.raises(ClearinghouseError) as failed:
        connect(_folder(blocker)).submit_batch(RESULT_271, payload_type="X", name="b")
    assert failed.value.status == "unreachable"
    assert failed.value.retry_may_help is True


def test_missing_settings_are_not_configured() -> None:
    for settings in (
        ClearinghouseSettings(kind="folder", name="No folder"),
        ClearinghouseSettings(kind="sftp", name="No host"),
        ClearinghouseSettings(kind="carrier-pigeon", name="Odd"),
    ):
        with pytest.raises(ClearinghouseError) as refused:
            connect(settings)
        assert refused.value.status == "not_configured"


def test_sftp_without_paramiko_says_what_to_install() -> None:
    if sftp_drop._load_paramiko() is not None:
        pytest.skip("paramiko is installed here")
    settings = ClearinghouseSettings(
        kind="sftp", name="Sftp Co", sftp_host="sftp.example.test", sftp_username="office"
    )
    with pytest.raises(ClearinghouseError) as refused:
        connect(settings)
    assert refused.value.status == "not_configured"
    assert "paramiko" in refused.value.message


def test_the_sftp_drop_runs_the_same_protocol_over_its_transport(tmp_path: Path) -> None:
    # Given the SFTP kind with the local folder transport standing in for the SSH session
    opened: list[str] = []

    @contextlib.contextmanager
    def opener() -> Iterator[FileTransport]:
        opened.append("session")
        yield LocalTransport(tmp_path)

    settings = ClearinghouseSettings(kind="sftp", name="Sftp Co", sftp_path="/drop")
    clearinghouse = sftp_drop.build(settings, opener=opener)
    # When a batch goes out and a result comes back
    payload_id = clearinghouse.submit_batch(RESULT_271, payload_type="X", name="batch")
    (tmp_path / "inbound" / "r.x12").parent.mkdir(exist_ok=True)
    (tmp_path / "inbound" / "r.x12").write_text(RESULT_999)
    results = clearinghouse.collect_batch_results()
    # Then each operation used one session, and the files moved as for a folder
    assert opened == ["session", "session"]
    assert _names(tmp_path / "outbound") == [f"batch.{payload_id}.x12"]
    assert [r.payload_type for r in results] == [PayloadType.X12_999_RESPONSE]


def test_sniffing_finds_the_transaction_whatever_the_separators() -> None:
    odd = RESULT_271.replace("*", "|").replace("~", "\n")
    assert sniff_payload_type(odd) == PayloadType.X12_271_RESPONSE
    assert sniff_payload_type("hello") == ""
