"""Transactional tests flush every table at teardown; the append-only triggers must let that pass
(through the maintenance flag set by medoffice.audit.testing) while refusing ordinary changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from medoffice.audit import chain, services
from medoffice.audit.choices import AuditAction
from medoffice.audit.models import AuditEntry
from medoffice.audit.tests.helpers import TABLE


@pytest.mark.django_db(transaction=True)
def test_committed_entries_are_refused_changes_and_checkpointed(settings) -> None:
    entry = services.record(AuditAction.SECURITY, detail={"setting": "lockout"})

    for sql in (f"UPDATE {TABLE} SET outcome = 'failure'", f"DELETE FROM {TABLE}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    assert list(AuditEntry.objects.values_list("id", "outcome")) == [(entry.id, "success")]
    data = chain.read_checkpoint_file()
    assert (data["last_id"], data["count"]) == (entry.id, 1)


@pytest.mark.django_db(transaction=True)
def test_previous_flush_emptied_the_trail_and_left_triggers_armed() -> None:
    assert AuditEntry.objects.count() == 0
    services.record(AuditAction.SECURITY)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")

    assert AuditEntry.objects.count() == 1
