"""Eligibility from the desk's pages and the API, the day's batch, estimates and Good Faith
Estimates — all through the payer simulator on loopback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.core.pdf import pdf_text
from medoffice.insurance.choices import CheckSource, CheckStatus, PlanType
from medoffice.insurance.models import (
    AllowedAmount,
    EligibilityCheck,
    GoodFaithEstimate,
    PlannedService,
)
from medoffice.insurance.services import batch
from medoffice.insurance.services.estimates import estimate_visit
from medoffice.insurance.tests.factories import make_coverage, make_payer, make_plan
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.api_client import api_for, data

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(sim_house):
    place = f.location(name="North", time_zone="America/New_York")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor", credentials="MD")
    visit = f.appointment_type(20, name="Follow-up", service_type_codes="98")
    PlannedService.objects.create(appointment_type=visit, code="99213")
    plan = make_plan(make_payer("Lakeshore Blue Cross", "SIMBC1", clearinghouse=sim_house))
    AllowedAmount.objects.create(code="99213", plan=plan, amount=Decimal("108.00"))
    AllowedAmount.objects.create(code="99213", amount=Decimal("135.00"), description="Visit")
    ana = make_patient(last_name="Rivera", first_name="Ana", birth_date=dt.date(1982, 3, 14))
    coverage = make_coverage(ana, plan, member_id="LBC100200300")
    return {"place": place, "doctor": doctor, "visit": visit, "plan": plan, "ana": ana,
            "coverage": coverage}  # fmt: skip


def booked(office, patient, day, hour=9, **extra):
    at = f.local(office["place"], day, hour, 0)
    return f.raw_appointment(
        patient, office["doctor"], office["place"], office["visit"], at, **extra
    )


def desk_client(role=Role.FRONT_DESK, name="desk"):
    client = Client()
    client.force_login(make_user(name, roles=(role,)))
    return client


def test_htmx_check_answers_with_the_benefits_card(office):
    client = desk_client()
    response = client.post(
        f"/insurance/coverages/{office['coverage'].pk}/check/",
        {"service_date": "2026-12-04"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-eligibility="active"' in page
    assert "<td data-copay>$25.00</td>" in page
    assert "$650.00 left" in page
    check = EligibilityCheck.objects.get()
    assert check.service_date == dt.date(2026, 12, 4)
    read = AuditEntry.objects.filter(action="read", target_id=str(check.pk))
    assert read.count() == 1


def test_clinical_staff_see_results_but_cannot_check(office):
    client = desk_client(Role.CLINICAL, "nurse")
    response = client.post(f"/insurance/coverages/{office['coverage'].pk}/check/")
    assert response.status_code == 403
    assert EligibilityCheck.objects.count() == 0
    page = client.get(f"/insurance/patients/{office['ana'].pk}/eligibility/")
    assert page.status_code == 200


def test_a_refused_check_says_why_and_stores_nothing(office):
    plan = make_plan(make_payer("Builders Union Fund", ""), "Union plan")
    coverage = make_coverage(make_patient(), plan)
    response = desk_client().post(
        f"/insurance/coverages/{coverage.pk}/check/", headers={"HX-Request": "true"}
    )
    assert "no electronic payer ID" in response.content.decode()
    assert EligibilityCheck.objects.count() == 0


def test_api_check_for_an_appointment_asks_its_service_types(office):
    api = api_for("program", Role.FRONT_DESK)
    visit = booked(office, office["ana"], timezone.localdate() + dt.timedelta(days=3))
    response = api.call("post", f"/api/insurance/appointments/{visit.pk}/eligibility-checks")
    body = data(response)
    assert response.status_code == 201
    assert (body["status"], body["copay"], body["appointment_id"]) == ("active", "25.00", visit.pk)
    assert body["service_types"] == ["98"]
    assert body["summary"]["plan"]
    again = api.call("get", f"/api/insurance/eligibility-checks/{body['id']}")
    assert data(again)["deductible_remaining"] == "650.00"


def test_api_refuses_a_patient_with_no_coverage(office):
    api = api_for("program", Role.FRONT_DESK)
    visit = booked(office, make_patient(), timezone.localdate() + dt.timedelta(days=3))
    response = api.call("post", f"/api/insurance/appointments/{visit.pk}/eligibility-checks")
    assert response.status_code == 409
    assert "No coverage on file" in data(response)["detail"]


def test_the_batch_checks_each_visit_once(office):
    day = batch.next_business_day(dt.date(2026, 12, 3))
    booked(office, office["ana"], day)
    booked(office, make_patient(), day, hour=10)  # no coverage
    first = batch.run_day(day)
    assert (first.counts["checked"], first.counts["active"], first.counts["no_coverage"]) == (
        1,
        1,
        1,
    )
    check = EligibilityCheck.objects.get()
    assert (check.source, check.status) == (CheckSource.BATCH, CheckStatus.ACTIVE)
    second = batch.run_day(day)
    assert (second.counts["checked"], second.counts["skipped"]) == (0, 1)
    assert EligibilityCheck.objects.count() == 1


def test_the_batch_page_lists_the_day_with_flags(office):
    day = timezone.localdate() + dt.timedelta(days=2)
    booked(office, office["ana"], day)
    page = desk_client().get(f"/insurance/eligibility/batch/?date={day.isoformat()}")
    assert "Not checked yet." in page.content.decode()


def test_estimate_uses_the_copay_once_checked(office):
    day = timezone.localdate()
    before = estimate_visit(office["ana"].pk, office["visit"].pk, day)
    assert before.estimate is None
    assert "Check eligibility first" in " ".join(before.notes)
    desk_client().post(f"/insurance/coverages/{office['coverage'].pk}/check/")
    after = estimate_visit(office["ana"].pk, office["visit"].pk, day)
    assert (after.estimate.allowed_total, after.estimate.patient_owes) == (
        Decimal("108.00"),
        Decimal("25.00"),
    )


def test_uninsured_patient_gets_a_self_pay_estimate_and_a_good_faith_estimate(office):
    walk_in = make_patient(first_name="Sam", last_name="Cash")
    visit = booked(office, walk_in, timezone.localdate() + dt.timedelta(days=2))
    found = estimate_visit(walk_in.pk, office["visit"].pk, timezone.localdate())
    assert (found.self_pay, found.estimate.patient_owes) == (True, Decimal("135.00"))
    client = desk_client()
    form = client.get(
        f"/insurance/patients/{walk_in.pk}/good-faith-estimate/?appointment={visit.pk}"
    )
    assert 'value="99213"' in form.content.decode()
    response = client.post(
        f"/insurance/patients/{walk_in.pk}/good-faith-estimate/",
        {"appointment": visit.pk, "service_date": visit.starts_at.date().isoformat(),
         "code_0": "99213", "description_0": "Office visit", "units_0": "1", "amount_0": "135.00"},
    )  # fmt: skip
    gfe = GoodFaithEstimate.objects.get()
    assert response.status_code == 302
    assert (gfe.total, gfe.number[:4]) == (Decimal("135.00"), "GFE-")
    pdf = client.get(f"/insurance/good-faith-estimates/{gfe.pk}/pdf/")
    text = pdf_text(pdf.content)
    assert "Good Faith Estimate" in text
    assert "Sam Cash" in text
    assert "$135.00" in text


def test_a_bad_price_is_refused_and_nothing_issued(office):
    patient = make_patient()
    response = desk_client().post(
        f"/insurance/patients/{patient.pk}/good-faith-estimate/",
        {"service_date": "2026-12-10", "code_0": "99213", "units_0": "1", "amount_0": "12.345"},
    )
    assert response.status_code == 422
    assert "cents" in response.content.decode()
    assert GoodFaithEstimate.objects.count() == 0


def test_api_good_faith_estimate_and_its_pdf(office):
    api = api_for("program", Role.FRONT_DESK)
    patient = make_patient()
    line = {"code": "99204", "description": "New visit", "units": 1, "amount": "245.00"}
    body = {"patient_id": patient.pk, "service_date": "2026-12-10", "lines": [line]}
    response = api.call("post", "/api/insurance/good-faith-estimates", body)
    made = data(response)
    assert response.status_code == 201
    assert made["total"] == "245.00"
    pdf = api.call("get", made["pdf_url"])
    assert pdf["Content-Type"] == "application/pdf"
    bad = api.call("post", "/api/insurance/good-faith-estimates", {**body, "lines": [
        {"code": "99204", "units": 1, "amount": "-1"}]})  # fmt: skip
    assert bad.status_code == 422


def test_medicare_plan_type_is_not_self_pay(office):
    plan = make_plan(make_payer("Medicare Part B", "SIMMCR"), "Part B", PlanType.MEDICARE)
    patient = make_patient()
    make_coverage(patient, plan, member_id="1EG4TE5MK73")
    found = estimate_visit(patient.pk, office["visit"].pk, timezone.localdate())
    assert found.self_pay is False


def test_the_openapi_document_lists_eligibility_and_estimates(client):
    paths = data(client.get("/api/openapi.json"))["paths"]
    for path in (
        "/api/insurance/coverages/{coverage_id}/eligibility-checks",
        "/api/insurance/appointments/{appointment_id}/eligibility-checks",
        "/api/insurance/eligibility-checks/{check_id}",
        "/api/insurance/patients/{patient_id}/eligibility-checks",
        "/api/insurance/eligibility-batches",
        "/api/insurance/appointments/{appointment_id}/estimate",
        "/api/insurance/good-faith-estimates",
        "/api/insurance/good-faith-estimates/{gfe_id}/pdf",
    ):
        assert path in paths, path
