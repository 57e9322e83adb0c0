"""Eligibility checks: build the 270, exchange it with the clearinghouse, read and keep the 271.

A check is written in two transactions with the network call between them, never inside one (a
slow payer must not hold a database lock): first the request is recorded as sent, with its 270;
then the answer is read in full and stored at once. A timeout, a payer error or an unreadable
answer ends the check in ``error`` with plain words and whether trying again may help; the raw
answer is kept for support. Nothing is half-stored: a 271 is parsed completely before any field
is written.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.insurance.choices import CheckSource, CheckStatus, CoverageStatus
from medoffice.insurance.errors import EligibilityUnavailable
from medoffice.insurance.models import Coverage, EligibilityCheck
from medoffice.insurance.services.eligibility_request import build_request, service_types_for
from medoffice.insurance.services.envelopes import (
    clearinghouse_for,
    clearinghouse_settings,
    next_envelope_ids,
)
from medoffice.integrations.clearinghouses import ClearinghouseError, connect
from medoffice.interchange.x12 import (
    EligibilityResponse,
    X12Error,
    build_270,
    desk_figures,
    read_271,
    summarize_271,
)

REQUEST_270 = "X12_270_Request_005010X279A1"
UNREADABLE = "The payer's answer could not be read ({}). Try again later or check by phone."


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def new_trace_number() -> str:
    return timezone.now().strftime("%y%m%d") + secrets.token_hex(5).upper()


def _refuse_unless_checkable(coverage: Coverage) -> None:
    if coverage.status != CoverageStatus.ACTIVE:
        raise EligibilityUnavailable("This coverage is not active on file: nothing to check.")
    if not coverage.plan.payer.checks_eligibility:
        raise EligibilityUnavailable(
            f"{coverage.plan.payer.name} does not answer electronic eligibility checks: "
            "call the payer or use its portal."
        )


def start_check(
    coverage: Coverage,
    *,
    service_date: dt.date,
    acting_user: Any,
    appointment: Any = None,
    source: str = CheckSource.REAL_TIME,
    service_types: tuple[str, ...] | None = None,
    provider: Any = None,
) -> EligibilityCheck:
    """Record the check as sent, with its 270 (one transaction)."""
    _refuse_unless_checkable(coverage)
    if appointment is not None:
        service_types = service_types or service_types_for(appointment.appointment_type)
        provider = provider or appointment.provider
    types = service_types or service_types_for(None)
    clearinghouse = clearinghouse_for(coverage.plan.payer)
    trace = new_trace_number()
    request = build_request(
        coverage, trace_number=trace, service_date=service_date, service_types=types,
        provider=provider,
    )  # fmt: skip
    with transaction.atomic():
        ids = next_envelope_ids(clearinghouse)
        check = EligibilityCheck.objects.create(
            coverage=coverage,
            patient_id=coverage.patient_id,
            appointment=appointment,
            service_date=service_date,
            service_types=",".join(types),
            source=source,
            status=CheckStatus.SENT,
            trace_number=trace,
            interchange_control_number=ids.interchange_control_number,
            requested_at=timezone.now(),
            requested_by=_user(acting_user),
            raw_270=build_270(request, ids),
        )
        record(
            AuditAction.CREATE, actor=acting_user, target=check, patient_id=check.patient_id,
            detail={"service_types": check.service_types, "source": source},
        )  # fmt: skip
    return check


def _pick(responses: list[EligibilityResponse], trace: str) -> EligibilityResponse:
    for response in responses:
        if trace in response.trace_numbers:
            return response
    if len(responses) == 1:
        return responses[0]
    raise X12Error("the answer is for another request")


def _money(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _outcome(response: EligibilityResponse) -> tuple[str, str, bool]:
    """(status, message for the desk, retry_may_help)."""
    if response.rejections:
        first = response.rejections[0]
        return CheckStatus.REJECTED, first.explanation[:300], first.retry_may_help
    if response.active is True:
        return CheckStatus.ACTIVE, "", False
    if response.active is False:
        return CheckStatus.INACTIVE, "The payer says this coverage is not active.", False
    return CheckStatus.ERROR, "The payer's answer does not say whether coverage is active.", True


def summary_for(
    check: EligibilityCheck, raw: str, *, per_service_type: bool = True
) -> tuple[EligibilityResponse, dict[str, object]]:
    response = _pick(read_271(raw), check.trace_number)
    asked = check.service_types.split(",")[0]
    # The desk's copay is the visit's: an office visit (98) when only the generic 30 was asked.
    summary = summarize_271(
        response, service_type="98" if asked == "30" else asked, per_service_type=per_service_type
    )
    return response, summary


def _asked_type(check: EligibilityCheck) -> str:
    asked = check.service_types.split(",")[0]
    return "98" if asked == "30" else asked


def _apply_figures(check: EligibilityCheck, raw: str) -> None:
    """Fill ``check`` from the 271 with only what the desk needs now (bulk answers); the readable
    summary is made from the raw 271 when someone opens the result."""
    response = _pick(read_271(raw), check.trace_number)
    figures = desk_figures(response, _asked_type(check))
    check.status, check.message, check.retry_may_help = _outcome(response)
    coinsurance = figures["coinsurance_in_network"]
    check.raw_271, check.summary_json, check.active = raw, "", response.active
    check.copay = figures["copay_office_visit"]
    check.coinsurance_percent = None if coinsurance is None else coinsurance * 100
    check.deductible_remaining = figures["deductible_remaining_individual_in_network"]
    check.out_of_pocket_remaining = figures["oop_remaining_individual_in_network"]
    check.other_payer_named = bool(response.other_payers)


def _apply_271(check: EligibilityCheck, raw: str, *, per_service_type: bool = True) -> list[str]:
    """Fill ``check`` from the 271 text (raises X12Error before touching anything)."""
    response, summary = summary_for(check, raw, per_service_type=per_service_type)
    status, message, retry = _outcome(response)
    coinsurance = _money(summary.get("coinsurance_in_network"))
    check.status, check.message, check.retry_may_help = status, message, retry
    check.raw_271 = raw
    check.summary_json = json.dumps(summary, sort_keys=True)
    check.active = response.active
    check.copay = _money(summary.get("copay_office_visit"))
    check.coinsurance_percent = None if coinsurance is None else coinsurance * 100
    check.deductible_remaining = _money(summary.get("deductible_remaining_individual_in_network"))
    check.out_of_pocket_remaining = _money(summary.get("oop_remaining_individual_in_network"))
    check.other_payer_named = bool(response.other_payers)
    return [
        "status", "message", "retry_may_help", "raw_271", "summary_json", "active", "copay",
        "coinsurance_percent", "deductible_remaining", "out_of_pocket_remaining",
        "other_payer_named",
    ]  # fmt: skip


def finish_check(
    check: EligibilityCheck,
    *,
    answer: str | None = None,
    error: ClearinghouseError | None = None,
    attempts: int = 1,
    duration_ms: float | None = None,
) -> EligibilityCheck:
    """Store the payer's answer (or why there is none) in one transaction."""
    fields = ["responded_at", "attempts", "duration_ms"]
    if error is not None:
        check.status, check.message = CheckStatus.ERROR, error.message[:300]
        check.retry_may_help = error.retry_may_help
        fields += ["status", "message", "retry_may_help"]
    else:
        try:
            fields += _apply_271(check, answer or "")
        except X12Error as exc:
            check.status, check.retry_may_help = CheckStatus.ERROR, True
            check.message = UNREADABLE.format(exc.message)[:300]
            check.raw_271 = answer or ""
            fields += ["status", "message", "retry_may_help", "raw_271"]
    check.responded_at = timezone.now()
    check.attempts = attempts
    check.duration_ms = None if duration_ms is None else round(duration_ms)
    with transaction.atomic():
        check.save(update_fields=fields)
        record(
            AuditAction.UPDATE, target=check, patient_id=check.patient_id,
            fields=sorted(set(fields) - {"raw_271", "summary_json"}),
            detail={"status": check.status},
        )  # fmt: skip
    return check


STORED = [
    "status", "message", "retry_may_help", "raw_271", "summary_json", "active", "copay",
    "coinsurance_percent", "deductible_remaining", "out_of_pocket_remaining",
    "other_payer_named", "responded_at", "attempts",
]  # fmt: skip
CHUNK = 500


def _write_stored(checks: list[EligibilityCheck]) -> None:
    """Write the stored fields of many checks (Django's bulk_update builds a CASE expression per
    field and row, which costs more than the whole 271 parsing): on PostgreSQL one UPDATE ...
    FROM (VALUES ...) per chunk, on SQLite (in-process, no round trips) executemany."""
    fields: list[Any] = [EligibilityCheck._meta.get_field(name) for name in STORED]
    table = connection.ops.quote_name(EligibilityCheck._meta.db_table)
    rows = [
        [f.get_db_prep_save(getattr(check, f.attname), connection) for f in fields] + [check.pk]
        for check in checks
    ]
    names = [connection.ops.quote_name(str(f.column)) for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            columns = ", ".join(f"{name} = %s" for name in names)
            cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", rows)  # noqa: S608
            return
        casts = [f"%s::{f.db_type(connection)}" for f in fields] + ["%s::bigint"]
        values = ", ".join(f"({', '.join(casts)})" for _ in rows)
        columns = ", ".join(f"{name} = v.{name}" for name in names)
        sql = (
            f"UPDATE {table} AS t SET {columns} FROM (VALUES {values}) "  # noqa: S608
            f"AS v({', '.join(names)}, id) WHERE t.id = v.id"
        )
        cursor.execute(sql, [value for row in rows for value in row])


def store_answers(answers: list[tuple[EligibilityCheck, str]]) -> int:
    """Store many checks' 271s at once (batch results): each answer is read in full first, then
    the chunk is written in one transaction with one audit entry naming the checks stored.
    An unreadable answer ends its own check in ``error`` without stopping the others."""
    now = timezone.now()
    for start in range(0, len(answers), CHUNK):
        chunk = answers[start : start + CHUNK]
        for check, raw in chunk:
            try:
                _apply_figures(check, raw)
            except X12Error as exc:
                check.status, check.retry_may_help = CheckStatus.ERROR, True
                check.message = UNREADABLE.format(exc.message)[:300]
                check.raw_271 = raw
            check.responded_at, check.attempts = now, check.attempts + 1
        with transaction.atomic():
            _write_stored([c for c, _ in chunk])
            record(
                AuditAction.UPDATE, target_type="insurance.eligibilitycheck",
                fields=sorted(set(STORED) - {"raw_271", "summary_json"}),
                detail={"what": "batch eligibility answers", "checks": [c.pk for c, _ in chunk],
                        "patients": sorted({c.patient_id for c, _ in chunk})},
            )  # fmt: skip
    return len(answers)


def exchange(check: EligibilityCheck) -> EligibilityCheck:
    """Send the recorded 270 now and store the answer (no transaction held while waiting)."""
    clearinghouse = clearinghouse_for(check.coverage.plan.payer)
    try:
        link = connect(clearinghouse_settings(clearinghouse))
        answer = link.exchange_realtime(check.raw_270, payload_type=REQUEST_270)
    except ClearinghouseError as exc:
        return finish_check(check, error=exc, attempts=check.attempts + 1)
    return finish_check(
        check, answer=answer.payload, attempts=answer.attempts, duration_ms=answer.duration_ms
    )


def check_eligibility(
    coverage: Coverage,
    *,
    service_date: dt.date,
    acting_user: Any,
    appointment: Any = None,
    source: str = CheckSource.REAL_TIME,
    service_types: tuple[str, ...] | None = None,
) -> EligibilityCheck:
    """Check ``coverage`` for ``service_date`` in real time; the stored check says how it ended."""
    check = start_check(
        coverage, service_date=service_date, acting_user=acting_user, appointment=appointment,
        source=source, service_types=service_types,
    )  # fmt: skip
    return exchange(check)
