"""The patient's coverages page: what it shows (audited), what each role may do, the forms and
their refusals, card pictures through the audited image view, and a fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medoffice.audit.models import AuditEntry
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.insurance.choices import CoverageStatus
from medoffice.insurance.models import Coverage, CoverageCard
from medoffice.insurance.services import coverages as services
from medoffice.insurance.tests.factories import make_coverage, make_payer, make_plan
from medoffice.insurance.tests.factories_more import (
    VALID_MBI,
    clinical_user,
    desk_user,
    medicare_plan,
    picture_data_url,
    picture_upload,
    signed_in,
)
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    return signed_in(client, desk_user())


def _page(patient_id: int) -> str:
    return f"/insurance/patients/{patient_id}/coverages/"


def _form(plan, **overrides):
    data = {
        "plan": str(plan.pk),
        "order": "1",
        "member_id": VALID_MBI,
        "group_number": "",
        "relationship": "18",
        "effective_date": "2026-01-01",
    }
    data.update(overrides)
    return data


def test_the_page_lists_coverages_in_order_and_audits_the_read(desk):
    # given
    patient = make_patient(first_name="Avery", last_name="Quill")
    spouse_plan = make_plan(make_payer("Beacon Health", "BCN01"), "Gold HMO", "hmo")
    make_coverage(patient, make_plan(), member_id="ACM555000111", group_number="GRP-9")
    make_coverage(
        patient,
        spouse_plan,
        order=2,
        member_id="BCN777",
        relationship="01",
        subscriber_last_name="Quill",
        subscriber_first_name="Jordan",
        subscriber_birth_date=dt.date(1979, 5, 2),
    )
    # when
    response = desk.get(_page(patient.pk))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Acme Health — Choice PPO") < body.index("Beacon Health — Gold HMO")
    for text in (
        "ACM555000111",
        "GRP-9",
        "BCN777",
        "Jordan Quill",
        "spouse",
        "05/02/1979",
        "01/01/2026",
        "Primary",
        "Secondary",
        "Add coverage",
    ):
        assert text in body, text
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.patient_id, entry.detail) == (
        "read",
        patient.pk,
        {"what": "coverages"},
    )


def test_the_query_count_does_not_grow_with_coverages_and_cards(desk):
    def count(patient_id: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(_page(patient_id)).status_code == 200
        return len(queries)

    one = make_patient()
    make_coverage(one)
    three = make_patient()
    for order, name in ((1, "A"), (2, "B"), (3, "C")):
        coverage = make_coverage(three, make_plan(make_payer(name, name + "1")), order=order)
        services.attach_card(coverage, "front", acting_user=None, upload=picture_upload())
    ended = make_coverage(
        three,
        make_plan(make_payer("D", "D1")),
        status=CoverageStatus.ENDED,
        end_date=dt.date(2026, 2, 1),
    )
    assert ended.pk
    count(one.pk)  # warm caches (content types, permissions)
    assert count(three.pk) == count(one.pk)


def test_the_desk_adds_a_medicare_coverage_and_a_wrong_mbi_says_which_position(desk):
    # given
    patient = make_patient()
    plan = medicare_plan()
    # when a bad MBI is sent
    response = desk.post(f"{_page(patient.pk)}add/", _form(plan, member_id="1EG4-TE5-MK7A"))
    # then the form comes back with the position named, and nothing is saved
    assert response.status_code == 200
    assert "11th character of the MBI must be a digit; it is the letter A" in (
        response.content.decode()
    )
    assert not Coverage.objects.exists()
    # when it is fixed
    response = desk.post(f"{_page(patient.pk)}add/", _form(plan, member_id="1EG4-TE5-MK73"))
    # then
    assert response.status_code == 302
    assert Coverage.objects.get().member_id == VALID_MBI


def test_a_second_primary_is_refused_on_the_form_not_as_an_error_page(desk):
    patient = make_patient()
    make_coverage(patient)
    plan = make_plan(make_payer("Beacon", "BCN01"), "Gold")
    response = desk.post(f"{_page(patient.pk)}add/", _form(plan, member_id="BCN1"))
    assert response.status_code == 200
    assert "already has an active primary coverage" in response.content.decode()
    assert Coverage.objects.count() == 1


def test_a_spouse_who_is_a_patient_here_is_picked_as_subscriber(desk):
    # given the spouse is the patient's guarantor
    spouse = make_patient(first_name="Jordan", last_name="Quill")
    patient = make_patient(guarantor_relationship="spouse", guarantor=spouse)
    plan = make_plan()
    page = desk.get(f"{_page(patient.pk)}add/").content.decode()
    assert f'<option value="{spouse.pk}">Quill, Jordan (MRN {spouse.mrn})</option>' in page
    # when
    response = desk.post(
        f"{_page(patient.pk)}add/",
        _form(
            plan, member_id="ACM1", order="2", relationship="01", subscriber_choice=str(spouse.pk)
        ),
    )
    # then
    assert response.status_code == 302
    coverage = Coverage.objects.get()
    assert (coverage.order, coverage.subscriber_patient_id) == (2, spouse.pk)


def test_edit_end_remove_and_reorder(desk):
    # given
    patient = make_patient()
    primary = make_coverage(patient)
    secondary = make_coverage(patient, make_plan(make_payer("B", "B1")), order=2, member_id="B2")
    # when
    edit = desk.post(
        f"/insurance/coverages/{primary.pk}/edit/",
        _form(primary.plan, member_id="ACM123456789", group_number="G-1"),
    )
    swap = desk.post(f"{_page(patient.pk)}reorder/", {"sequence": f"{secondary.pk},{primary.pk}"})
    today = timezone.localdate().isoformat()
    end = desk.post(f"/insurance/coverages/{primary.pk}/end/", {"end_date": today})
    remove = desk.post(f"/insurance/coverages/{secondary.pk}/remove/")
    # then
    assert [r.status_code for r in (edit, swap, end, remove)] == [302, 302, 302, 302]
    primary.refresh_from_db()
    secondary.refresh_from_db()
    assert (primary.group_number, primary.order, primary.status) == ("G-1", 2, "ended")
    assert (secondary.order, secondary.status) == (1, "removed")
    body = desk.get(_page(patient.pk)).content.decode()
    assert "Ended and removed" in body
    assert "Removed (entered in error)" in body


def test_the_move_up_button_carries_the_swapped_sequence(desk):
    patient = make_patient()
    primary = make_coverage(patient)
    secondary = make_coverage(patient, make_plan(make_payer("B", "B1")), order=2)
    body = desk.get(_page(patient.pk)).content.decode()
    assert f'name="sequence" value="{secondary.pk},{primary.pk}"' in body


def test_card_upload_and_camera_capture_then_the_audited_image_view(desk):
    # given
    coverage = make_coverage()
    url = f"/insurance/coverages/{coverage.pk}/cards/"
    # when
    upload = desk.post(f"{url}front/", {"image": picture_upload(), "source": "upload"})
    camera = desk.post(
        f"{url}back/",
        {"data_url": picture_data_url(), "source": "webcam"},
        headers={"X-Requested-With": "fetch"},
    )
    image = desk.get(f"{url}front/")
    # then
    assert (upload.status_code, camera.status_code, image.status_code) == (302, 204, 200)
    assert image["Content-Type"] == "image/jpeg"
    assert image["Cache-Control"].startswith("no-store")
    assert image.content[:3] == b"\xff\xd8\xff"
    assert set(CoverageCard.objects.values_list("side", flat=True)) == {"front", "back"}
    read = AuditEntry.objects.order_by("-id").first()
    assert (read.action, read.patient_id, read.detail) == (
        "read",
        coverage.patient_id,
        {"what": "card front"},
    )
    page = desk.get(f"/insurance/patients/{coverage.patient_id}/coverages/").content.decode()
    assert f'src="{url}front/"' in page


def test_a_bad_picture_is_refused_with_a_message(desk):
    coverage = make_coverage()
    response = desk.post(
        f"/insurance/coverages/{coverage.pk}/cards/front/",
        {"data_url": "data:text/html;base64,PGI+"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 422
    assert not CoverageCard.objects.exists()
    assert desk.get(f"/insurance/coverages/{coverage.pk}/cards/front/").status_code == 404


def test_clinical_staff_see_coverages_but_change_nothing(client):
    # given
    coverage = make_coverage()
    nurse = signed_in(client, clinical_user())
    plan = coverage.plan
    # when / then
    page = nurse.get(_page(coverage.patient_id))
    assert page.status_code == 200
    assert "Add coverage" not in page.content.decode()
    assert "End coverage" not in page.content.decode()
    refused = [
        nurse.get(f"{_page(coverage.patient_id)}add/"),
        nurse.post(f"{_page(coverage.patient_id)}add/", _form(plan, order="2")),
        nurse.post(f"/insurance/coverages/{coverage.pk}/edit/", _form(plan, group_number="X")),
        nurse.post(f"/insurance/coverages/{coverage.pk}/end/", {"end_date": "2026-02-01"}),
        nurse.post(f"/insurance/coverages/{coverage.pk}/remove/"),
        nurse.post(f"/insurance/coverages/{coverage.pk}/cards/front/", {"image": picture_upload()}),
        nurse.post(f"{_page(coverage.patient_id)}reorder/", {"sequence": str(coverage.pk)}),
    ]
    assert [r.status_code for r in refused] == [403] * 7
    coverage.refresh_from_db()
    assert (coverage.status, coverage.group_number) == ("active", "")
    assert Coverage.objects.count() == 1
    assert not CoverageCard.objects.exists()


def test_the_patient_chart_links_to_insurance(desk):
    patient = make_patient()
    body = desk.get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="/insurance/patients/{patient.pk}/coverages/">Insurance</a>' in body


def test_an_unknown_patient_or_coverage_is_404(desk):
    assert desk.get(_page(999_999)).status_code == 404
    assert desk.get("/insurance/coverages/999999/edit/").status_code == 404
    assert desk.get("/insurance/coverages/999999/cards/front/").status_code == 404
