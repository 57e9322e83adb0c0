"""The merge pages: who may use them, merging and undoing through them, what is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.patients.merging import merge_patients
from medoffice.patients.models import Patient, PatientMerge, PatientPhone
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

BORN = dt.date(1984, 6, 2)
REASON = "Same person: registered under her maiden name"


@pytest.fixture
def manager(client):
    client.force_login(make_user("manager", roles=(Role.MANAGER,)))
    return client


@pytest.fixture
def front_desk(client):
    client.force_login(make_user("desk", roles=(Role.FRONT_DESK,)))
    return client


@pytest.fixture
def pair() -> tuple[Patient, Patient]:
    email = "maria@example.test"  # the same e-mail under both names
    kept = make_patient(last_name="Smith", first_name="Maria", birth_date=BORN, email=email)
    other = make_patient(
        last_name="Lopez",
        first_name="Maria",
        birth_date=BORN,
        email=email,
        phones=[{"kind": "home", "number": "(555) 201-2000"}],
    )
    return kept, other


def merge_url(kept: Patient, other: Patient) -> str:
    return reverse("patients:merge", args=[kept.pk, other.pk])


def test_front_desk_is_refused_every_merge_page_and_nothing_changes(front_desk, pair):
    kept, other = pair
    merge = merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    third = make_patient()
    audits = AuditEntry.objects.count()
    pages = [
        reverse("patients:duplicates"),
        reverse("patients:merge_pick", args=[third.pk]),
        merge_url(kept, third),
        reverse("patients:merge_history"),
    ]
    for page in pages:
        assert front_desk.get(page).status_code == 403, page
    assert front_desk.post(merge_url(kept, third), {"reason": REASON}).status_code == 403
    undo = reverse("patients:merge_undo", args=[merge.pk])
    assert front_desk.post(undo, {"reason": REASON}).status_code == 403
    assert Patient.objects.get(pk=third.pk).status == "active"
    assert PatientMerge.objects.get().active is True
    assert AuditEntry.objects.count() == audits


def test_compare_page_shows_both_records_and_audits_the_reads(manager, pair):
    kept, other = pair
    response = manager.get(merge_url(kept, other))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Smith, Maria" in page
    assert "Lopez, Maria" in page
    assert "Similar first name, different last name (a name change?)" in page
    assert "Swap which is kept" in page
    assert reverse("patients:merge", args=[other.pk, kept.pk]) in page
    lines = {line.label: line for line in response.context["lines"]}
    assert (lines["MRN"].kept, lines["MRN"].other) == (kept.mrn, other.mrn)
    assert lines["Date of birth"].differs is False
    moves = {m.key: m.count for m in response.context["moves"]}
    assert moves["patients.patientphone.patient"] == 1
    reads = AuditEntry.objects.filter(action="read", detail__what="merge-compare")
    assert sorted(reads.values_list("patient_id", flat=True)) == sorted([kept.pk, other.pk])


def test_manager_merges_through_the_page(manager, pair):
    kept, other = pair
    response = manager.post(merge_url(kept, other), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[kept.pk])
    other.refresh_from_db()
    assert (other.status, other.merged_into_id) == ("merged", kept.pk)
    assert PatientPhone.objects.get(number="+15552012000").patient_id == kept.pk
    merge = PatientMerge.objects.get()
    assert merge.merged_by.username == "manager"
    entries = AuditEntry.objects.filter(action="merge")
    assert sorted(entries.values_list("patient_id", flat=True)) == sorted([kept.pk, other.pk])
    assert {e.actor_username for e in entries} == {"manager"}
    toast = [str(m) for m in response.wsgi_request._messages]
    assert toast == [
        f"MRN {other.mrn} was merged into this record (MRN {kept.mrn}). "
        "You can undo it from the merge history."
    ]


def test_merge_without_a_reason_is_refused_and_nothing_changes(manager, pair):
    kept, other = pair
    response = manager.post(merge_url(kept, other), {"reason": "dup"})
    assert response.status_code == 200
    assert "Ensure this value has at least 10 characters" in response.content.decode()
    assert Patient.objects.get(pk=other.pk).status == "active"
    assert PatientMerge.objects.count() == 0


def test_merging_an_already_merged_record_shows_why(manager, pair):
    kept, other = pair
    merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    third = make_patient()
    page = manager.get(merge_url(third, other)).content.decode()
    assert f"The record to merge (MRN {other.mrn}) was already merged" in page
    assert f"MRN {other.mrn} now lives in" in page
    assert reverse("patients:detail", args=[kept.pk]) in page
    assert "Merge MRN" not in page
    response = manager.post(merge_url(third, other), {"reason": REASON})
    assert response.status_code == 200
    assert PatientMerge.objects.count() == 1


def test_history_lists_merges_newest_first_and_undo_works(manager, pair):
    # given two merges
    kept, other = pair
    older = merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    newer = merge_patients(
        survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
    )
    # when the manager opens the history
    response = manager.get(reverse("patients:merge_history"))
    # then
    assert [m.pk for m in response.context["page"]] == [newer.pk, older.pk]
    assert f"Undo merge #{older.pk}" in response.content.decode()
    listed = AuditEntry.objects.get(action="search", detail__source="merge-history")
    assert len(listed.detail["shown"]) == 4
    # when undoing without a reason: refused, nothing changes
    undo = reverse("patients:merge_undo", args=[older.pk])
    manager.post(undo, {"reason": "oops"})
    assert PatientMerge.objects.get(pk=older.pk).active is True
    # when undoing with a reason
    response = manager.post(undo, {"reason": "Two different people after all"})
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:merge_history") + f"#merge-{older.pk}"
    older.refresh_from_db()
    assert (older.active, older.undone_by.username) == (False, "manager")
    assert Patient.objects.get(pk=other.pk).status == "active"
    assert AuditEntry.objects.filter(action="unmerge").count() == 2
    assert "Undone" in manager.get(reverse("patients:merge_history")).content.decode()


def test_history_for_one_patient(manager, pair):
    kept, other = pair
    mine = merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    merge_patients(
        survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
    )
    response = manager.get(reverse("patients:merge_history"), {"patient": other.pk})
    assert [m.pk for m in response.context["page"]] == [mine.pk]


def test_history_query_count_does_not_grow(manager, django_assert_max_num_queries):
    merge_patients(
        survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
    )
    with CaptureQueriesContext(connection) as one:
        manager.get(reverse("patients:merge_history"))
    for _ in range(4):
        merge_patients(
            survivor=make_patient(), duplicate=make_patient(), acting_user=None, reason=REASON
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert manager.get(reverse("patients:merge_history")).status_code == 200


def test_worklist_lists_pairs_with_a_compare_link(manager, pair, django_assert_max_num_queries):
    kept, other = pair
    with CaptureQueriesContext(connection) as one:
        response = manager.get(reverse("patients:duplicates"))
    page = response.content.decode()
    assert "Similar first name, different last name (a name change?)" in page
    assert merge_url(kept, other) in page
    shown = AuditEntry.objects.get(action="search", detail__source="duplicates-worklist")
    assert sorted(shown.detail["shown"]) == sorted([kept.pk, other.pk])
    # more pairs, same number of queries
    for n in range(3):
        born = dt.date(1990, 1, 1) + dt.timedelta(days=n)
        make_patient(last_name="Baker", first_name="Tom", birth_date=born)
        make_patient(last_name="Baker", first_name="Thomas", birth_date=born)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = manager.get(reverse("patients:duplicates"))
    assert response.context["worklist"].total == 4


def test_pick_page_suggests_likely_duplicates(manager, pair):
    kept, other = pair
    page = manager.get(reverse("patients:merge_pick", args=[kept.pk])).content.decode()
    assert merge_url(kept, other) in page
    assert merge_url(other, kept) in page
    assert AuditEntry.objects.filter(action="read", detail__what="merge-pick").count() == 1


def test_pick_search_is_posted_and_lists_other_records(manager, pair):
    kept, other = pair
    response = manager.post(
        reverse("patients:merge_pick", args=[kept.pk]), {"q": "lopez"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "patients/_merge_pick_results.html"
    assert [row.patient.pk for row in response.context["hits"]] == [other.pk]
    searched = AuditEntry.objects.get(action="search", detail__source="merge-pick")
    assert searched.detail["shown"] == [other.pk]
    assert "lopez" not in str(searched.detail)


def test_merge_actions_on_the_record_page(manager, pair):
    kept, other = pair
    page = manager.get(reverse("patients:detail", args=[kept.pk])).content.decode()
    assert reverse("patients:merge_pick", args=[kept.pk]) in page
    merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    page = manager.get(reverse("patients:detail", args=[other.pk])).content.decode()
    assert "open the kept record" in page
    assert f"{reverse('patients:merge_history')}?patient={other.pk}" in page


def test_front_desk_sees_where_a_record_went_but_no_merge_actions(front_desk, pair):
    kept, other = pair
    page = front_desk.get(reverse("patients:detail", args=[kept.pk])).content.decode()
    assert reverse("patients:merge_pick", args=[kept.pk]) not in page
    merge_patients(survivor=kept, duplicate=other, acting_user=None, reason=REASON)
    page = front_desk.get(reverse("patients:detail", args=[other.pk])).content.decode()
    assert "open the kept record" in page
    assert reverse("patients:merge_history") not in page
