"""Coverage services: add, change, end, remove, reorder and card pictures, with their audit
entries, and refusals that leave nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medoffice.audit.models import AuditEntry
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.insurance.choices import CoverageStatus, SubscriberRelationship
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import Coverage, CoverageCard
from medoffice.insurance.services import coverages as services
from medoffice.insurance.tests.factories import make_coverage, make_payer, make_plan
from medoffice.insurance.tests.factories_more import (
    VALID_MBI,
    VALID_MBI_DASHED,
    desk_user,
    medicare_plan,
    picture_data_url,
    picture_upload,
)
from medoffice.patients.models import Patient
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)


@pytest.fixture
def desk():
    return desk_user()


def _entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def _add(patient, plan, desk, **fields):
    fields.setdefault("member_id", "ACM123456789")
    fields.setdefault("effective_date", START)
    return services.add_coverage(patient, acting_user=desk, plan=plan, **fields)


# ---- add ----------------------------------------------------------------------------------


def test_add_medicare_coverage_stores_the_mbi_without_dashes_and_audits_field_names(desk):
    # given
    patient = make_patient()
    plan = medicare_plan()
    before = AuditEntry.objects.count()
    # when
    coverage = _add(patient, plan, desk, member_id=VALID_MBI_DASHED.lower(), group_number=" G7 ")
    # then
    coverage.refresh_from_db()
    assert (coverage.member_id, coverage.group_number, coverage.order) == (VALID_MBI, "G7", 1)
    assert coverage.status == CoverageStatus.ACTIVE
    assert coverage.created_by == desk
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.patient_id, entry.target_type, entry.target_id) == (
        "create",
        patient.pk,
        "insurance.coverage",
        str(coverage.pk),
    )
    assert entry.fields == sorted(
        ["plan", "order", "member_id", "group_number", "relationship", "effective_date"]
    )
    assert VALID_MBI not in str(entry.detail)


def test_a_wrong_mbi_is_refused_naming_the_position_and_nothing_is_saved(desk):
    # given
    patient = make_patient()
    plan = medicare_plan()
    before = AuditEntry.objects.count()
    # when
    with pytest.raises(ValidationError) as caught:
        _add(patient, plan, desk, member_id="1EG4TE5MKS3")
    # then
    message = caught.value.message_dict["member_id"][0]
    assert "10th character of the MBI must be a digit; it is the letter S" in message
    assert Coverage.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_payers_member_id_pattern_is_applied(desk):
    plan = make_plan(make_payer("Acme", "ACME1", member_id_pattern=r"ACM\d{9}"))
    with pytest.raises(ValidationError) as caught:
        _add(make_patient(), plan, desk, member_id="XYZ123")
    assert "expected format" in caught.value.message_dict["member_id"][0]
    assert Coverage.objects.count() == 0


def test_the_subscriber_is_required_when_the_patient_is_not_the_subscriber(desk):
    with pytest.raises(ValidationError) as caught:
        _add(make_patient(), make_plan(), desk, relationship=SubscriberRelationship.SPOUSE)
    assert set(caught.value.message_dict) == {
        "subscriber_last_name",
        "subscriber_first_name",
        "subscriber_birth_date",
    }
    assert Coverage.objects.count() == 0


def test_the_subscriber_may_be_another_patient_or_a_person_named_here(desk):
    # given
    child = make_patient(first_name="Tess")
    parent = make_patient(first_name="Rae")
    plan = make_plan()
    # when
    by_record = _add(
        child,
        plan,
        desk,
        relationship=SubscriberRelationship.CHILD,
        subscriber_patient=parent,
        subscriber_last_name="Ignored",
    )
    named = _add(
        make_patient(),
        plan,
        desk,
        relationship=SubscriberRelationship.SPOUSE,
        subscriber_last_name="Quill",
        subscriber_first_name="Jordan",
        subscriber_birth_date=dt.date(1979, 5, 2),
        subscriber_sex="m",
    )
    # then
    assert (by_record.subscriber_patient, by_record.subscriber_last_name) == (parent, "")
    assert (named.subscriber_last_name, named.subscriber_sex) == ("Quill", "M")
    assert named.subscriber_patient is None


def test_self_keeps_no_subscriber_details(desk):
    coverage = _add(
        make_patient(),
        make_plan(),
        desk,
        subscriber_last_name="Stale",
        subscriber_patient=make_patient(),
    )
    assert (coverage.subscriber_last_name, coverage.subscriber_patient) == ("", None)


def test_the_patient_cannot_be_their_own_other_subscriber(desk):
    patient = make_patient()
    with pytest.raises(ValidationError) as caught:
        _add(
            patient,
            make_plan(),
            desk,
            relationship=SubscriberRelationship.SPOUSE,
            subscriber_patient=patient,
        )
    assert "subscriber_patient" in caught.value.message_dict


def test_the_end_date_may_not_be_before_the_effective_date(desk):
    with pytest.raises(ValidationError) as caught:
        _add(make_patient(), make_plan(), desk, end_date=START - dt.timedelta(days=1))
    assert caught.value.message_dict == {"end_date": ["The end date is before the effective date."]}
    assert Coverage.objects.count() == 0


def test_a_second_active_primary_is_refused_with_a_clear_message(desk):
    # given
    patient = make_patient()
    first = _add(patient, make_plan(name="Choice PPO"), desk)
    other = make_plan(make_payer("Beacon", "BCN01"), "Gold HMO")
    before = AuditEntry.objects.count()
    # when
    with pytest.raises(InsuranceRefused) as caught:
        _add(patient, other, desk, member_id="B99")
    # then
    assert caught.value.message == (
        "The patient already has an active primary coverage (Acme Health Choice PPO). End or "
        "remove it first, or give this one another order."
    )
    assert list(Coverage.objects.values_list("pk", flat=True)) == [first.pk]
    assert AuditEntry.objects.count() == before


def test_an_inactive_plan_or_a_merged_record_is_refused(desk):
    with pytest.raises(ValidationError) as caught:
        _add(make_patient(), make_plan(active=False), desk)
    assert "no longer offered" in caught.value.message_dict["plan"][0]
    merged = make_patient()
    Patient.objects.filter(pk=merged.pk).update(status="merged", merged_into=make_patient())
    merged.refresh_from_db()
    with pytest.raises(InsuranceRefused):
        _add(merged, make_plan(make_payer("B", "B1")), desk)
    assert Coverage.objects.count() == 0


# ---- change, end, remove --------------------------------------------------------------------


def test_change_coverage_writes_and_audits_only_the_fields_that_changed(desk):
    # given
    coverage = make_coverage()
    # when
    changed = services.change_coverage(
        coverage, acting_user=desk, group_number="G-55", member_id="ACM123456789"
    )
    # then
    changed.refresh_from_db()
    assert changed.group_number == "G-55"
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.patient_id, entry.fields) == (
        "update",
        coverage.patient_id,
        ["group_number"],
    )


def test_changing_nothing_writes_no_audit_entry(desk):
    coverage = make_coverage(group_number="G1")
    before = AuditEntry.objects.count()
    services.change_coverage(coverage, acting_user=desk, group_number="G1")
    assert AuditEntry.objects.count() == before


def test_moving_a_coverage_onto_a_taken_order_is_refused(desk):
    patient = make_patient()
    make_coverage(patient)
    secondary = make_coverage(patient, make_plan(make_payer("B", "B1")), order=2)
    with pytest.raises(InsuranceRefused):
        services.change_coverage(secondary, acting_user=desk, order=1)
    secondary.refresh_from_db()
    assert secondary.order == 2


def test_end_coverage_frees_the_order_for_the_new_plan(desk):
    # given
    patient = make_patient()
    old = make_coverage(patient)
    today = timezone.localdate()
    # when
    services.end_coverage(old, acting_user=desk, end_date=today)
    new = _add(patient, make_plan(make_payer("B", "B1")), desk, effective_date=today)
    # then
    old.refresh_from_db()
    assert (old.status, old.end_date) == (CoverageStatus.ENDED, today)
    assert new.order == 1
    entry = _entries(target_type="insurance.coverage", target_id=str(old.pk))[-1]
    assert (entry.fields, entry.patient_id) == (["end_date", "status"], patient.pk)


def test_end_coverage_refuses_a_future_date_an_early_date_and_an_ended_coverage(desk):
    coverage = make_coverage()
    for day in (timezone.localdate() + dt.timedelta(days=1), START - dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.end_coverage(coverage, acting_user=desk, end_date=day)
    coverage.refresh_from_db()
    assert (coverage.status, coverage.end_date) == (CoverageStatus.ACTIVE, None)
    services.end_coverage(coverage, acting_user=desk, end_date=START)
    with pytest.raises(InsuranceRefused):
        services.end_coverage(coverage, acting_user=desk, end_date=START)


def test_remove_coverage_marks_it_entered_in_error_and_it_stays_unchangeable(desk):
    coverage = make_coverage()
    services.remove_coverage(coverage, acting_user=desk)
    coverage.refresh_from_db()
    assert coverage.status == CoverageStatus.REMOVED
    for action in (
        lambda: services.remove_coverage(coverage, acting_user=desk),
        lambda: services.change_coverage(coverage, acting_user=desk, group_number="X"),
        lambda: services.attach_card(coverage, "front", acting_user=desk, upload=picture_upload()),
    ):
        with pytest.raises(InsuranceRefused):
            action()
    coverage.refresh_from_db()
    assert coverage.group_number == ""
    assert not CoverageCard.objects.exists()


# ---- reorder ------------------------------------------------------------------------------


def test_reorder_swaps_primary_and_secondary_despite_the_unique_order(desk):
    # given
    patient = make_patient()
    primary = make_coverage(patient)
    secondary = make_coverage(patient, make_plan(make_payer("B", "B1")), order=2)
    # when
    services.reorder_coverages(patient, [secondary.pk, primary.pk], acting_user=desk)
    # then
    orders = dict(Coverage.objects.values_list("pk", "order"))
    assert orders == {secondary.pk: 1, primary.pk: 2}
    assert set(Coverage.objects.values_list("status", flat=True)) == {"active"}
    entries = _entries(action="update", patient_id=patient.pk)
    assert [(e.target_id, e.fields) for e in entries] == [
        (str(secondary.pk), ["order"]),
        (str(primary.pk), ["order"]),
    ]


def test_reorder_rotates_three_coverages(desk):
    patient = make_patient()
    a = make_coverage(patient)
    b = make_coverage(patient, make_plan(make_payer("B", "B1")), order=2)
    c = make_coverage(patient, make_plan(make_payer("C", "C1")), order=3)
    services.reorder_coverages(patient, [c.pk, a.pk, b.pk], acting_user=desk)
    assert dict(Coverage.objects.values_list("pk", "order")) == {c.pk: 1, a.pk: 2, b.pk: 3}


def test_reorder_needs_every_active_coverage_once_and_changes_nothing_otherwise(desk):
    patient = make_patient()
    a = make_coverage(patient)
    b = make_coverage(patient, make_plan(make_payer("B", "B1")), order=2)
    stranger = make_coverage(plan=make_plan(make_payer("C", "C1")))
    before = AuditEntry.objects.count()
    for ids in ([b.pk], [b.pk, b.pk], [b.pk, stranger.pk], [b.pk, a.pk, stranger.pk]):
        with pytest.raises(InsuranceRefused):
            services.reorder_coverages(patient, ids, acting_user=desk)
    assert dict(Coverage.objects.filter(patient=patient).values_list("pk", "order")) == {
        a.pk: 1,
        b.pk: 2,
    }
    assert AuditEntry.objects.count() == before


# ---- cards --------------------------------------------------------------------------------


def test_attach_card_reencodes_an_upload_and_a_camera_data_url(desk):
    # given
    coverage = make_coverage()
    # when
    front = services.attach_card(coverage, "front", acting_user=desk, upload=picture_upload())
    back = services.attach_card(
        coverage, "back", acting_user=desk, data_url=picture_data_url(), source="webcam"
    )
    # then
    for card in (front, back):
        data = services.card_bytes(coverage, card.side, acting_user=desk)
        assert data[:3] == b"\xff\xd8\xff"  # a fresh JPEG, whatever was sent
        assert (card.width, card.height) == (320, 200)
    entry = _entries(action="update", target_type="insurance.coveragecard")[-1]
    assert (entry.fields, entry.detail, entry.patient_id) == (
        ["card_back"],
        {"source": "webcam"},
        coverage.patient_id,
    )
    reads = _entries(action="read", target_type="insurance.coveragecard")
    assert [r.detail["what"] for r in reads] == ["card front", "card back"]


def test_a_new_picture_replaces_the_side(desk):
    coverage = make_coverage()
    services.attach_card(coverage, "front", acting_user=desk, upload=picture_upload())
    services.attach_card(
        coverage, "front", acting_user=desk, upload=picture_upload("c.webp", "WEBP")
    )
    assert CoverageCard.objects.filter(coverage=coverage).count() == 1


def test_not_a_picture_is_refused_and_nothing_is_kept(desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    coverage = make_coverage()
    junk = SimpleUploadedFile("card.jpg", b"not really a jpeg", content_type="image/jpeg")
    for kwargs in ({"upload": junk}, {"data_url": "data:image/png;base64,!!!"}, {}):
        with pytest.raises(ValidationError):
            services.attach_card(coverage, "front", acting_user=desk, **kwargs)
    with pytest.raises(ValidationError):
        services.attach_card(coverage, "side", acting_user=desk, upload=picture_upload())
    assert not CoverageCard.objects.exists()
    assert services.card_bytes(coverage, "front", acting_user=desk) is None
