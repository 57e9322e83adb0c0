"""What the patient will owe for planned services, from allowed amounts and the 271 benefits.

The order a plan applies its cost sharing: a copay when the plan names one for the service (the
deductible is then usually waived), otherwise the deductible left, then coinsurance on the rest;
the whole patient share is capped by what is left of the out-of-pocket maximum. Figures the payer
did not send are treated as unknown and said so, never guessed as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PlannedLine:
    code: str
    description: str
    units: int
    unit_amount: Decimal  # what the plan allows per unit (or the self-pay price)

    @property
    def amount(self) -> Decimal:
        return cents(self.unit_amount * self.units)


@dataclass(frozen=True)
class Benefits:
    """The few 271 figures an estimate needs (None: the payer did not say)."""

    copay: Decimal | None = None
    coinsurance: Decimal | None = None  # a fraction: 0.20 for 20 %
    deductible_remaining: Decimal | None = None
    out_of_pocket_remaining: Decimal | None = None


@dataclass(frozen=True)
class Estimate:
    allowed_total: Decimal
    patient_owes: Decimal
    plan_pays: Decimal
    copay: Decimal = ZERO
    deductible: Decimal = ZERO
    coinsurance: Decimal = ZERO
    capped_by_out_of_pocket: bool = False
    self_pay: bool = False
    steps: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = field(default=())


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def self_pay_estimate(lines: list[PlannedLine]) -> Estimate:
    total = cents(sum((line.amount for line in lines), ZERO))
    return Estimate(
        allowed_total=total,
        patient_owes=total,
        plan_pays=ZERO,
        self_pay=True,
        steps=(f"Self-pay prices for the planned services: {_money(total)}",),
    )


def estimate(lines: list[PlannedLine], benefits: Benefits) -> Estimate:
    """The patient's share of ``lines`` under ``benefits`` (amounts to the cent, never negative)."""
    allowed = cents(sum((line.amount for line in lines), ZERO))
    steps: list[str] = [f"Allowed for the planned services: {_money(allowed)}"]
    unknowns: list[str] = []
    copay = deductible = coinsurance = ZERO
    if benefits.copay is not None and benefits.copay > 0:
        copay = min(cents(benefits.copay), allowed)
        steps.append(f"Copay: {_money(copay)} (the deductible does not apply to copay visits)")
    else:
        left = allowed
        if benefits.deductible_remaining is None:
            unknowns.append("deductible left")
        else:
            deductible = min(cents(benefits.deductible_remaining), left)
            left -= deductible
            steps.append(f"Deductible left to meet: {_money(deductible)}")
        if benefits.coinsurance is None:
            unknowns.append("coinsurance")
        else:
            coinsurance = cents(left * benefits.coinsurance)
            percent = (benefits.coinsurance * 100).normalize()
            steps.append(f"Coinsurance {percent:f} % of {_money(left)}: {_money(coinsurance)}")
    owes = copay + deductible + coinsurance
    capped = False
    oop = benefits.out_of_pocket_remaining
    if oop is not None and owes > oop:
        owes, capped = cents(max(oop, ZERO)), True
        steps.append(f"Capped by what is left of the out-of-pocket maximum: {_money(owes)}")
    return Estimate(
        allowed_total=allowed,
        patient_owes=owes,
        plan_pays=allowed - owes,
        copay=copay,
        deductible=deductible,
        coinsurance=coinsurance,
        capped_by_out_of_pocket=capped,
        steps=tuple(steps),
        unknowns=tuple(unknowns),
    )
