"""The nightly eligibility batch: every booked visit of the next business day gets a fresh check,
so chart prep and the 07:45 list show who to call before they arrive.

Real-time clearinghouses answer one 270 at a time (the batch just loops, each check stored on its
own, so a failure midway loses nothing done before it). Folder and SFTP clearinghouses take one
batch file of 270s; their 271s are collected by a later run and matched by trace number. A visit
already checked for its day is not checked again (the job may run twice).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medoffice.insurance import queries
from medoffice.insurance.choices import (
    FINAL_CHECK_STATUSES,
    CheckSource,
    CheckStatus,
    ClearinghouseKind,
)
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import EligibilityBatch, EligibilityCheck
from medoffice.insurance.services import eligibility
from medoffice.insurance.services.envelopes import (
    clearinghouse_for,
    clearinghouse_settings,
    next_envelope_ids,
)
from medoffice.integrations.clearinghouses import ClearinghouseError, connect
from medoffice.interchange.x12 import X12Error, build_270_batch, read_270, read_271
from medoffice.scheduling import queries as scheduling
from medoffice.scheduling.choices import AppointmentStatus as S

UPCOMING: list[str] = [S.BOOKED, S.CONFIRMED]


def next_business_day(today: dt.date | None = None) -> dt.date:
    day = (today or timezone.localdate()) + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)


@dataclass
class DayRow:
    appointment: Any
    coverage: Any
    check: EligibilityCheck | None

    @property
    def patient_id(self) -> int:
        return int(self.appointment.patient_id)

    @property
    def flag(self) -> str:
        """What the desk must do before the visit ("" when nothing)."""
        if self.coverage is None:
            return "No coverage on file: ask for the card or treat as self-pay."
        if self.check is None:
            return "Not checked yet."
        if self.check.status == CheckStatus.ACTIVE:
            return ""
        return self.check.message or self.check.get_status_display()


def day_rows(day: dt.date, *, statuses: list[str] | None = None) -> list[DayRow]:
    start, end = day_bounds(day)
    appointments = list(scheduling.desk_appointments(start, end, statuses=statuses or UPCOMING))
    coverages = queries.primary_coverages({a.patient_id for a in appointments}, on=day)
    checks = queries.latest_checks_of((c.pk for c in coverages.values()), service_date=day)
    rows = []
    for appointment in appointments:
        coverage = coverages.get(appointment.patient_id)
        check = checks.get(coverage.pk) if coverage is not None else None
        rows.append(DayRow(appointment, coverage, check))
    return rows


@dataclass
class BatchResult:
    day: dt.date
    counts: Counter[str] = field(default_factory=Counter)

    def sentence(self) -> str:
        c = self.counts
        return (
            f"Eligibility for {self.day:%m/%d/%Y}: {c['checked']} checked "
            f"({c['active']} active, {c['problem']} to look at), {c['queued']} sent in a batch "
            f"file, {c['skipped']} already checked or not checkable, "
            f"{c['no_coverage']} without coverage."
        )


def _already_done(row: DayRow) -> bool:
    return row.check is not None and (
        row.check.status in FINAL_CHECK_STATUSES or row.check.batch_id is not None
    )


def run_day(
    day: dt.date, *, acting_user: Any = None, statuses: list[str] | None = None
) -> BatchResult:
    """Check every upcoming visit of ``day``; safe to run again (done visits are skipped)."""
    result = BatchResult(day)
    by_file: dict[int, list[EligibilityCheck]] = {}
    for row in day_rows(day, statuses=statuses):
        if row.coverage is None:
            result.counts["no_coverage"] += 1
            continue
        if _already_done(row):
            result.counts["skipped"] += 1
            continue
        try:
            check = eligibility.start_check(
                row.coverage, service_date=day, acting_user=acting_user,
                appointment=row.appointment, source=CheckSource.BATCH,
            )  # fmt: skip
            house = clearinghouse_for(row.coverage.plan.payer)
        except InsuranceRefused:
            result.counts["skipped"] += 1
            continue
        if house.kind == ClearinghouseKind.CORE_HTTP:
            check = eligibility.exchange(check)
            result.counts["checked"] += 1
            result.counts["active" if check.status == CheckStatus.ACTIVE else "problem"] += 1
        else:
            by_file.setdefault(house.pk, []).append(check)
    for checks in by_file.values():
        result.counts["queued"] += send_batch_file(checks, day)
    return result


def send_batch_file(checks: list[EligibilityCheck], day: dt.date) -> int:
    """One 270 batch file for checks going to the same folder/SFTP clearinghouse."""
    house = clearinghouse_for(checks[0].coverage.plan.payer)
    requests = [read_270(c.raw_270)[0] for c in checks]
    with transaction.atomic():
        ids = next_envelope_ids(house)
        sent = EligibilityBatch.objects.create(
            service_date=day, clearinghouse=house,
            interchange_control_number=ids.interchange_control_number,
        )  # fmt: skip
        EligibilityCheck.objects.filter(pk__in=[c.pk for c in checks]).update(batch=sent)
    payload = build_270_batch(requests, ids)
    try:
        link = connect(clearinghouse_settings(house))
        payload_id = link.submit_batch(
            payload, payload_type=eligibility.REQUEST_270, name=f"270-{sent.pk}"
        )
    except ClearinghouseError as exc:
        sent.error_message = exc.message[:300]
        sent.save(update_fields=["error_message"])
        for check in checks:
            eligibility.finish_check(check, error=exc)
        return 0
    sent.payload_id, sent.sent_at = payload_id, timezone.now()
    sent.save(update_fields=["payload_id", "sent_at"])
    return len(checks)


def collect_batch_results(house: Any) -> int:
    """Store the 271s that have come back from ``house``; returns how many checks were answered.

    The raw answers are matched to the waiting checks by trace number and stored in bulk
    (``eligibility.store_answers``); a file that is not a 271 (a 999, a receipt) is skipped."""
    waiting: list[tuple[EligibilityCheck, str]] = []
    for exchange in connect(clearinghouse_settings(house)).collect_batch_results():
        try:
            responses = read_271(exchange.payload)
        except X12Error:
            continue
        traces = [t for response in responses for t in response.trace_numbers]
        found = EligibilityCheck.objects.filter(trace_number__in=traces, status=CheckStatus.SENT)
        waiting += [(check, exchange.payload) for check in found]
    return eligibility.store_answers(waiting)
