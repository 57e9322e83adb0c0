"""Statements: the monthly run (who gets one, addressee, lines, aging, dunning), on demand,
the PDF text, marking sent and e-mailing; a run reads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from medoffice.audit.models import AuditEntry
from medoffice.billing.errors import BillingError
from medoffice.billing.models import Statement, StatementRun
from medoffice.billing.services import statements as st
from medoffice.billing.services.ledger import post_charge
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card
from medoffice.core.pdf import pdf_text
from medoffice.jobs.worker import make_worker, run_ready_tasks
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db
D = Decimal
HOME = [{"line1": "12 Elm St", "city": "Albany", "state": "NY", "zip_code": "12207"}]


def words(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def days_ago(office: Office, n: int) -> dt.date:
    return office.today - dt.timedelta(days=n)


def owes(office: Office, patient, amount: str, *, days: int = 0, insurance: str = "0") -> None:
    post_charge(patient, acting_user=office.desk, patient_amount=amount,
                insurance_amount=insurance, posted_on=days_ago(office, days),
                code="99213", description="Office visit")  # fmt: skip


def test_a_run_makes_one_statement_per_patient_owing_at_least_the_minimum(office):
    # given Avery owes $120 (100 days old, $40 pending), Blake $4.99, Casey has a credit
    owes(office, office.patient, "150.00", days=100, insurance="40.00")
    post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")],
                 received_on=days_ago(office, 10))  # fmt: skip
    blake = make_patient(first_name="Blake", last_name="Adams")
    owes(office, blake, "4.99")
    casey = make_patient(first_name="Casey", last_name="Brook")
    post_payment(casey, acting_user=office.desk, tenders=[card("20.00")])
    # when
    run = st.run_statements(acting_user=office.manager, statement_date=office.today,
                            message="Thank you for choosing us.")  # fmt: skip
    # then only Avery gets one, with the figures as printed
    [statement] = run.statements.all()
    assert statement.patient == office.patient
    assert (statement.balance_due, statement.pending_insurance) == (D("120.00"), D("40.00"))
    assert (statement.current, statement.days_91_120) == (D("0.00"), D("120.00"))
    assert statement.collections_flag == "past_90"
    assert statement.message.startswith("Thank you for choosing us. Your account is past due.")
    assert statement.due_on == office.today + dt.timedelta(days=21)
    content = statement.content
    assert content["addressee"]["name"] == "Avery Quinn"
    # and, with no earlier statement, the lines of the last 90 days (the visit is older)
    assert content["since"] == days_ago(office, 90).isoformat()
    assert content["previous_balance"] == "150.00"
    lines = [(line["description"], line["patient"], line["insurance"]) for line in content["lines"]]
    assert lines == [("Balance", "-30.00", "0.00")]
    assert run.minimum_balance == D("5.00")
    entry = AuditEntry.objects.get(action="create", target_type="billing.statementrun")
    assert entry.detail["patients"] == [office.patient.pk]


def test_a_second_run_for_the_same_day_is_refused_and_makes_nothing(office):
    owes(office, office.patient, "50.00")
    st.run_statements(acting_user=office.manager, statement_date=office.today)
    with pytest.raises(BillingError, match="already run"):
        st.run_statements(acting_user=office.manager, statement_date=office.today)
    assert (StatementRun.objects.count(), Statement.objects.count()) == (1, 1)


def test_a_bad_minimum_is_refused_and_makes_nothing(office):
    owes(office, office.patient, "50.00")
    with pytest.raises(BillingError, match="not an amount"):
        st.run_statements(acting_user=office.manager, statement_date=office.today,
                          minimum_balance="five")  # fmt: skip
    assert StatementRun.objects.count() == 0


def test_lines_start_after_the_previous_statement_and_the_guarantor_is_addressed(office):
    # given a guarantor (another patient, with an address) and an earlier statement
    parent = make_patient(first_name="Jordan", last_name="Quinn", addresses=HOME)
    child = make_patient(first_name="Sam", last_name="Quinn", guarantor_relationship="mother",
                         guarantor=parent)  # fmt: skip
    owes(office, child, "80.00", days=40)
    st.run_statements(acting_user=office.manager, statement_date=days_ago(office, 30))
    owes(office, child, "25.00", days=5)
    # when
    run = st.run_statements(acting_user=office.manager, statement_date=office.today)
    # then
    [statement] = run.statements.all()
    assert statement.content["addressee"]["name"] == "Jordan Quinn"
    assert statement.content["addressee"]["lines"] == ["12 Elm St", "Albany, NY 12207"]
    assert statement.content["previous_balance"] == "80.00"
    assert [line["patient"] for line in statement.content["lines"]] == ["25.00"]
    assert (statement.days_31_60, statement.current) == (D("80.00"), D("25.00"))


def test_a_run_reads_in_the_same_number_of_queries_for_1_or_6_statements(
    office, django_assert_max_num_queries
):
    owes(office, office.patient, "50.00")
    with django_assert_max_num_queries(40) as one:
        st.run_statements(acting_user=office.manager, statement_date=office.today)
    for n in range(5):
        owes(office, make_patient(first_name=f"P{n}", last_name="Many", addresses=HOME), "60.00",
             days=20 * n)  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        run = st.run_statements(acting_user=office.manager,
                                statement_date=office.today + dt.timedelta(days=1))  # fmt: skip
    assert run.statements.count() == 6


def test_the_pdf_has_the_letterhead_figures_aging_message_and_payment_stub(office):
    owes(office, office.patient, "130.00", days=125, insurance="60.00")
    run = st.run_statements(acting_user=office.manager, statement_date=office.today)
    statement = run.statements.get()
    # when
    text = words(st.statement_pdf(statement))
    # then
    assert "Patient statement" in text
    assert f"Account (MRN) {office.patient.mrn}" in text
    assert "Amount due now $130.00" in text
    assert "Pending with insurance $60.00" in text
    assert "Over 120 days" in text
    assert "will be referred to collections" in text
    assert "Please detach and return this part with your payment" in text
    assert "Amount enclosed" in text
    assert "Card number" in text
    assert f"Account number {office.patient.mrn}" in text
    assert office.place.address_line1 in text


def test_the_run_pdf_holds_every_statement_of_the_run(office):
    owes(office, office.patient, "50.00")
    other = make_patient(first_name="Blake", last_name="Adams")
    owes(office, other, "75.00")
    run = st.run_statements(acting_user=office.manager, statement_date=office.today)
    text = words(st.run_pdf(run))
    assert text.count("Patient statement") >= 2
    assert office.patient.mrn in text
    assert other.mrn in text


def test_on_demand_statement_belongs_to_no_run(office):
    owes(office, office.patient, "20.00")
    statement = st.statement_for(office.patient, acting_user=office.desk, message="Hello")
    assert (statement.run, statement.balance_due, statement.message) == (None, D("20.00"), "Hello")
    assert statement.statement_date == office.today


def test_mark_sent_marks_only_unsent_statements(office):
    owes(office, office.patient, "50.00")
    run = st.run_statements(acting_user=office.manager, statement_date=office.today)
    statements = list(run.statements.all())
    assert st.mark_sent(statements, acting_user=office.manager, via="mail") == 1
    assert st.mark_sent(statements, acting_user=office.manager, via="email") == 0
    statement = run.statements.get()
    assert (statement.sent_via, statement.sent_by) == ("mail", office.manager)
    with pytest.raises(BillingError, match="Say how"):
        st.mark_sent(statements, acting_user=office.manager, via="pigeon")


def test_email_goes_out_after_commit_with_a_neutral_subject(
    mailoutbox, django_capture_on_commit_callbacks
):
    from medoffice.billing.tests.factories import make_office

    office = make_office(email="avery@example.org", email_consent=True)
    owes(office, office.patient, "50.00")
    statement = st.statement_for(office.patient, acting_user=office.desk)
    with django_capture_on_commit_callbacks(execute=True):
        st.email_statement(statement, acting_user=office.desk)
    run_ready_tasks(make_worker("test-worker"))
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    [message] = mailoutbox
    assert (message.subject, message.to) == ("Your account statement", ["avery@example.org"])
    [(name, data, kind)] = message.attachments
    assert (name, kind) == (f"statement-{statement.pk}.pdf", "application/pdf")
    assert "Amount due now $50.00" in words(data)
    assert statement.sent_via == "email"


def test_email_without_consent_is_refused_and_nothing_is_marked(office):
    owes(office, office.patient, "50.00")
    statement = st.statement_for(office.patient, acting_user=office.desk)
    with pytest.raises(BillingError, match="no e-mail address"):
        st.email_statement(statement, acting_user=office.desk)
    statement.refresh_from_db()
    assert statement.sent_at is None


def test_the_monthly_job_runs_on_the_first_once(office, monkeypatch):
    from medoffice.billing import tasks
    from medoffice.billing.services import days
    from medoffice.jobs.schedule import SCHEDULES

    owes(office, office.patient, "50.00")
    first = office.today.replace(day=1) + dt.timedelta(days=32)
    first = first.replace(day=1)
    monkeypatch.setattr(days, "business_today", lambda: first - dt.timedelta(days=1))
    assert tasks.run_monthly_statements.call() == 0  # not the first of the month
    monkeypatch.setattr(days, "business_today", lambda: first)
    assert tasks.run_monthly_statements.call() == 1
    assert tasks.run_monthly_statements.call() == 0  # a second tick of the day
    run = StatementRun.objects.get()
    assert (run.statement_date, run.created_by) == (first, office.manager)
    names = {name.rsplit(".", 1)[-1] for name in SCHEDULES}
    assert {"run_monthly_statements", "remind_instalments_daily"} <= names
