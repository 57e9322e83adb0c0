"""The statements, plans and reports pages: permissions, forms with refusals, PDFs and CSVs,
audited reads, and a fixed number of queries on the list pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.billing.models import PaymentPlan, Statement, StatementRun
from medoffice.billing.services import plans, statements
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card
from medoffice.core.pdf import pdf_text
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.tests.views_calendar_support import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def biller(db):
    return make_user("blair", roles=(Role.BILLING,))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def owes(office: Office, patient=None, amount: str = "100.00", days: int = 0) -> None:
    post_charge(patient or office.patient, acting_user=office.desk, patient_amount=amount,
                posted_on=office.today - dt.timedelta(days=days))  # fmt: skip


def test_statements_page_runs_statements_and_lists_them_with_flags(office, biller):
    owes(office, days=130)
    client = client_for(biller)
    response = client.post("/billing/statements/", {
        "statement_date": office.today.isoformat(), "minimum_balance": "5.00", "message": "Hi",
    })  # fmt: skip
    run = StatementRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/billing/statements/?run={run.pk}"
    text = text_of(client.get(response["Location"]))
    assert "Quinn, Avery" in text
    assert "Past 120 days: collections" in text
    assert "Not sent" in text
    shown = AuditEntry.objects.filter(action="read", detail__what="statement run").last()
    assert shown.detail["shown"] == [office.patient.pk]


def test_a_bad_minimum_is_shown_and_nothing_is_run(office, biller):
    response = client_for(biller).post("/billing/statements/", {
        "statement_date": office.today.isoformat(), "minimum_balance": "-5",
    })  # fmt: skip
    assert response.status_code == 400
    assert "can't be negative" in text_of(response)
    assert StatementRun.objects.count() == 0


def test_the_front_desk_may_not_see_or_run_statements(office):
    client = client_for(office.desk)
    assert client.get("/billing/statements/").status_code == 403
    assert client.post("/billing/statements/", {"statement_date": "2026-01-01"}).status_code == 403
    assert StatementRun.objects.count() == 0


def test_the_statements_page_costs_the_same_queries_for_1_or_6(
    office, biller, django_assert_max_num_queries
):
    owes(office)
    run = statements.run_statements(acting_user=biller, statement_date=office.today)
    client = client_for(biller)
    with django_assert_max_num_queries(40) as one:
        assert client.get(f"/billing/statements/?run={run.pk}").status_code == 200
    for n in range(5):
        owes(office, make_patient(first_name=f"P{n}", last_name="Many"))
    tomorrow = office.today + dt.timedelta(days=1)
    later = statements.run_statements(acting_user=biller, statement_date=tomorrow)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(f"/billing/statements/?run={later.pk}").status_code == 200


def test_mark_sent_and_the_pdfs(office, biller):
    owes(office)
    run = statements.run_statements(acting_user=biller, statement_date=office.today)
    statement = run.statements.get()
    client = client_for(biller)
    response = client.post(f"/billing/statements/runs/{run.pk}/sent/", {"via": "mail"})
    assert response.status_code == 302
    assert Statement.objects.get().sent_via == "mail"
    one = client.get(f"/billing/statements/{statement.pk}.pdf")
    assert one["Content-Type"] == "application/pdf"
    assert one["Content-Disposition"] == f'inline; filename="statement-{statement.pk}.pdf"'
    assert "Amount due now $100.00" in " ".join(pdf_text(one.content).split())
    every = client.get(f"/billing/statements/runs/{run.pk}.pdf")
    assert office.patient.mrn in pdf_text(every.content)
    assert AuditEntry.objects.filter(action="export", target_type="billing.statement").exists()


def test_a_statement_on_demand_opens_its_pdf(office, biller):
    owes(office, amount="20.00")
    response = client_for(biller).post("/billing/statements/new/", {"patient": office.patient.pk})
    statement = Statement.objects.get()
    assert response["Location"] == f"/billing/statements/{statement.pk}.pdf"
    assert statement.run is None


def test_plans_are_set_up_listed_and_cancelled_from_the_pages(office):
    owes(office, amount="90.00")
    client = client_for(office.desk)
    page = client.get(f"/billing/plans/new/?patient={office.patient.pk}")
    assert "Owes now: $90.00" in text_of(page)
    response = client.post(f"/billing/plans/new/?patient={office.patient.pk}", {
        "total": "90.00", "instalments": "3", "frequency": "monthly",
        "first_due": office.today.isoformat(),
    })  # fmt: skip
    plan = PaymentPlan.objects.get()
    assert response["Location"] == f"/billing/plans/{plan.pk}/"
    detail = text_of(client.get(response["Location"]))
    assert "Paid so far $0.00" in detail
    assert "Due now $30.00" in detail
    listing = text_of(client.get("/billing/plans/"))
    assert "Quinn, Avery" in listing
    assert "Due soon" in listing
    response = client.post(f"/billing/plans/{plan.pk}/cancel/", {"reason": "moved"})
    assert PaymentPlan.objects.get().status == "cancelled"


def test_a_plan_over_the_balance_is_refused_with_the_reason(office):
    owes(office, amount="50.00")
    response = client_for(office.desk).post(f"/billing/plans/new/?patient={office.patient.pk}", {
        "total": "60.00", "instalments": "3", "frequency": "monthly",
        "first_due": office.today.isoformat(),
    })  # fmt: skip
    assert response.status_code == 400
    assert "more than the patient owes now ($50.00)" in text_of(response)
    assert PaymentPlan.objects.count() == 0


def test_the_plans_page_costs_the_same_queries_for_1_or_5(office, django_assert_max_num_queries):
    owes(office)
    plans.create_plan(office.patient, acting_user=office.desk, total="60.00", instalments=2,
                      frequency="weekly", first_due=office.today)  # fmt: skip
    client = client_for(office.desk)
    with django_assert_max_num_queries(40) as one:
        assert client.get("/billing/plans/").status_code == 200
    for n in range(4):
        other = make_patient(first_name=f"P{n}", last_name="Many")
        owes(office, other)
        plans.create_plan(other, acting_user=office.desk, total="60.00", instalments=2,
                          frequency="weekly", first_due=office.today)  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/billing/plans/").status_code == 200


def test_reports_need_the_reports_permission(office):
    for url in ("/billing/reports/", "/billing/reports/journal/", "/billing/reports/aging/"):
        assert client_for(office.desk).get(url).status_code == 403


def test_the_journal_page_filters_totals_and_downloads_csv(office, biller):
    post_payment(office.patient, acting_user=office.desk, tenders=[card("25.00")])
    client = client_for(biller)
    text = text_of(client.get("/billing/reports/journal/"))
    assert "1 payment, $25.00" in text
    assert "Quinn, Avery" in text
    day = office.today.isoformat()
    response = client.get(f"/billing/reports/journal/?start={day}&end={day}&method=cash&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines()[1:] == []
    response = client.get(f"/billing/reports/journal/?start={day}&end={day}&format=csv")
    assert ",25.00," in response.content.decode()
    assert AuditEntry.objects.filter(action="export", detail__shown=[office.patient.pk]).exists()


def test_the_journal_refuses_an_end_before_the_start(office, biller):
    response = client_for(biller).get("/billing/reports/journal/?start=2026-02-02&end=2026-02-01")
    assert response.status_code == 400
    assert "end date is before the start date" in text_of(response)


def test_the_aging_page_highlights_flagged_accounts_with_a_totals_row(office, biller):
    owes(office, amount="40.00", days=100)
    owes(office, make_patient(first_name="Blake", last_name="Adams"), amount="10.00")
    client = client_for(biller)
    page = client.get("/billing/reports/aging/")
    html = page.content.decode()
    assert 'class="flagged" data-flag="past_90"' in html
    text = text_of(page)
    assert "2 accounts, 1 flagged for collections" in text
    assert "Total $10.00 $0.00 $0.00 $40.00 $0.00 $50.00" in text
    csv_text = client.get("/billing/reports/aging/?format=csv").content.decode()
    assert csv_text.splitlines()[1].startswith('"Adams, Blake",')


def test_the_aging_page_costs_the_same_queries_for_1_or_6(
    office, biller, django_assert_max_num_queries
):
    owes(office)
    client = client_for(biller)
    with django_assert_max_num_queries(30) as one:
        assert client.get("/billing/reports/aging/").status_code == 200
    for n in range(5):
        owes(office, make_patient(first_name=f"P{n}", last_name="Many"), days=35 * n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/billing/reports/aging/").status_code == 200


def test_a_statement_is_emailed_from_the_run_page(
    biller, mailoutbox, django_capture_on_commit_callbacks
):
    from medoffice.billing.tests.factories import make_office
    from medoffice.jobs.worker import make_worker, run_ready_tasks

    office = make_office(email="avery@example.org", email_consent=True)
    owes(office)
    run = statements.run_statements(acting_user=biller, statement_date=office.today)
    statement = run.statements.get()
    client = client_for(biller)
    page = client.get(f"/billing/statements/?run={run.pk}").content.decode()
    assert f'action="/billing/statements/{statement.pk}/email/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/billing/statements/{statement.pk}/email/")
    assert response["Location"] == f"/billing/statements/?run={run.pk}"
    run_ready_tasks(make_worker("test-worker"))
    [message] = mailoutbox
    assert message.subject == "Your account statement"
    assert Statement.objects.get().sent_via == "email"
