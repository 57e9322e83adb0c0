"""Merging duplicate records and undoing merges: what moves, what is refused, what comes back."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from medoffice.audit.models import AuditEntry
from medoffice.patients import merge_registry, services
from medoffice.patients.errors import MergeRefused
from medoffice.patients.merging import kept_record_of, merge_patients, rows_to_move, undo_merge
from medoffice.patients.models import (
    EmergencyContact,
    Patient,
    PatientAddress,
    PatientAlert,
    PatientMerge,
    PatientPhone,
    PatientSearchKey,
    PreviousName,
)
from medoffice.patients.search import search_patients
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

REASON = "Same person: registered under her maiden name in 2023"
BORN = dt.date(1984, 6, 2)
ADDRESS = {"line1": "12 Elm St", "city": "Springfield", "state": "IL", "zip_code": "62701"}
CONTACT = {"name": "Sam Sample", "relationship": "spouse", "phone": "(555) 201-4000"}


def snapshot() -> dict[str, list[Any]]:
    """Every row of every registered model (merge history aside: it stays by design)."""
    state: dict[str, list[Any]] = {}
    for label in sorted({r.model_label.lower() for r in merge_registry.references()}):
        model = apps.get_model(label)
        if model is PatientMerge:
            continue
        skip = {"updated_at", "id"} if model is PatientSearchKey else {"updated_at"}
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        order = ("patient_id", "key") if model is PatientSearchKey else ("pk",)
        state[label] = list(model.objects.order_by(*order).values_list(*fields))
    return state


def keys_of(patient: Patient) -> set[str]:
    return set(PatientSearchKey.objects.filter(patient=patient).values_list("key", flat=True))


@pytest.fixture
def pair() -> tuple[Patient, Patient]:
    """Maria Smith (kept) and the record made two years ago under her maiden name, Lopez."""
    survivor = make_patient(
        last_name="Smith",
        first_name="Maria",
        birth_date=BORN,
        phones=[{"kind": "mobile", "number": "(555) 201-1000"}],
    )
    duplicate = make_patient(
        last_name="Lopez",
        first_name="Maria",
        middle_name="Elena",
        birth_date=BORN,
        phones=[
            {"kind": "home", "number": "(555) 201-2000", "is_primary": True},
            {"kind": "work", "number": "(555) 201-3000"},
        ],
        addresses=[ADDRESS],
        previous_names=[{"kind": "previous", "last_name": "Garcia"}],
        emergency_contacts=[CONTACT],
    )
    services.add_alert(duplicate, acting_user=None, kind="collections", message="At agency")
    return survivor, duplicate


def test_merge_moves_everything_to_the_kept_record(pair):
    # given a child whose guarantor is the duplicate
    survivor, duplicate = pair
    child = make_patient(
        last_name="Lopez", first_name="Ana", guarantor_relationship="mother", guarantor=duplicate
    )
    phones = sorted(PatientPhone.objects.filter(patient=duplicate).values_list("pk", flat=True))
    # when
    merge = merge_patients(
        survivor=survivor, duplicate=duplicate, acting_user=None, reason=f"  {REASON}  "
    )
    # then every row that pointed at the duplicate now points at the kept record
    assert PatientPhone.objects.filter(patient=duplicate).count() == 0
    assert PatientPhone.objects.filter(patient=survivor).count() == 3
    assert PatientAddress.objects.get().patient_id == survivor.pk
    assert EmergencyContact.objects.get().patient_id == survivor.pk
    assert PatientAlert.objects.get().patient_id == survivor.pk
    assert Patient.objects.get(pk=child.pk).guarantor_id == survivor.pk
    names = PreviousName.objects.filter(patient=survivor).order_by("pk")
    assert [(n.kind, n.last_name, n.first_name, n.middle_name) for n in names] == [
        ("previous", "Garcia", "", ""),
        ("alias", "Lopez", "Maria", "Elena"),
    ]
    # and the history names exactly what moved and what was added
    assert merge.reason == REASON
    assert merge.moved["patients.patientphone.patient"] == phones
    assert merge.moved["patients.patient.guarantor"] == [child.pk]
    assert merge.created == {"patients.previousname": [names[1].pk]}
    assert merge.duplicate_state["status"] == "active"


def test_merged_record_is_hidden_and_its_names_find_the_kept_record(pair):
    survivor, duplicate = pair
    merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", survivor.pk)
    assert keys_of(duplicate) == set()
    assert {"smith maria", "lopez maria", "garcia maria"} <= keys_of(survivor)
    assert kept_record_of(duplicate) == survivor
    # and the desk's search for the old name finds only the kept record
    assert [hit.patient.pk for hit in search_patients("lopez maria").hits] == [survivor.pk]


def test_merge_is_audited_for_both_records_without_values(pair):
    survivor, duplicate = pair
    merge = merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    entries = AuditEntry.objects.filter(action="merge").order_by("id")
    assert [e.patient_id for e in entries] == [survivor.pk, duplicate.pk]
    detail = entries[0].detail
    assert detail["merge"] == merge.pk
    assert (detail["survivor"], detail["duplicate"]) == (survivor.pk, duplicate.pk)
    assert detail["moved"]["patients.patientphone.patient"] == 2
    assert "Lopez" not in str(detail)
    assert "maiden" not in str(detail)


def test_moved_primary_rows_are_demoted_and_restored_on_undo(pair):
    survivor, duplicate = pair
    own = PatientPhone.objects.get(patient=survivor)
    theirs = PatientPhone.objects.get(patient=duplicate, is_primary=True)
    merge = merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    primaries = PatientPhone.objects.filter(patient=survivor, is_primary=True)
    assert list(primaries.values_list("pk", flat=True)) == [own.pk]
    undo_merge(merge, acting_user=None, reason="Two different people after all")
    assert PatientPhone.objects.get(pk=theirs.pk).is_primary is True
    assert PatientPhone.objects.get(pk=own.pk).is_primary is True


def test_undo_restores_exactly_the_state_before_the_merge(pair):
    # given
    survivor, duplicate = pair
    make_patient(guarantor_relationship="child", guarantor=duplicate)
    before = snapshot()
    merge = merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    assert snapshot() != before
    # when
    undone = undo_merge(merge, acting_user=None, reason="Two different people after all")
    # then
    assert snapshot() == before
    assert undone.active is False
    assert undone.undo_reason == "Two different people after all"
    entries = AuditEntry.objects.filter(action="unmerge").order_by("id")
    assert [e.patient_id for e in entries] == [survivor.pk, duplicate.pk]
    assert entries[0].detail["returned"]["patients.patientphone.patient"] == 2
    assert entries[0].detail["gone"] == {}


def test_undo_returns_what_is_left_when_the_kept_record_changed_since(pair):
    # given the desk deleted one moved phone and made another moved one primary
    survivor, duplicate = pair
    merge = merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    moved = merge.moved["patients.patientphone.patient"]
    PatientPhone.objects.filter(pk=moved[1]).delete()
    PatientPhone.objects.filter(patient=survivor).update(is_primary=False)
    PatientPhone.objects.filter(pk=moved[0]).update(is_primary=True)
    # when
    undo_merge(merge, acting_user=None, reason="Two different people after all")
    # then the remaining phone goes back and the kept record gets a primary phone again
    assert list(PatientPhone.objects.filter(patient=duplicate).values_list("pk", flat=True)) == [
        moved[0]
    ]
    assert PatientPhone.objects.get(patient=survivor).is_primary is True
    entry = AuditEntry.objects.filter(action="unmerge").first()
    assert entry.detail["gone"] == {"patients.patientphone.patient": 1}


def test_no_alias_when_the_names_are_the_same():
    survivor = make_patient(last_name="Nguyen", first_name="Linh", birth_date=BORN)
    duplicate = make_patient(last_name="NGUYEN", first_name="Lính", birth_date=BORN)
    merge = merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    assert merge.created == {}
    assert PreviousName.objects.count() == 0


def _refusal(survivor: Patient, duplicate: Patient, reason: str) -> str:
    before = snapshot()
    merges, audits = PatientMerge.objects.count(), AuditEntry.objects.count()
    with pytest.raises(MergeRefused) as caught:
        merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=reason)
    assert snapshot() == before
    assert (PatientMerge.objects.count(), AuditEntry.objects.count()) == (merges, audits)
    return str(caught.value)


def test_refuses_a_short_reason_and_changes_nothing(pair):
    survivor, duplicate = pair
    assert "at least 10 characters" in _refusal(survivor, duplicate, "  dup     ")


def test_refuses_merging_a_record_into_itself(pair):
    survivor, _ = pair
    assert "two different records" in _refusal(survivor, survivor, REASON)


def test_refuses_records_already_merged(pair):
    survivor, duplicate = pair
    third = make_patient()
    merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    message = _refusal(third, duplicate, REASON)
    assert f"record to merge (MRN {duplicate.mrn}) was already merged" in message
    message = _refusal(duplicate, third, REASON)
    assert f"record to keep (MRN {duplicate.mrn}) was already merged" in message


def test_refuses_when_the_kept_record_names_the_duplicate_as_guarantor(pair):
    _, duplicate = pair
    child = make_patient(guarantor_relationship="child", guarantor=duplicate)
    assert "change that first" in _refusal(child, duplicate, REASON)


def test_chains_are_followed_and_undone_newest_first():
    # given A merged into B, then B merged into C
    a, b, c = make_patient(), make_patient(), make_patient()
    first = merge_patients(survivor=b, duplicate=a, acting_user=None, reason=REASON)
    second = merge_patients(survivor=c, duplicate=b, acting_user=None, reason=REASON)
    assert kept_record_of(Patient.objects.get(pk=a.pk)) == c
    assert Patient.objects.get(pk=a.pk).merged_into_id == b.pk
    # when undoing the first merge while B is merged: refused, nothing changes
    before = snapshot()
    with pytest.raises(MergeRefused) as caught:
        undo_merge(first, acting_user=None, reason="Wrong records picked")
    assert "undo that merge first" in str(caught.value)
    assert f"merge #{second.pk}" in str(caught.value)
    assert snapshot() == before
    # then undoing newest first works
    undo_merge(second, acting_user=None, reason="Wrong records picked")
    undo_merge(first, acting_user=None, reason="Wrong records picked")
    statuses = Patient.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("status", flat=True)
    assert set(statuses) == {"active"}
    assert keys_of(a)
    assert keys_of(b)


def test_undo_is_refused_twice_and_when_the_duplicate_changed(pair):
    survivor, duplicate = pair
    merge = merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
    Patient.objects.filter(pk=duplicate.pk).update(status="inactive", merged_into=None)
    with pytest.raises(MergeRefused) as caught:
        undo_merge(merge, acting_user=None, reason="Two different people after all")
    assert "no longer marked as merged" in str(caught.value)
    assert PatientPhone.objects.filter(patient=duplicate).count() == 0
    Patient.objects.filter(pk=duplicate.pk).update(status="merged", merged_into=survivor)
    undo_merge(merge, acting_user=None, reason="Two different people after all")
    with pytest.raises(MergeRefused, match="already undone"):
        undo_merge(merge, acting_user=None, reason="Two different people after all")
    assert AuditEntry.objects.filter(action="unmerge").count() == 2


def test_rows_to_move_counts_each_reference(pair):
    _, duplicate = pair
    counts = {row.key: (row.label, row.count) for row in rows_to_move(duplicate)}
    assert counts["patients.patientphone.patient"] == ("Patient phones", 2)
    assert counts["patients.patient.guarantor"] == ("Patients (as guarantor)", 0)
    assert "patients.patientsearchkey.patient" not in counts


@pytest.mark.django_db(transaction=True)
def test_two_managers_merging_the_same_pair_at_once_merge_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite lets one writer in at a time anyway")
    # given two managers, each keeping a different one of the same two records
    first, second = make_patient(), make_patient()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(survivor: Patient, duplicate: Patient) -> None:
        try:
            start.wait()
            merge_patients(survivor=survivor, duplicate=duplicate, acting_user=None, reason=REASON)
            outcomes.append("merged")
        except MergeRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    # when both press "merge" together (locks taken in id order: no deadlock)
    threads = [
        threading.Thread(target=merge, args=(first, second)),
        threading.Thread(target=merge, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then exactly one merge happened
    assert sorted(outcomes) == ["merged", "refused"]
    assert PatientMerge.objects.count() == 1
    assert Patient.objects.filter(status="merged").count() == 1
