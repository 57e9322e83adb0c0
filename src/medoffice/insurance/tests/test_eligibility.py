"""Real-time eligibility through the real client path, against the payer simulator on loopback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.insurance.choices import CheckStatus, PlanType, SubscriberRelationship
from medoffice.insurance.errors import EligibilityUnavailable
from medoffice.insurance.models import ControlNumber, EligibilityCheck
from medoffice.insurance.services.eligibility import check_eligibility
from medoffice.insurance.tests.factories import make_coverage, make_payer, make_plan
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 4)


def lakeshore(plan_type: str = PlanType.PPO, name: str = "Lakeshore Gold PPO"):
    payer = make_payer("Lakeshore Blue Cross", "SIMBC1")
    return make_plan(payer, name, plan_type)


def ana(**fields):
    return make_patient(
        last_name="Rivera", first_name="Ana", birth_date=dt.date(1982, 3, 14), **fields
    )


def test_active_ppo_reads_copay_and_deductible_left(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC100200300")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    check.refresh_from_db()
    assert check.status == CheckStatus.ACTIVE
    assert (check.copay, check.coinsurance_percent, check.deductible_remaining) == (
        Decimal("25.00"),
        Decimal("20.00"),
        Decimal("650.00"),
    )
    assert check.active is True
    assert check.message == ""
    assert "DTP*291*D8*20261204~" in check.raw_270
    assert "EQ*30~" in check.raw_270
    assert check.raw_271.startswith("ISA*")
    assert check.attempts == 1
    assert check.responded_at is not None


def test_the_visit_types_service_types_are_asked(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC100200300")
    check = check_eligibility(
        coverage, service_date=DAY, acting_user=None, service_types=("98", "MH")
    )
    assert "EQ*98~" in check.raw_270
    assert "EQ*MH~" in check.raw_270
    assert "EQ*30~" not in check.raw_270
    assert check.service_types == "98,MH"


def test_member_not_found_is_explained(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC999999999")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert check.status == CheckStatus.REJECTED
    assert "member" in check.message.lower()
    assert check.copay is None
    assert check.active is None


def test_inactive_coverage(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC100200302")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert (check.status, check.active) == (CheckStatus.INACTIVE, False)


def test_medicare_names_a_medicaid_managed_care_plan(sim_house):
    payer = make_payer("Medicare Part B", "SIMMCR")
    plan = make_plan(payer, "Part B", PlanType.MEDICARE)
    coverage = make_coverage(make_patient(), plan, member_id="1EG4TE5MK73")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert check.status == CheckStatus.ACTIVE
    assert check.other_payer_named is True
    assert '"medicaid_managed_care": true' in check.summary_json


def test_dependent_is_sent_in_2000d(sim_house):
    mother = make_patient(last_name="Smith", first_name="Dana")
    son = make_patient(last_name="Smith", first_name="Jonah", birth_date=dt.date(2022, 5, 1))
    coverage = make_coverage(
        son, lakeshore(), member_id="LBC100200303", relationship=SubscriberRelationship.CHILD,
        subscriber_patient=mother,
    )  # fmt: skip
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert "HL*4*3*23*0~" in check.raw_270
    assert "NM1*03*1*SMITH*JONAH" in check.raw_270.upper()


def test_a_payer_timeout_ends_in_a_clear_error(sim_house):
    sim_house.timeout_seconds = Decimal("0.3")
    sim_house.save()
    coverage = make_coverage(ana(), lakeshore(), member_id="FAULTSLOW01")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert check.status == CheckStatus.ERROR
    assert check.retry_may_help is True
    assert check.message
    assert "Traceback" not in check.message
    assert check.raw_271 == ""
    assert check.copay is None


def test_an_unreadable_answer_stores_nothing_half_done(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="FAULTJUNK01")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    check.refresh_from_db()
    assert check.status == CheckStatus.ERROR
    assert (check.summary_json, check.active, check.copay) == ("", None, None)


def test_wrong_credentials_do_not_retry(sim_house):
    sim_house.password = "wrong"
    sim_house.retries = 2
    sim_house.save()
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC100200300")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert (check.status, check.retry_may_help, check.attempts) == (CheckStatus.ERROR, False, 1)


def test_payer_without_electronic_id_is_refused_and_nothing_is_stored(sim_house):
    plan = make_plan(make_payer("Small Union Fund", ""), "Union plan")
    coverage = make_coverage(ana(), plan)
    with pytest.raises(EligibilityUnavailable, match="no electronic payer ID"):
        check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert EligibilityCheck.objects.count() == 0


def test_control_numbers_never_repeat(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC100200300")
    first = check_eligibility(coverage, service_date=DAY, acting_user=None)
    second = check_eligibility(coverage, service_date=DAY, acting_user=None)
    assert second.interchange_control_number == first.interchange_control_number + 1
    assert first.trace_number != second.trace_number
    assert ControlNumber.objects.get().last_value == second.interchange_control_number


def test_checks_are_audited_without_values(sim_house):
    coverage = make_coverage(ana(), lakeshore(), member_id="LBC100200300")
    check = check_eligibility(coverage, service_date=DAY, acting_user=None)
    entries = AuditEntry.objects.filter(
        target_type="insurance.eligibilitycheck", target_id=str(check.pk)
    )
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]
    assert all(e.patient_id == coverage.patient_id for e in entries)
    assert "LBC100200300" not in str([e.detail for e in entries])
