"""The X12 278 path against the payer simulator on loopback: approved with a number, denied,
pended, rejected, an unreadable answer, and a payer that does not answer in time (a clear
status, nothing half-done)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from medoffice.audit.models import AuditEntry
from medoffice.authorizations import queries, services
from medoffice.authorizations.errors import SubmissionFailed
from medoffice.authorizations.models import PriorAuthorization
from medoffice.authorizations.tests.factories import Clinic, make_clinic
from medoffice.insurance.models import Payer
from medoffice.insurance.tests.factories import make_clearinghouse
from medoffice.payer_sim import RunningSimulator, config_from_dict, start_simulator
from medoffice.scheduling.tests.views_calendar_support import text_of

pytestmark = pytest.mark.django_db
USERNAME, PASSWORD = "office", "loopback-secret"
PLANS: dict[str, Any] = {
    "payers": [
        {
            "payer_id": "SUNHP",
            "name": "SUNRISE HEALTH",
            "plans": [{"plan_id": "HMO", "name": "Sunrise HMO", "insurance_type": "HM",
                       "group_number": "GRP-1", "plan_begin": "2025-01-01"}],
            "prior_auth": {"approve": ["70551"], "pend": ["93015"], "deny": ["64483"],
                           "default": "approve", "certification_prefix": "SUN"},
        }
    ],
    "members": [
        {"payer_id": "SUNHP", "member_id": "SUN123456", "plan_id": "HMO"},
        {"payer_id": "SUNHP", "member_id": "SLOW00001", "fault": {"delay_ms": 3000}},
        {"payer_id": "SUNHP", "member_id": "JUNK00001", "fault": {"garbage_payload": True}},
        {"payer_id": "SUNHP", "member_id": "GONE00001", "status": "not_found"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def simulator() -> Iterator[RunningSimulator]:
    running = start_simulator(config_from_dict(PLANS).with_credentials(USERNAME, PASSWORD))
    yield running
    running.stop()


@pytest.fixture
def clinic(simulator: RunningSimulator) -> Clinic:
    found = make_clinic(accepts_278=True)
    clearinghouse = make_clearinghouse(
        endpoint_url=simulator.url, username=USERNAME, password=PASSWORD, timeout_seconds=1,
        retries=0,
    )  # fmt: skip
    Payer.objects.filter(pk=found.payer.pk).update(clearinghouse=clearinghouse)
    found.payer.refresh_from_db()
    return found


def _member(clinic: Clinic, member_id: str) -> None:
    type(clinic.coverage).objects.filter(pk=clinic.coverage.pk).update(member_id=member_id)


def _raw_columns(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT raw_278_request, raw_278_response FROM authorizations_priorauthorization "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_an_mri_sent_by_278_comes_back_approved_with_its_number(clinic):
    draft = clinic.authorization(codes=("70551",), appointment_type=None)
    # when
    done = services.submit_authorization(draft, acting_user=clinic.desk)
    # then
    done = queries.get_authorization(done.pk)
    assert (done.status, done.submitted_via) == ("approved", "x12")
    assert done.certification_number.startswith("SUN")
    assert done.effective_from is not None
    assert done.effective_to is not None
    assert [(s.code, s.units_approved, s.decision) for s in done.services.all()] == [
        ("70551", 1, "A1")
    ]
    assert done.raw_278_request.startswith("ISA*")
    assert "HCR*A1" in done.raw_278_response
    stored_request, stored_response = _raw_columns(done.pk)
    assert "ISA*" not in stored_request
    assert "ISA*" not in stored_response
    entry = (
        AuditEntry.objects.filter(target_type="authorizations.priorauthorization")
        .order_by("id")
        .last()
    )
    assert entry.detail == {"status": "approved", "via": "x12"}
    assert clinic.patient.last_name not in str(entry.detail)


def test_a_denied_service_ends_denied_with_the_payers_words(clinic):
    done = services.submit_authorization(
        clinic.authorization(codes=("64483",)), acting_user=clinic.desk
    )
    assert done.status == "denied"
    assert done.denial_reason != ""
    assert done.certification_number == ""


def test_a_pended_stress_test_stays_pending_and_a_later_answer_approves_it(clinic):
    from medoffice.interchange.x12 import (
        AuthorizationResponse,
        EnvelopeIds,
        ServiceDecision,
        build_278_response,
        read_278_request,
    )

    done = services.submit_authorization(clinic.authorization(), acting_user=clinic.desk)
    assert (done.status, done.payer_message) == ("pending", "The payer is reviewing the request.")
    # when the payer's final answer arrives later as a 278 response
    [asked] = read_278_request(done.raw_278_request)
    answer = AuthorizationResponse(
        trace_numbers=(done.trace_number,), status="approved", certification_number="SUN-LATE-1",
        effective_from=clinic.day(1), effective_to=clinic.day(30),
        decisions=(ServiceDecision("93015", "A1", "SUN-LATE-1", None, ""),), rejections=(),
        explanation="Approved",
    )  # fmt: skip
    import datetime as dt

    ids = EnvelopeIds("PAYERSIM", "MEDOFFICE", 7, 7, 7, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    later = services.apply_278_response(done, build_278_response(asked, answer, ids),
                                        acting_user=clinic.desk)  # fmt: skip
    assert (later.status, later.certification_number, later.effective_to) == (
        "approved", "SUN-LATE-1", clinic.day(30),
    )  # fmt: skip


def test_a_payer_that_does_not_answer_in_time_leaves_a_clear_draft_and_nothing_half_done(clinic):
    _member(clinic, "SLOW00001")
    draft = clinic.authorization(codes=("70551",))
    with pytest.raises(SubmissionFailed) as failed:
        services.submit_authorization(draft, acting_user=clinic.desk)
    assert failed.value.message.startswith("Not submitted: ")
    assert failed.value.message.endswith(
        "Nothing was recorded as sent; try again, or fax the request form."
    )
    found = PriorAuthorization.objects.get(pk=draft.pk)
    assert (found.status, found.submitted_at, found.submitted_via, found.certification_number) == (
        "draft", None, "", "",
    )  # fmt: skip
    assert (found.raw_278_request, found.raw_278_response, found.trace_number) == ("", "", "")
    assert found.payer_message == failed.value.message
    assert AuditEntry.objects.filter(outcome="failure", patient_id=clinic.patient.pk).count() == 1


def test_the_timeout_shows_on_the_page_not_a_broken_one(clinic):
    _member(clinic, "SLOW00001")
    draft = clinic.authorization(codes=("70551",))
    client = clinic.client()
    response = client.post(f"/authorizations/requests/{draft.pk}/submit/", {"via": "x12"},
                           follow=True)  # fmt: skip
    assert response.status_code == 200
    text = text_of(response)
    assert "Not submitted:" in text
    assert "Draft" in text


def test_an_unknown_member_is_rejected_and_stays_a_draft_to_correct(clinic):
    _member(clinic, "GONE00001")
    done = services.submit_authorization(clinic.authorization(), acting_user=clinic.desk)
    assert done.status == "draft"
    assert done.payer_message.startswith("The payer rejected the request: ")


def test_an_unreadable_answer_marks_it_sent_and_says_to_call(clinic):
    _member(clinic, "JUNK00001")
    done = services.submit_authorization(clinic.authorization(), acting_user=clinic.desk)
    assert (done.status, done.submitted_via) == ("submitted", "x12")
    assert done.payer_message.startswith("Sent, but the payer's answer could not be read")
