"""Patient estimates for a visit, and Good Faith Estimates for uninsured or self-pay patients.

Allowed amounts come from the plan's own table, else the practice's self-pay price (said so on
screen) until the billing issue brings the fee schedule. The arithmetic is ``rules.estimate``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core.pdf import render_pdf
from medoffice.insurance import queries
from medoffice.insurance.choices import CheckStatus, PlanType
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import (
    AllowedAmount,
    EligibilityCheck,
    GoodFaithEstimate,
    PlannedService,
)
from medoffice.insurance.rules.estimate import (
    Benefits,
    Estimate,
    PlannedLine,
    estimate,
    self_pay_estimate,
)
from medoffice.insurance.services.envelopes import take_number

GFE_TITLE = "Good Faith Estimate"
GFE_TEMPLATE = "insurance/pdf/good_faith_estimate.html"


@dataclass
class VisitEstimate:
    estimate: Estimate | None
    lines: list[PlannedLine] = field(default_factory=list)
    coverage: Any = None
    check: EligibilityCheck | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def self_pay(self) -> bool:
        return self.coverage is None or self.coverage.plan.plan_type == PlanType.SELF_PAY


def planned_lines(
    appointment_type_id: int, plan_id: int | None
) -> tuple[list[PlannedLine], list[str]]:
    """The type's planned services priced for the plan (else at the self-pay price)."""
    planned = list(PlannedService.objects.filter(appointment_type_id=appointment_type_id))
    codes = [p.code for p in planned]
    prices: dict[tuple[str, int | None], AllowedAmount] = {
        (a.code, a.plan_id): a for a in AllowedAmount.objects.filter(code__in=codes)
    }
    lines, notes = [], []
    for service in planned:
        found = prices.get((service.code, plan_id)) if plan_id else None
        if found is None:
            found = prices.get((service.code, None))
            if found is not None and plan_id:
                notes.append(
                    f"No allowed amount for {service.code} on this plan: practice price used."
                )
        if found is None:
            notes.append(f"No price on file for {service.code}: it is left out.")
            continue
        lines.append(PlannedLine(service.code, found.description, service.units, found.amount))
    return lines, notes


def benefits_of(check: EligibilityCheck) -> Benefits:
    return Benefits(
        copay=check.copay,
        coinsurance=None if check.coinsurance_percent is None else check.coinsurance_percent / 100,
        deductible_remaining=check.deductible_remaining,
        out_of_pocket_remaining=check.out_of_pocket_remaining,
    )


NOT_READ: Any = object()


def estimate_visit(
    patient_id: int,
    appointment_type_id: int,
    on: dt.date,
    *,
    coverage: Any = NOT_READ,
    check: Any = NOT_READ,
) -> VisitEstimate:
    """What the patient is likely to owe for a visit of this type on ``on`` (pass the coverage
    and its latest check when already read)."""
    if coverage is NOT_READ:
        coverage = queries.primary_coverage(patient_id, on=on)
    plan_id = None if coverage is None else coverage.plan_id
    lines, notes = planned_lines(appointment_type_id, plan_id)
    result = VisitEstimate(None, lines, coverage, notes=notes)
    if not lines:
        result.notes.append("This visit type has no planned services priced: no estimate.")
        return result
    if result.self_pay:
        result.estimate = self_pay_estimate(lines)
        return result
    if check is NOT_READ:
        check = queries.latest_check(coverage.pk) if coverage is not None else None
    result.check = check
    if check is None or check.status != CheckStatus.ACTIVE:
        result.notes.append("Check eligibility first: the estimate needs the plan's benefits.")
        return result
    result.estimate = estimate(lines, benefits_of(check))
    return result


def _gfe_number(today: dt.date) -> str:
    return f"GFE-{today:%Y}-{take_number(f'gfe:{today:%Y}'):06d}"


def _clean_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for line in lines:
        units, amount = int(line.get("units", 1)), Decimal(str(line["amount"]))
        if units < 1 or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError("Each service needs units of 1 or more and an amount in cents.")
        total = (amount * units).quantize(Decimal("0.01"))
        clean.append({
            "code": str(line["code"]), "description": str(line.get("description", "")),
            "units": units, "amount": str(amount), "total": str(total),
        })  # fmt: skip
    if not clean:
        raise InsuranceRefused("A Good Faith Estimate needs at least one priced service.")
    return clean


def issue_good_faith_estimate(
    *,
    acting_user: Any,
    patient: Any,
    service_date: dt.date,
    lines: list[dict[str, Any]],
    appointment: Any = None,
    provider: Any = None,
) -> GoodFaithEstimate:
    """Issue a No Surprises Act Good Faith Estimate as a PDF kept with the patient's record."""
    clean = _clean_lines(lines)
    total = sum((Decimal(line["total"]) for line in clean), Decimal("0.00"))
    now = timezone.now()
    with transaction.atomic():
        gfe = GoodFaithEstimate(
            number=_gfe_number(timezone.localdate()),
            patient=patient,
            appointment=appointment,
            service_date=service_date,
            lines=clean,
            total=total,
            issued_at=now,
            issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        context = {"gfe": gfe, "patient": patient, "provider": provider, "lines": clean}
        data = render_pdf(GFE_TEMPLATE, context, title=GFE_TITLE)
        gfe.pdf = base64.b64encode(data).decode()
        gfe.pdf_sha256 = hashlib.sha256(data).hexdigest()
        gfe.save()
        record(
            AuditAction.CREATE, actor=acting_user, target=gfe, patient_id=patient.pk,
            fields=["service_date", "lines", "total"],
        )  # fmt: skip
    return gfe


def good_faith_estimate_pdf(gfe: GoodFaithEstimate, *, acting_user: Any) -> bytes:
    data = base64.b64decode(gfe.pdf)
    if hashlib.sha256(data).hexdigest() != gfe.pdf_sha256:
        raise ValidationError("The stored estimate does not match its digest.")
    record(
        AuditAction.READ, actor=acting_user, target=gfe, patient_id=gfe.patient_id,
        detail={"what": "Good Faith Estimate PDF"},
    )  # fmt: skip
    return data


def set_allowed_amount(
    *, acting_user: Any, code: str, amount: Decimal, plan: Any = None, description: str = ""
) -> AllowedAmount:
    """Set what a plan allows for a code (no plan: the self-pay price); one row per pair."""
    code = code.strip().upper()
    if len(code) != 5 or not code.isalnum():
        raise ValidationError({"code": "A CPT/HCPCS code has 5 letters or digits."})
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e8"):
        raise ValidationError({"amount": "Enter an amount in dollars and cents, 0 or more."})
    with transaction.atomic():
        row, created = AllowedAmount.objects.select_for_update().get_or_create(
            code=code, plan=plan, defaults={"amount": amount, "description": description}
        )
        if not created:
            row.amount, row.description = amount, description or row.description
            row.save(update_fields=["amount", "description"])
        record(
            AuditAction.CREATE if created else AuditAction.UPDATE, actor=acting_user,
            target=row, fields=["amount", "description"],
        )  # fmt: skip
    return row


def set_planned_services(
    *, acting_user: Any, appointment_type: Any, services: list[tuple[str, int]]
) -> list[PlannedService]:
    """Replace the services a visit type plans (code, units)."""
    clean = []
    for code, units in services:
        code = code.strip().upper()
        if len(code) != 5 or not code.isalnum() or not 1 <= units <= 99:
            raise ValidationError("Each planned service needs a 5-character code and 1-99 units.")
        clean.append((code, units))
    with transaction.atomic():
        PlannedService.objects.filter(appointment_type=appointment_type).delete()
        rows = PlannedService.objects.bulk_create(
            [PlannedService(appointment_type=appointment_type, code=c, units=u) for c, u in clean]
        )
        record(
            AuditAction.UPDATE, actor=acting_user, target=appointment_type,
            fields=["planned_services"],
        )  # fmt: skip
    return rows


def lines_for_gfe(appointment_type_id: int) -> list[dict[str, Any]]:
    """The type's planned services at the self-pay price, as Good Faith Estimate lines."""
    lines, _ = planned_lines(appointment_type_id, None)
    return [
        {"code": ln.code, "description": ln.description, "units": ln.units,
         "amount": str(ln.unit_amount)}
        for ln in lines
    ]  # fmt: skip
