"""The API of statements, payment plans and reports: runs, PDFs, mark sent; plans set up once
per key, read with status, cancelled; journal and aging as JSON and CSV; problems; roles; the
operations in the OpenAPI document; query counts on lists."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.billing.models import PaymentPlan, Statement, StatementRun
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card
from medoffice.core.pdf import pdf_text
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.tests.api_client import PROBLEM, Api, data

pytestmark = pytest.mark.django_db
BASE = "/api/billing"


@pytest.fixture
def api(office: Office) -> Api:
    return Api(make_user("blair", roles=(Role.BILLING,)))


@pytest.fixture
def desk_api(office: Office) -> Api:
    return Api(office.desk)


def owes(office: Office, patient=None, amount: str = "100.00", days: int = 0) -> None:
    post_charge(patient or office.patient, acting_user=office.desk, patient_amount=amount,
                posted_on=office.today - dt.timedelta(days=days))  # fmt: skip


def test_a_run_is_made_read_printed_and_marked_sent(office, api):
    owes(office, days=95)
    made = api.call("post", f"{BASE}/statement-runs",
                    {"statement_date": office.today.isoformat(), "message": "Thanks"},
                    key="run-1")  # fmt: skip
    assert made.status_code == 201
    run = data(made)
    assert (run["count"], run["sent"], run["flagged"], run["minimum_balance"]) == (1, 0, 1, "5.00")
    detail = data(api.call("get", f"{BASE}/statement-runs/{run['id']}"))
    [row] = detail["statements"]
    assert (row["patient_id"], row["mrn"], row["balance_due"], row["collections_flag"]) == (
        office.patient.pk, office.patient.mrn, "100.00", "past_90",
    )  # fmt: skip
    statement = data(api.call("get", f"{BASE}/statements/{row['id']}"))
    assert statement["aging"]["days_91_120"] == "100.00"
    assert statement["message"].startswith("Thanks Your account is past due.")
    pdf = api.call("get", statement["pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    assert "Amount due now $100.00" in " ".join(pdf_text(pdf.content).split())
    assert api.call("get", run["pdf"])["Content-Type"] == "application/pdf"
    sent = api.call("post", f"{BASE}/statement-runs/{run['id']}/sent", {"via": "mail"})
    assert data(sent) == {"marked": 1}
    assert data(api.call("post", f"{BASE}/statement-runs/{run['id']}/sent", {"via": "mail"})) == {
        "marked": 0
    }
    listed = data(api.call("get", f"{BASE}/statement-runs"))
    assert [(r["id"], r["sent"]) for r in listed] == [(run["id"], 1)]


def test_a_second_run_of_a_date_is_409_and_a_bad_minimum_422(office, api):
    body = {"statement_date": office.today.isoformat()}
    assert api.call("post", f"{BASE}/statement-runs", body).status_code == 201
    again = api.call("post", f"{BASE}/statement-runs", body)
    assert (again.status_code, again["Content-Type"]) == (409, PROBLEM)
    assert "already run" in data(again)["detail"]
    bad = api.call("post", f"{BASE}/statement-runs",
                   {"statement_date": "2026-01-01", "minimum_balance": "1.234"})  # fmt: skip
    assert bad.status_code == 422
    assert data(bad)["errors"] == [
        {"field": "minimum_balance", "message": "Amounts have at most two decimal places (cents)."}
    ]
    assert StatementRun.objects.count() == 1


def test_the_front_desk_may_not_run_statements_or_read_reports(office, desk_api):
    body = {"statement_date": office.today.isoformat()}
    assert desk_api.call("post", f"{BASE}/statement-runs", body).status_code == 403
    assert desk_api.call("get", f"{BASE}/reports/aging").status_code == 403
    assert desk_api.call("get", f"{BASE}/reports/journal").status_code == 403
    assert StatementRun.objects.count() == 0


def test_a_statement_on_demand_and_unknown_ids(office, api):
    owes(office, amount="12.00")
    made = api.call("post", f"{BASE}/statements", {"patient_id": office.patient.pk})
    assert made.status_code == 201
    assert (data(made)["run_id"], data(made)["balance_due"]) == (None, "12.00")
    assert api.call("get", f"{BASE}/statements/999999").status_code == 404
    assert api.call("get", f"{BASE}/statement-runs/999999").status_code == 404
    missing = api.call("post", f"{BASE}/statements", {"patient_id": 999999})
    assert missing.status_code == 422
    assert Statement.objects.count() == 1


def test_a_plan_is_set_up_once_per_key_read_and_cancelled(office, desk_api):
    owes(office, amount="90.00")
    body = {"patient_id": office.patient.pk, "total": "90.00", "instalments": 3,
            "frequency": "monthly", "first_due": office.today.isoformat()}  # fmt: skip
    made = desk_api.call("post", f"{BASE}/payment-plans", body, key="plan-1")
    again = desk_api.call("post", f"{BASE}/payment-plans", body, key="plan-1")
    assert (made.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert PaymentPlan.objects.count() == 1
    plan = data(made)
    assert [(i["number"], i["amount"], i["state"]) for i in plan["instalments"]] == [
        (1, "30.00", "due"), (2, "30.00", "due"), (3, "30.00", "due"),
    ]  # fmt: skip
    post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")],
                 purpose="plan", plan=PaymentPlan.objects.get())  # fmt: skip
    read = data(desk_api.call("get", f"{BASE}/payment-plans/{plan['id']}"))
    assert (read["paid"], read["remaining"], read["instalments"][0]["state"]) == (
        "30.00", "60.00", "paid",
    )  # fmt: skip
    due = data(desk_api.call("get", f"{BASE}/payment-plans/due"))
    assert due == []
    cancelled = desk_api.call("post", f"{BASE}/payment-plans/{plan['id']}/cancel",
                              {"reason": "moved away"})  # fmt: skip
    assert data(cancelled)["status"] == "cancelled"
    twice = desk_api.call("post", f"{BASE}/payment-plans/{plan['id']}/cancel", {"reason": "x"})
    assert twice.status_code == 409


def test_plan_refusals(office, desk_api):
    owes(office, amount="50.00")
    body = {"patient_id": office.patient.pk, "total": "60.00", "instalments": 2,
            "frequency": "weekly", "first_due": office.today.isoformat()}  # fmt: skip
    over = desk_api.call("post", f"{BASE}/payment-plans", body)
    assert over.status_code == 409
    assert "more than the patient owes now ($50.00)" in data(over)["detail"]
    bad = desk_api.call("post", f"{BASE}/payment-plans", {**body, "total": "abc"})
    assert bad.status_code == 422
    many = desk_api.call("post", f"{BASE}/payment-plans", {**body, "instalments": 40})
    assert many.status_code == 422
    assert PaymentPlan.objects.count() == 0


def test_the_journal_and_aging_as_json_and_csv(office, api):
    owes(office, amount="80.00", days=40)
    post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")])
    journal = data(api.call("get", f"{BASE}/reports/journal"))
    assert (journal["count"], journal["total"], journal["by_method"]) == (
        1, "30.00", {"Card": "30.00"},
    )  # fmt: skip
    [item] = journal["items"]
    assert item["mrn"] == office.patient.mrn
    assert item["tenders"] == [{"method": "card", "amount": "30.00"}]
    aging = data(api.call("get", f"{BASE}/reports/aging"))
    assert (aging["total"], aging["totals"]["days_31_60"]) == ("50.00", "50.00")
    [row] = aging["items"]
    assert (row["mrn"], row["last_payment_on"]) == (office.patient.mrn, office.today.isoformat())
    csv_text = api.call("get", f"{BASE}/reports/aging.csv").content.decode()
    assert csv_text.splitlines()[1].startswith(f'"Quinn, Avery",{office.patient.mrn},0.00,50.00')
    journal_csv = api.call("get", f"{BASE}/reports/journal.csv")
    assert journal_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert len(journal_csv.content.decode().splitlines()) == 2
    wrong = api.call("get", f"{BASE}/reports/journal?start=2026-02-02&end=2026-02-01")
    assert wrong.status_code == 422


def test_the_aging_api_costs_the_same_queries_for_1_or_6(
    office, api, django_assert_max_num_queries
):
    owes(office)
    with django_assert_max_num_queries(30) as one:
        assert api.call("get", f"{BASE}/reports/aging").status_code == 200
    for n in range(5):
        owes(office, make_patient(first_name=f"P{n}", last_name="Many"), days=30 * n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(data(api.call("get", f"{BASE}/reports/aging"))["items"]) == 6


def test_the_operations_are_in_the_openapi_document(api):
    paths = data(api.client.get("/api/openapi.json"))["paths"]
    for path in ("/statement-runs", "/statement-runs/{run_id}", "/statement-runs/{run_id}/pdf",
                 "/statement-runs/{run_id}/sent", "/statements", "/statements/{statement_id}",
                 "/payment-plans", "/payment-plans/{plan_id}", "/payment-plans/due",
                 "/payment-plans/{plan_id}/cancel", "/reports/journal", "/reports/journal.csv",
                 "/reports/aging", "/reports/aging.csv"):  # fmt: skip
        assert f"{BASE}{path}" in paths
