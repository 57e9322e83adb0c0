"""Prior authorizations by hand: draft (codes checked), send by fax/portal/phone, the decision,
units used by countable appointments, the daily expiry, and the alerts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medoffice.audit.models import AuditEntry
from medoffice.authorizations import queries, services
from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.authorizations.models import (
    AuthorizationAppointment,
    AuthorizationService,
    PriorAuthorization,
)
from medoffice.authorizations.tasks import expire_authorizations_daily
from medoffice.authorizations.tests.factories import Clinic, make_clinic
from medoffice.jobs.schedule import SCHEDULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


def test_a_draft_keeps_lines_and_diagnoses_in_order_with_the_coverages_payer(clinic):
    draft = clinic.authorization(codes=("93015", "93350"), diagnoses=["i209", "R07.9"],
                                 coverage=None)  # fmt: skip
    draft.refresh_from_db()
    assert (draft.status, draft.payer_id, draft.coverage_id) == (
        "draft", clinic.payer.pk, clinic.coverage.pk,
    )  # fmt: skip
    assert [(s.position, s.code, s.units_requested) for s in draft.services.all()] == [
        (1, "93015", 1), (2, "93350", 1),
    ]  # fmt: skip
    assert [d.code for d in draft.diagnoses.all()] == ["I20.9", "R07.9"]
    entry = AuditEntry.objects.get(target_type="authorizations.priorauthorization")
    assert (entry.action, entry.patient_id, entry.detail) == (
        "create", clinic.patient.pk, {"status": "draft", "services": 2},
    )  # fmt: skip


def test_codes_that_are_not_cpt_hcpcs_or_icd10cm_are_refused_and_nothing_saved(clinic):
    with pytest.raises(ValidationError) as refused:
        clinic.authorization(codes=("9301", "93015"), diagnoses=["chest pain"])
    assert refused.value.message_dict == {
        "services.1.code": [
            "Line 1: not a CPT or HCPCS code (five characters, e.g. 93015 or G0283)."
        ],
        "diagnoses": ["Not ICD-10-CM codes: chest pain"],
    }
    assert PriorAuthorization.objects.count() == 0
    assert AuthorizationService.objects.count() == 0


def test_faxing_records_the_submission_and_an_approval_needs_its_number(clinic):
    draft = clinic.authorization()
    sent = services.submit_authorization(draft, acting_user=clinic.desk)
    assert (sent.status, sent.submitted_via) == ("submitted", "fax")  # the payer takes no 278
    with pytest.raises(ValidationError) as refused:
        services.record_decision(draft, acting_user=clinic.desk, decision="approved")
    assert refused.value.message_dict == {
        "certification_number": ["Give the authorization number the payer gave."]
    }
    assert PriorAuthorization.objects.get(pk=draft.pk).status == "submitted"
    done = services.record_decision(
        draft, acting_user=clinic.desk, decision="approved", certification_number="AUTH-555",
        units_approved={1: 2}, payer_reference="call 4471",
    )  # fmt: skip
    done = queries.get_authorization(done.pk)
    assert (done.status, done.certification_number, done.payer_reference) == (
        "approved", "AUTH-555", "call 4471",
    )  # fmt: skip
    assert (done.units_approved_total, done.units_used, done.units_left) == (2, 0, 2)
    assert done.decided_by == clinic.desk


def test_a_denial_needs_its_reason_and_ends_the_request(clinic):
    draft = clinic.authorization()
    services.submit_authorization(draft, acting_user=clinic.desk, via="portal", reference="P-88")
    with pytest.raises(ValidationError):
        services.record_decision(draft, acting_user=clinic.desk, decision="denied")
    services.record_decision(draft, acting_user=clinic.desk, decision="denied",
                             denial_reason="Not medically necessary")  # fmt: skip
    with pytest.raises(AuthorizationRefused) as refused:
        services.record_decision(draft, acting_user=clinic.desk, decision="approved",
                                 certification_number="X")  # fmt: skip
    assert refused.value.message == "A denied authorization cannot become approved."
    assert PriorAuthorization.objects.get(pk=draft.pk).certification_number == ""


def test_a_draft_cannot_be_decided_and_a_sent_request_cannot_be_edited(clinic):
    draft = clinic.authorization()
    with pytest.raises(AuthorizationRefused) as refused:
        services.record_decision(draft, acting_user=clinic.desk, decision="pending")
    assert refused.value.message == "A draft authorization cannot become pending with the payer."
    services.submit_authorization(draft, acting_user=clinic.desk, via="phone")
    with pytest.raises(AuthorizationRefused):
        services.change_authorization(draft, acting_user=clinic.desk, diagnoses=["I25.10"])
    services.change_authorization(draft, acting_user=clinic.desk, notes="Called twice")
    assert [d.code for d in draft.diagnoses.all()] == ["R07.9", "I20.9"]
    assert PriorAuthorization.objects.get(pk=draft.pk).notes == "Called twice"


def test_units_used_count_only_countable_appointments_and_run_out(clinic):
    approved = clinic.approved()
    first = clinic.appointment(3, kind=clinic.stress_test)
    services.link_appointment(approved, first, acting_user=clinic.desk)
    second = clinic.appointment(4, kind=clinic.stress_test)
    with pytest.raises(AuthorizationRefused) as refused:
        services.link_appointment(approved, second, acting_user=clinic.desk)
    assert refused.value.message == "Prior authorization AUTH-555 has 0 units left."
    type(first).objects.filter(pk=first.pk).update(status="no_show")
    services.link_appointment(approved, second, acting_user=clinic.desk)
    assert queries.get_authorization(approved.pk).units_used == 1
    assert AuthorizationAppointment.objects.filter(authorization=approved).count() == 2


def test_an_appointment_outside_the_dates_is_not_linked(clinic):
    approved = clinic.approved()
    late = clinic.appointment(61, kind=clinic.stress_test)
    with pytest.raises(AuthorizationRefused) as refused:
        services.link_appointment(approved, late, acting_user=clinic.desk)
    assert refused.value.message == (
        f"The visit on {clinic.day(61):%m/%d/%Y} is outside Prior authorization AUTH-555's dates."
    )
    assert AuthorizationAppointment.objects.count() == 0


def test_the_daily_job_expires_approvals_past_their_last_day_once(clinic):
    ended = clinic.approved(effective_from=clinic.day(-30), effective_to=clinic.day(-1))
    current = clinic.approved(number="AUTH-556")
    assert services.expire_authorizations(clinic.today) == 1
    assert services.expire_authorizations(clinic.today) == 0
    statuses = dict(PriorAuthorization.objects.values_list("pk", "status"))
    assert statuses == {ended.pk: "expired", current.pk: "approved"}
    entry = AuditEntry.objects.filter(target_id=str(ended.pk), fields=["status"]).last()
    assert entry.detail == {"status": "expired", "source": "daily expiry"}
    assert "medoffice.authorizations.tasks.expire_authorizations_daily" in SCHEDULES


def test_the_scheduled_task_runs_the_expiry(clinic):
    ended = clinic.approved(effective_from=clinic.day(-30), effective_to=clinic.day(-1))
    expire_authorizations_daily.call()
    assert PriorAuthorization.objects.get(pk=ended.pk).status == "expired"


def test_alerts_name_what_ends_soon_or_runs_out(clinic):
    clinic.approved(number="AUTH-END", effective_to=clinic.day(10))
    clinic.approved(number="AUTH-LATER")  # ends in 60 days, 1 unit: nearly used
    clinic.approved(number="AUTH-ROOMY", codes=("97110",))
    last_visit = clinic.referral(visits_authorized=2)
    services.link_visit(last_visit, clinic.appointment(3), acting_user=clinic.desk)
    clinic.referral(number="R-200", end_date=clinic.day(5), visits_authorized=5)
    clinic.referral(number="R-300", end_date=clinic.day(-2), start_date=clinic.day(-30))
    found = [(a.kind, a.message) for a in queries.alerts(clinic.today)]
    assert found == [
        ("authorization_expiring",
         f"Prior authorization AUTH-END ends {clinic.day(10):%m/%d/%Y} (in 10 days)."),
        ("authorization_units", "Prior authorization AUTH-LATER has 1 of 1 units left."),
        ("authorization_units", "Prior authorization AUTH-ROOMY has 1 of 1 units left."),
        ("referral_ending", f"Referral R-200 ends {clinic.day(5):%m/%d/%Y} with 5 visits left."),
        ("referral_visits", "Referral R-123 has 1 visit left."),
    ]  # fmt: skip


def test_the_command_expires_too(clinic):
    import io

    from django.core.management import call_command

    ended = clinic.approved(effective_from=clinic.day(-30), effective_to=clinic.day(-1))
    out = io.StringIO()
    call_command("authorizations", "expire", stdout=out)
    assert out.getvalue().strip() == (
        f"Expired 1 prior authorization(s) ended before {clinic.today:%m/%d/%Y}."
    )
    assert PriorAuthorization.objects.get(pk=ended.pk).status == "expired"
