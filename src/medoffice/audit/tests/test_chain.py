from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from medoffice.audit import chain, services
from medoffice.audit.choices import AuditAction
from medoffice.audit.models import AppendOnlyError, AuditEntry
from medoffice.audit.tests.factories import StaffUserFactory
from medoffice.audit.tests.helpers import TABLE, columns, tamper

pytestmark = pytest.mark.django_db


def _three_entries() -> list[AuditEntry]:
    user = StaffUserFactory(username="frontdesk1")
    return [
        services.record(AuditAction.READ, actor=user, target_type="patients.patient", target_id=7,
                        patient_id=7),
        services.record(AuditAction.UPDATE, actor=user, target_type="patients.patient",
                        target_id=7, patient_id=7, fields=["phone", "address_line1"]),
        services.record(AuditAction.EMERGENCY_ACCESS, actor=user, patient_id=8,
                        detail={"reason_given": True}),
    ]  # fmt: skip


def test_record_appends_chained_entries() -> None:
    first, second, third = _three_entries()

    assert [first.id, second.id, third.id] == [1, 2, 3]
    assert first.prev_hash == chain.GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    stored = AuditEntry.objects.get(pk=2)
    assert stored.fields == ["address_line1", "phone"]
    assert stored.actor_username == "frontdesk1"
    assert stored.target_id == "7"
    assert stored.emergency is False
    assert AuditEntry.objects.get(pk=3).emergency is True


def test_verify_passes_on_an_intact_chain() -> None:
    _three_entries()

    assert services.verify_chain() == services.VerifyResult(ok=True, checked=3)


def test_verify_on_an_empty_trail() -> None:
    assert services.verify_chain() == services.VerifyResult(ok=True, checked=0)


def test_verify_catches_an_altered_row() -> None:
    _three_entries()
    tamper("UPDATE {t} SET target_id = %s WHERE id = %s", ["999", 2])

    result = services.verify_chain()

    assert (result.ok, result.first_bad_id, result.checked) == (False, 2, 1)
    assert result.problem.startswith("altered")


def test_verify_catches_a_removed_row() -> None:
    _three_entries()
    tamper("DELETE FROM {t} WHERE id = %s", [2])

    result = services.verify_chain()

    assert (result.ok, result.first_bad_id) == (False, 3)
    assert result.problem.startswith("broken link")


def test_verify_catches_an_inserted_row() -> None:
    _three_entries()
    cols = ", ".join(c for c in columns() if c not in ("id", "entry_hash"))
    forged = (
        f"INSERT INTO {{t}} (id, entry_hash, {cols}) SELECT 0, %s, {cols} FROM {{t}} WHERE id = 1"
    )
    tamper(forged, ["f" * 64])

    result = services.verify_chain()

    assert (result.ok, result.first_bad_id) == (False, 0)
    assert result.problem.startswith("altered")


def test_verify_catches_reordered_rows() -> None:
    _three_entries()
    tamper("UPDATE {t} SET id = -1 WHERE id = 2")
    tamper("UPDATE {t} SET id = 2 WHERE id = 3")
    tamper("UPDATE {t} SET id = 3 WHERE id = -1")

    result = services.verify_chain()

    assert (result.ok, result.first_bad_id) == (False, 2)


def test_verify_catches_a_cut_tail_through_the_checkpoint() -> None:
    _three_entries()
    services.write_checkpoint()
    tamper("DELETE FROM {t} WHERE id = %s", [3])

    result = services.verify_chain()

    assert (result.ok, result.first_bad_id, result.checked) == (False, 3, 2)
    assert result.problem.startswith("tail cut")


def test_checkpoint_is_written_after_commit(django_capture_on_commit_callbacks, settings) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.record(AuditAction.SECURITY, detail={"setting": "mfa"})

    data = chain.read_checkpoint_file()
    assert (data["last_id"], data["last_hash"], data["count"]) == (entry.id, entry.entry_hash, 1)


def test_rollback_leaves_no_entry() -> None:
    def failing_service() -> None:
        with transaction.atomic():
            services.record(AuditAction.CREATE, target_type="practice.location", target_id=1)
            raise RuntimeError("the service failed")

    with pytest.raises(RuntimeError):
        failing_service()

    assert AuditEntry.objects.count() == 0


def test_database_refuses_update_and_delete() -> None:
    (first, *_rest) = _three_entries()

    for sql in (f"UPDATE {TABLE} SET target_id = 'x' WHERE id = 1", f"DELETE FROM {TABLE}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    assert AuditEntry.objects.count() == 3
    assert AuditEntry.objects.get(pk=1).target_id == first.target_id
    assert services.verify_chain().ok is True


def test_orm_refuses_update_and_delete() -> None:
    entry = _three_entries()[0]

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=1).update(target_id="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 3


def test_verify_command_reports_intact_chain(capsys) -> None:
    _three_entries()

    call_command("audit", "verify")

    assert "Audit chain intact: 3 entries checked." in capsys.readouterr().out


def test_verify_command_fails_naming_the_bad_entry() -> None:
    _three_entries()
    tamper("UPDATE {t} SET outcome = %s WHERE id = %s", ["failure", 1])

    with pytest.raises(CommandError, match="broken at entry 1: altered") as caught:
        call_command("audit", "verify")
    assert caught.value.returncode == 1


def test_checkpoint_command_writes_the_head(capsys, settings) -> None:
    entries = _three_entries()

    call_command("audit", "checkpoint")

    data = chain.read_checkpoint_file()
    assert (data["last_id"], data["last_hash"]) == (3, entries[2].entry_hash)
    assert "last entry 3, 3 entries" in capsys.readouterr().out


def test_checkpoint_keeps_the_newest_intact_head_when_a_slot_is_torn(settings) -> None:
    # given heads 7 and 8 written one after the other (one slot each)
    chain.write_checkpoint_file({"last_id": 7, "last_hash": "a" * 64, "count": 7})
    chain.write_checkpoint_file({"last_id": 8, "last_hash": "b" * 64, "count": 8})
    assert chain.read_checkpoint_file()["last_id"] == 8
    # when the write of head 8 was torn (a crash in the middle of its slot)
    path = settings.MEDOFFICE_AUDIT_CHECKPOINT_FILE
    raw = bytearray(path.read_bytes())
    raw[10:20] = b"XXXXXXXXXX"
    path.write_bytes(bytes(raw))
    # then the previous head is read: it lags, so it can never raise a false alarm
    assert chain.read_checkpoint_file()["last_id"] == 7


def test_an_unreadable_checkpoint_counts_as_none(settings) -> None:
    settings.MEDOFFICE_AUDIT_CHECKPOINT_FILE.write_bytes(b"garbage")
    assert chain.read_checkpoint_file() is None
