"""Patient statements: the monthly run (or one on demand), their PDFs, marking them sent and
e-mailing one.

A statement keeps what it printed (addressee, lines, totals, aging) so a reprint shows the same
page even after later postings. A run reads in bulk: balances and aging of every patient in two
queries, then the candidates' patients, previous statements and lines in a few more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing.choices import Bucket, StatementDelivery
from medoffice.billing.errors import BillingError
from medoffice.billing.models import LedgerEntry, Statement, StatementRun
from medoffice.billing.rules.aging import Aging, CollectionsFlag, age, collections_flag
from medoffice.billing.rules.money import ZERO, cents, money, parse_amount
from medoffice.billing.services.aging import movements_of
from medoffice.billing.services.days import business_today
from medoffice.jobs.registry import job

DUE_IN_DAYS = 21
LOOK_BACK_DAYS = 90  # lines shown when there is no earlier statement
DEFAULT_MINIMUM = "5.00"
DUNNING = {
    CollectionsFlag.PAST_90: (
        "Your account is past due. Please pay the amount due now or call our billing office "
        "to set up a payment plan."
    ),
    CollectionsFlag.PAST_120: (
        "Your account is seriously past due and will be referred to collections unless it is "
        "paid or a payment plan is arranged within 30 days. Please call our billing office."
    ),
}
SUBJECT = "Your account statement"


def dunning_message(flag: str, message: str = "") -> str:
    """The printed message: the run's message, then the past-due text for the flag."""
    parts = [message.strip(), DUNNING.get(CollectionsFlag(flag), "")]
    return " ".join(part for part in parts if part)[:500]


# --- who receives it -------------------------------------------------------------------------


def _address_lines(address: Any) -> list[str]:
    if address is None:
        return []
    lines = [address.line1, address.line2]
    return [*(x for x in lines if x), f"{address.city}, {address.state} {address.zip_code}"]


def _party_lines(party: Any) -> list[str]:
    lines = [party.address_line1, party.address_line2]
    city = f"{party.city}, {party.state} {party.zip_code}".strip(", ")
    return [*(x for x in lines if x), *([city] if party.city else [])]


def _name(person: Any) -> str:
    return f"{person.first_name} {person.last_name}"


def addressee_of(patient: Any) -> dict[str, Any]:
    """The guarantor (another patient, or a responsible party) when there is one, else the
    patient: name, address lines, e-mail and whether e-mail is allowed."""
    if patient.guarantor_id is not None:
        who = patient.guarantor
        first = next(iter(who.addresses.all()), None)
        return {"name": _name(who), "lines": _address_lines(first), "email": who.email,
                "may_email": who.email_consent, "guarantor": True}  # fmt: skip
    if patient.responsible_party_id is not None:
        party = patient.responsible_party
        return {"name": _name(party), "lines": _party_lines(party), "email": party.email,
                "may_email": patient.email_consent, "guarantor": True}  # fmt: skip
    first = next(iter(patient.addresses.all()), None)
    return {"name": _name(patient), "lines": _address_lines(first), "email": patient.email,
            "may_email": patient.email_consent, "guarantor": False}  # fmt: skip


def _patients(ids: Iterable[int]) -> dict[int, Any]:
    from medoffice.patients import queries as patients

    found = (
        patients.patient_detail_queryset()
        .prefetch_related("guarantor__addresses")
        .filter(pk__in=list(ids))
    )
    return {patient.pk: patient for patient in found}


# --- building one statement ------------------------------------------------------------------


@dataclass
class _Lines:
    rows: list[dict[str, str]]
    patient_total: Decimal = ZERO


def _lines_of(entries: Sequence[Any]) -> _Lines:
    out = _Lines(rows=[])
    for entry in entries:
        mine = entry.amount if entry.bucket == Bucket.PATIENT else ZERO
        theirs = entry.amount if entry.bucket == Bucket.INSURANCE else ZERO
        out.patient_total += mine
        out.rows.append(
            {
                "date": entry.posted_on.isoformat(),
                "description": entry.description or entry.get_kind_display(),
                "code": entry.code,
                "kind": entry.kind,
                "patient": str(mine),
                "insurance": str(theirs),
            }
        )
    return out


def _build(
    patient: Any,
    *,
    statement_date: dt.date,
    aging: Aging,
    pending: Decimal,
    since: dt.date,
    entries: Sequence[Any],
    message: str,
    run: StatementRun | None,
) -> Statement:
    flag = collections_flag(aging)
    lines = _lines_of(entries)
    balance = aging.balance
    content = {
        "addressee": addressee_of(patient),
        "patient": {"name": _name(patient), "mrn": patient.mrn},
        "since": since.isoformat(),
        "previous_balance": str(balance - lines.patient_total),
        "lines": lines.rows,
        "balance": str(balance),
        "credit": str(aging.credit),
    }
    return Statement(
        run=run,
        patient=patient,
        statement_date=statement_date,
        due_on=statement_date + dt.timedelta(days=DUE_IN_DAYS),
        balance_due=max(balance, ZERO),
        pending_insurance=pending,
        current=aging.current,
        days_31_60=aging.days_31_60,
        days_61_90=aging.days_61_90,
        days_91_120=aging.days_91_120,
        days_over_120=aging.days_over_120,
        collections_flag=flag.value,
        message=dunning_message(flag, message),
        content=content,
    )


def _previous_dates(ids: Sequence[int], before: dt.date) -> dict[int, dt.date]:
    rows = (
        Statement.objects.filter(patient_id__in=ids, statement_date__lt=before)
        .values("patient_id")
        .annotate(last=Max("statement_date"))
        .order_by()
        .values_list("patient_id", "last")
    )
    return dict(rows)


def _window(ids: Sequence[int], statement_date: dt.date) -> dict[int, dt.date]:
    """The first day of each patient's lines: the day after the previous statement, else 90
    days back."""
    previous = _previous_dates(ids, statement_date)
    default = statement_date - dt.timedelta(days=LOOK_BACK_DAYS)
    return {pid: previous[pid] + dt.timedelta(days=1) if pid in previous else default
            for pid in ids}  # fmt: skip


def _entries_since(
    since: dict[int, dt.date], statement_date: dt.date
) -> dict[int, list[LedgerEntry]]:
    if not since:
        return {}
    found: dict[int, list[LedgerEntry]] = defaultdict(list)
    rows = LedgerEntry.objects.filter(
        patient_id__in=list(since),
        posted_on__gte=min(since.values()),
        posted_on__lte=statement_date,
    ).order_by("posted_on", "posted_at", "id")
    for entry in rows:
        if entry.posted_on >= since[entry.patient_id]:
            found[entry.patient_id].append(entry)
    return found


def _pending_of(ids: Sequence[int], statement_date: dt.date) -> dict[int, Decimal]:
    from django.db.models import Sum

    rows = (
        LedgerEntry.objects.filter(
            patient_id__in=ids, bucket=Bucket.INSURANCE, posted_on__lte=statement_date
        )
        .values("patient_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("patient_id", "total")
    )
    return {pid: cents(total or ZERO) for pid, total in rows}


def _make(
    ids: Sequence[int],
    agings: dict[int, Aging],
    *,
    statement_date: dt.date,
    message: str,
    run: StatementRun | None,
) -> list[Statement]:
    patients = _patients(ids)
    since = _window(ids, statement_date)
    entries = _entries_since(since, statement_date)
    pending = _pending_of(ids, statement_date)
    return [
        _build(
            patients[pid],
            statement_date=statement_date,
            aging=agings[pid],
            pending=pending.get(pid, ZERO),
            since=since[pid],
            entries=entries.get(pid, []),
            message=message,
            run=run,
        )
        for pid in ids
        if pid in patients
    ]


# --- the writes ------------------------------------------------------------------------------


def _serialize_runs() -> None:
    """Two runs started at once (a double click, the job and a person) wait for each other, so
    the second sees the first and is refused (SQLite: writers are serialized already)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE billing_statementrun IN SHARE ROW EXCLUSIVE MODE")


def run_statements(
    *,
    acting_user: Any,
    statement_date: dt.date,
    message: str = "",
    minimum_balance: Any = DEFAULT_MINIMUM,
) -> StatementRun:
    """The monthly cycle: one statement for every patient who owes at least ``minimum_balance``
    on ``statement_date``; a second run for the same date is refused."""
    minimum = parse_amount(minimum_balance, allow_zero=True)
    text = message.strip()
    if len(text) > 500:
        raise BillingError("Keep the statement message under 500 characters.")
    with transaction.atomic():
        _serialize_runs()
        if StatementRun.objects.filter(statement_date=statement_date).exists():
            raise BillingError(f"Statements of {statement_date:%b %-d, %Y} were already run.")
        run = StatementRun.objects.create(
            statement_date=statement_date,
            created_by=acting_user,
            created_at=timezone.now(),
            message=text,
            minimum_balance=minimum,
        )
        moves = movements_of(statement_date)
        agings = {pid: age(found, statement_date) for pid, found in moves.items()}
        floor = max(minimum, Decimal("0.01"))
        ids = sorted(pid for pid, aging in agings.items() if aging.balance >= floor)
        made = Statement.objects.bulk_create(
            _make(ids, agings, statement_date=statement_date, message=text, run=run)
        )
        record(
            AuditAction.CREATE,
            actor=acting_user,
            target=run,
            detail={"statements": len(made), "patients": ids, "minimum": str(minimum)},
        )
    return run


def statement_for(patient: Any, *, acting_user: Any, message: str = "") -> Statement:
    """One patient's statement today, on demand (not part of a run)."""
    today = business_today()
    with transaction.atomic():
        moves = movements_of(today, [patient.pk])
        agings = {patient.pk: age(moves.get(patient.pk, ()), today)}
        [statement] = _make(
            [patient.pk], agings, statement_date=today, message=message.strip(), run=None
        )
        statement.save()
        record(
            AuditAction.CREATE,
            actor=acting_user,
            target=statement,
            patient_id=patient.pk,
            detail={"statement": "on demand", "balance_due": str(statement.balance_due)},
        )
    return statement


def mark_sent(statements: Iterable[Statement], *, acting_user: Any, via: str) -> int:
    """Mark statements not yet sent as sent (mailed, e-mailed or handed over); returns how
    many were marked."""
    if via not in StatementDelivery.values:
        raise BillingError("Say how the statements went out: mailed, e-mailed or handed over.")
    ids = [s.pk for s in statements]
    with transaction.atomic():
        waiting = list(
            Statement.objects.select_for_update()
            .filter(pk__in=ids, sent_at__isnull=True)
            .values_list("pk", "patient_id")
        )
        marked = Statement.objects.filter(pk__in=[pk for pk, _ in waiting]).update(
            sent_at=timezone.now(), sent_via=via, sent_by=acting_user
        )
        if marked:
            record(
                AuditAction.UPDATE,
                actor=acting_user,
                target_type="billing.statement",
                target_id=waiting[0][0],
                detail={"sent_via": via, "statements": [pk for pk, _ in waiting],
                        "patients": sorted({pid for _, pid in waiting})},
            )  # fmt: skip
    return marked


def can_email(statement: Statement) -> bool:
    who = statement.content.get("addressee", {})
    return bool(who.get("email")) and bool(who.get("may_email"))


def email_statement(statement: Statement, *, acting_user: Any) -> None:
    """E-mail the statement PDF to the addressee (after commit); it is then marked e-mailed."""
    if not can_email(statement):
        raise BillingError("There is no e-mail address with consent to e-mail for this account.")
    with transaction.atomic():
        mark_sent([statement], acting_user=acting_user, via=StatementDelivery.EMAIL)
        statement_id = statement.pk
        transaction.on_commit(lambda: send_statement_email.enqueue(statement_id))
    statement.refresh_from_db()


@job
def send_statement_email(statement_id: int) -> int:
    """Send one statement by e-mail with its PDF attached; neutral subject, no PHI in it."""
    statement = Statement.objects.select_related("patient").filter(pk=statement_id).first()
    if statement is None or not can_email(statement):
        return 0
    from medoffice.practice import queries as practice

    found = practice.get_practice()
    office = found.name if found else "our office"
    message = EmailMessage(
        subject=SUBJECT,
        body=(
            f"Hello,\n\nYour account statement from {office} is attached.\n"
            "Please call our billing office with any question.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[statement.content["addressee"]["email"]],
    )
    message.attach(f"statement-{statement.pk}.pdf", statement_pdf(statement), "application/pdf")
    return message.send()


# --- printing --------------------------------------------------------------------------------


def _shown(value: Decimal) -> str:
    return money(value) if value else ""


def _printable(statement: Statement) -> dict[str, Any]:
    """What the PDF template shows, amounts already written as dollars."""
    content = statement.content
    credit = Decimal(content.get("credit", "0"))
    return {
        "statement": statement,
        "addressee": content.get("addressee", {}),
        "patient": content.get("patient", {}),
        "lines": [
            {
                **line,
                "date": dt.date.fromisoformat(line["date"]),
                "patient": _shown(Decimal(line["patient"])),
                "insurance": _shown(Decimal(line["insurance"])),
            }
            for line in content.get("lines", [])
        ],
        "since": dt.date.fromisoformat(content["since"]) if content.get("since") else None,
        "previous_balance": money(Decimal(content.get("previous_balance", "0"))),
        "due": money(statement.balance_due),
        "pending": money(statement.pending_insurance),
        "credit": _shown(credit),
        "aging": [
            ("0-30 days", money(statement.current)),
            ("31-60 days", money(statement.days_31_60)),
            ("61-90 days", money(statement.days_61_90)),
            ("91-120 days", money(statement.days_91_120)),
            ("Over 120 days", money(statement.days_over_120)),
        ],
    }


def _render(statements: Sequence[Statement], title: str) -> bytes:
    from medoffice.core.pdf import render_pdf

    return render_pdf(
        "billing/pdf/statement.html",
        {"statements": [_printable(s) for s in statements]},
        title=title,
    )


def statement_pdf(statement: Statement) -> bytes:
    return _render([statement], "Patient statement")


def run_pdf(run: StatementRun) -> bytes:
    """Every statement of a run in one PDF (one page or more each), for mailing: one render."""
    statements = list(run.statements.order_by("pk"))
    return _render(statements, "Patient statements")
