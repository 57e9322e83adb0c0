"""The payments journal (every payment of a period, with its tenders) and the CSV exports of the
journal and the aging report.

CSV cells that a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a
carriage return) get a leading apostrophe; amounts are plain decimals (``1234.50``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from medoffice.billing.choices import EntryKind, TenderMethod
from medoffice.billing.models import LedgerEntry, Payment
from medoffice.billing.rules.money import ZERO
from medoffice.billing.services.aging import AgingRow

MAX_DAYS = 366
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class JournalRow:
    payment_id: int
    received_at: dt.datetime
    received_on: dt.date
    receipt_number: str
    patient_id: int
    patient_name: str
    mrn: str
    purpose: str
    amount: Decimal
    tenders: list[tuple[str, Decimal]]  # (method label, amount)
    methods: list[str]  # method values
    received_by: str
    applied_to: list[str]

    @property
    def tender_text(self) -> str:
        return "; ".join(f"{label} {amount}" for label, amount in self.tenders)


@dataclass
class JournalTotals:
    count: int = 0
    total: Decimal = ZERO
    by_method: dict[str, Decimal] = field(default_factory=dict)  # method label -> amount


def _applied(entries: Iterable[LedgerEntry]) -> list[str]:
    out = []
    for entry in entries:
        if entry.kind != EntryKind.PAYMENT:
            continue
        if entry.appointment is None:
            out.append(f"On account {-entry.amount}")
        else:
            day = timezone.localtime(entry.appointment.starts_at).date()
            out.append(f"Visit {day:%m/%d/%Y} {-entry.amount}")
    return out


def payments_journal(
    start: dt.date, end: dt.date, *, user: Any = None, method: str | None = None
) -> list[JournalRow]:
    """Payments received from ``start`` to ``end`` (inclusive), oldest first; optionally only
    those taken by ``user`` (a user or an id) or with a tender of ``method``. Three queries."""
    if end < start:
        start, end = end, start
    rows = (
        Payment.objects.filter(received_on__gte=start, received_on__lte=end)
        .select_related("patient", "received_by")
        .prefetch_related(
            "tenders",
            Prefetch(
                "entries",
                queryset=LedgerEntry.objects.select_related("appointment").order_by("id"),
            ),
        )
        .order_by("received_at", "id")
    )
    if user is not None:
        rows = rows.filter(received_by_id=getattr(user, "pk", user))
    if method:
        rows = rows.filter(tenders__method=method).distinct()
    labels = dict(TenderMethod.choices)
    found = []
    for payment in rows:
        tenders = list(payment.tenders.all())
        found.append(
            JournalRow(
                payment_id=payment.pk,
                received_at=payment.received_at,
                received_on=payment.received_on,
                receipt_number=payment.receipt_number,
                patient_id=payment.patient_id,
                patient_name=f"{payment.patient.last_name}, {payment.patient.first_name}",
                mrn=payment.patient.mrn,
                purpose=payment.get_purpose_display(),
                amount=payment.amount,
                tenders=[(labels.get(t.method, t.method), t.amount) for t in tenders],
                methods=[t.method for t in tenders],
                received_by=payment.received_by.get_username(),
                applied_to=_applied(payment.entries.all()),
            )
        )
    return found


def journal_totals(rows: Iterable[JournalRow]) -> JournalTotals:
    totals = JournalTotals()
    for row in rows:
        totals.count += 1
        totals.total += row.amount
        for label, amount in row.tenders:
            totals.by_method[label] = totals.by_method.get(label, ZERO) + amount
    return totals


# --- CSV -------------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a ``'``."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # a plain decimal (a negative credit stays a number)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(value)


JOURNAL_HEADER = (
    "Date", "Time", "Receipt", "Patient", "MRN", "Purpose", "Amount", "Cash", "Check", "Card",
    "HSA/FSA", "Received by", "Applied to",
)  # fmt: skip


def journal_csv(rows: Iterable[JournalRow]) -> str:
    def line(row: JournalRow) -> list[Any]:
        by = dict.fromkeys(TenderMethod.values, ZERO)
        for method, (_, amount) in zip(row.methods, row.tenders, strict=True):
            by[method] += amount
        local = timezone.localtime(row.received_at)
        return [
            row.received_on, local.strftime("%H:%M"), row.receipt_number, row.patient_name,
            row.mrn, row.purpose, row.amount, *(by[m] for m in TenderMethod.values),
            row.received_by, "; ".join(row.applied_to),
        ]  # fmt: skip

    return _write(JOURNAL_HEADER, (line(row) for row in rows))


AGING_HEADER = (
    "Patient", "MRN", "0-30", "31-60", "61-90", "91-120", "Over 120", "Credit", "Balance",
    "Pending insurance", "Collections flag", "Last payment",
)  # fmt: skip


def aging_csv(rows: Iterable[AgingRow]) -> str:
    return _write(
        AGING_HEADER,
        (
            [row.name, row.mrn, *row.aging.buckets, row.aging.credit, row.total,
             row.pending_insurance, row.flag.value, row.last_payment_on]
            for row in rows
        ),
    )  # fmt: skip
